package transport

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monri-go/monri/signer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const key, token = "test-merchant-key", "test-token"

// seen is one request as the server got it.
type seen struct {
	method, uri, auth, extra string
	body                     []byte
}

// recorder answers each request with the next of statuses (the last one
// repeats) and records what it got.
func recorder(t *testing.T, statuses ...int) (*httptest.Server, func() []seen) {
	t.Helper()
	var mu sync.Mutex
	var got []seen
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"), r.Header.Get("X-Extra"), body})
		status := statuses[min(len(got), len(statuses))-1]
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"status":"x"}`)
	}))
	t.Cleanup(ts.Close)
	return ts, func() []seen { mu.Lock(); defer mu.Unlock(); return append([]seen(nil), got...) }
}

// newTransport is a Transport whose clock ticks a second per signature
// and whose waits return at once.
func newTransport(t *testing.T, cfg Config) *Transport {
	t.Helper()
	var mu sync.Mutex
	now := time.Unix(1_700_000_000, 0)
	s, err := signer.New(key, token, signer.WithClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}))
	require.NoError(t, err)
	cfg.Signer = s
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Sleep == nil {
		cfg.Sleep = func(context.Context, time.Duration) error { return nil }
	}
	cfg.UserAgent = "monri-go/test"
	return New(cfg)
}

func post(t *testing.T, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/v2/terminal-entry/create-or-update?x=1", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestEveryAttemptIsSignedAfreshFromTheBytesSent: each attempt carries its
// own timestamp and a digest over exactly the body bytes the server got.
func TestEveryAttemptIsSignedAfreshFromTheBytesSent(t *testing.T) {
	ts, got := recorder(t, 503, 503, 200)
	tr := newTransport(t, Config{MaxRetries: 2})
	res, err := tr.Do(t.Context(), post(t, ts.URL, `{"order_number":"o-1"}`), Call{Policy: Always})
	require.NoError(t, err)
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, 3, res.Attempts)
	assert.Equal(t, `{"status":"x"}`, string(res.Body))

	reqs := got()
	require.Len(t, reqs, 3)
	stamps := map[string]bool{}
	for _, r := range reqs {
		assert.Equal(t, `{"order_number":"o-1"}`, string(r.body), "every attempt sends the whole body")
		fields := strings.Fields(r.auth)
		require.Len(t, fields, 4)
		assert.Equal(t, signer.Digest(key, fields[2], token, r.uri, r.body), fields[3], "signed over the bytes sent")
		stamps[fields[2]] = true
	}
	assert.Len(t, stamps, 3, "each attempt carries its own timestamp")
}

// TestCallOverridesTheConfig: a Call's retries, header, timeout and logger
// replace or add to the client's for that call only.
func TestCallOverridesTheConfig(t *testing.T) {
	t.Run("max retries", func(t *testing.T) {
		for _, n := range []int{0, 1, 4} {
			ts, got := recorder(t, 503)
			tr := newTransport(t, Config{MaxRetries: 2})
			res, err := tr.Do(t.Context(), post(t, ts.URL, `{}`), Call{Policy: Always, MaxRetries: &n})
			require.NoError(t, err)
			assert.Equal(t, 503, res.Status)
			assert.Len(t, got(), n+1)
			assert.Equal(t, n+1, res.Attempts)
		}
	})
	t.Run("header", func(t *testing.T) {
		ts, got := recorder(t, 200)
		tr := newTransport(t, Config{})
		_, err := tr.Do(t.Context(), post(t, ts.URL, `{}`), Call{Header: http.Header{"X-Extra": {"v"}}})
		require.NoError(t, err)
		assert.Equal(t, "v", got()[0].extra)
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		ts := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		defer ts.Close()
		defer close(release)
		tr := newTransport(t, Config{}) // no bound of its own
		d, none := time.Millisecond, 0
		res, err := tr.Do(t.Context(), post(t, ts.URL, `{}`), Call{Timeout: &d, MaxRetries: &none})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.False(t, res.Answered())
	})
	t.Run("logger and attributes", func(t *testing.T) {
		ts, _ := recorder(t, 200)
		var clientLog, callLog bytes.Buffer
		debug := &slog.HandlerOptions{Level: slog.LevelDebug}
		tr := newTransport(t, Config{Logger: slog.New(slog.NewTextHandler(&clientLog, debug))})
		_, err := tr.Do(t.Context(), post(t, ts.URL, `{}`), Call{
			Logger:   slog.New(slog.NewTextHandler(&callLog, debug)),
			LogAttrs: []slog.Attr{slog.String("order", "o-1")},
		})
		require.NoError(t, err)
		assert.Empty(t, clientLog.String())
		line := callLog.String()
		assert.Contains(t, line, "order=o-1")
		assert.Contains(t, line, "status=200")
		for _, secret := range []string{key, token, "WP3"} {
			assert.NotContains(t, line, secret)
		}
	})
}

// TestNoAnswerLeavesTheResultEmpty: a dial that fails is an error naming
// the request, and the Result says nothing was answered.
func TestNoAnswerLeavesTheResultEmpty(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close()
	var attempts atomic.Int32
	tr := newTransport(t, Config{MaxRetries: 1, Sleep: func(context.Context, time.Duration) error { attempts.Add(1); return nil }})
	res, err := tr.Do(t.Context(), post(t, url, `{}`), Call{Policy: IfUnsent})
	require.Error(t, err)
	assert.True(t, NeverSent(err))
	assert.Contains(t, err.Error(), "POST /v2/terminal-entry/create-or-update")
	assert.False(t, res.Answered())
	assert.Equal(t, 2, res.Attempts, "a failed dial is retried even for a create")
	assert.EqualValues(t, 1, attempts.Load())
}
