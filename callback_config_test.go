package monri_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
)

// TestCallbackMisconfiguration: each bad configuration is an error from
// NewCallbackHandler naming the argument and the rule, and a handler from
// CallbackHandler that never panics, answers every request 500 in Monri's
// shape without calling fn, and logs the error once per request at Error
// level, never the key.
func TestCallbackMisconfiguration(t *testing.T) {
	okFn := func(context.Context, monri.Callback) error { return nil }
	for _, tc := range []struct {
		name string
		key  string
		fn   func(context.Context, monri.Callback) error
		opts []monri.CallbackOption
		want []string
	}{
		{"empty merchant key", "", okFn, nil, []string{"merchantKey: must not be empty"}},
		{"nil fn", secretKey, nil, nil, []string{"fn: must not be nil"}},
		{"zero max bytes", secretKey, okFn, []monri.CallbackOption{monri.WithMaxCallbackBytes(0)},
			[]string{"WithMaxCallbackBytes: n must be positive, got 0"}},
		{"negative max bytes", secretKey, okFn, []monri.CallbackOption{monri.WithMaxCallbackBytes(-5)},
			[]string{"WithMaxCallbackBytes: n must be positive, got -5"}},
		{"everything wrong at once", "", nil, []monri.CallbackOption{nil, monri.WithMaxCallbackBytes(-1)},
			[]string{"merchantKey: must not be empty", "fn: must not be nil", "WithMaxCallbackBytes: n must be positive, got -1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h http.Handler
			var err error
			assert.NotPanics(t, func() { h, err = monri.NewCallbackHandler(tc.key, tc.fn, tc.opts...) })
			require.Error(t, err)
			assert.Nil(t, h)
			assert.True(t, strings.HasPrefix(err.Error(), "monri: NewCallbackHandler: "), err.Error())
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), secretKey)

			var log bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&log, nil))
			opts := append([]monri.CallbackOption{monri.WithCallbackLogger(logger)}, tc.opts...)
			assert.NotPanics(t, func() { h = monri.CallbackHandler(tc.key, tc.fn, opts...) })
			require.NotNil(t, h)

			requests := []struct {
				method string
				header map[string][]string
			}{
				{http.MethodPost, signedHeader(secretKey, cbBody)},
				{http.MethodPost, nil},
				{http.MethodGet, nil},
			}
			for _, req := range requests {
				var r cbReply
				assert.NotPanics(t, func() {
					r = cbPost(t, h, req.method, req.header, strings.NewReader(cbBody), int64(len(cbBody)))
				})
				assert.Equal(t, http.StatusInternalServerError, r.status, "%s %s", req.method, r.body)
				var e struct{ Status, Message string }
				require.NoError(t, json.Unmarshal(r.body, &e), "%s", r.body)
				assert.Equal(t, "error", e.Status)
				assert.Contains(t, e.Message, "misconfigured")
				assert.NotContains(t, string(r.body), secretKey)
			}

			lines := strings.Split(strings.TrimSpace(log.String()), "\n")
			require.Len(t, lines, len(requests), "one line per request: %s", log.String())
			for _, line := range lines {
				var rec map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &rec))
				assert.Equal(t, "ERROR", rec["level"])
				assert.Equal(t, float64(http.StatusInternalServerError), rec["status"])
				assert.True(t, strings.HasPrefix(rec["error"].(string), "monri: CallbackHandler: "), line)
				for _, w := range tc.want {
					assert.Contains(t, rec["error"], w)
				}
			}
			assert.NotContains(t, log.String(), secretKey)
		})
	}
}

// TestNewCallbackHandlerServes: a good configuration, nil options and a nil
// logger included, serves callbacks as CallbackHandler does.
func TestNewCallbackHandlerServes(t *testing.T) {
	rec := &cbRecorder{}
	h, err := monri.NewCallbackHandler(secretKey, rec.fn, nil, monri.WithCallbackLogger(nil), monri.WithMaxCallbackBytes(int64(len(cbBody))))
	require.NoError(t, err)
	r := cbPost(t, h, http.MethodPost, signedHeader(secretKey, cbBody), strings.NewReader(cbBody), int64(len(cbBody)))
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
	require.Len(t, rec.calls(), 1)
	assert.Equal(t, "order-1", rec.calls()[0].OrderNumber)

	big := cbBody + " "
	r = cbPost(t, h, http.MethodPost, signedHeader(secretKey, big), strings.NewReader(big), int64(len(big)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status, "the option applies")
}
