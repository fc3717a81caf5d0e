package monri

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	var mu sync.Mutex
	var headers []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		headers = append(headers, r.Header.Get("Authorization"))
		n := len(headers)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"status":"error","message":"busy"}`)
			return
		}
		_, _ = io.WriteString(w, `{"status":"approved","order_number":"order-1"}`)
	}))
	defer srv.Close()

	var clockMu sync.Mutex
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		now = now.Add(time.Second)
		return now
	}
	t.Setenv(EnvMerchantKey, "")
	t.Setenv(EnvAuthenticityToken, "")
	t.Setenv(EnvEnvironment, "")
	c, err := NewClient(WithBaseURL(srv.URL), WithCredentials("key", "token"), withClock(clock), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.PayByLink.Get(t.Context(), "order-1")
	require.NoError(t, err)

	require.Len(t, headers, 3)
	timestamps := map[string]bool{}
	for _, h := range headers {
		fields := strings.Fields(h)
		require.Len(t, fields, 4)
		timestamps[fields[2]] = true
	}
	assert.Len(t, timestamps, 3, "each attempt carries its own timestamp: %v", headers)
}
