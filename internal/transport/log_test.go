package transport

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLogLinesCarryNoSecret: one debug line per attempt, for an attempt
// that got no answer (its error logged), a 503 and the final 200, and none
// of them carries the merchant key, the token, the Authorization value or
// its digest, the body, or a header the call added (it may be a proxy's
// token).
func TestLogLinesCarryNoSecret(t *testing.T) {
	const extra = "proxy-SECRET-3f9a"
	var n atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		switch n.Add(1) {
		case 1: // the connection breaks before any answer
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"approved"}`))
		}
	}))
	defer ts.Close()
	var log bytes.Buffer
	tr := newTransport(t, Config{MaxRetries: 2, Logger: slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))})

	res, err := tr.Do(t.Context(), post(t, ts.URL, `{"pan_token":"tok-BODY-77"}`), Call{
		Policy: Always,
		Header: http.Header{"X-Proxy-Token": {extra}},
	})
	require.NoError(t, err)
	require.Equal(t, 3, res.Attempts)

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	require.Len(t, lines, 3, "one line per attempt")
	var first, second map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	assert.Contains(t, first, "error", "the failed attempt says why")
	assert.NotContains(t, first, "status")
	assert.EqualValues(t, 503, second["status"])

	out := log.String()
	for _, secret := range []string{key, token, "WP3", extra, "tok-BODY-77"} {
		assert.NotContains(t, out, secret)
	}
	assert.NotRegexp(t, regexp.MustCompile(`[0-9a-f]{128}`), out, "a digest reached the log")
}
