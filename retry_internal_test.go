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

func TestWaitHonoursRetryAfter(t *testing.T) {
	d := &doer{cfg: config{initialBackoff: 500 * time.Millisecond, maxBackoff: 8 * time.Second}}
	cases := []struct {
		header string
		want   time.Duration
	}{
		{"0", 0},
		{"3", 3 * time.Second},
		{"120", tooLong}, // beyond maxRetryAfter: capped, and not waited for
	}
	for _, c := range cases {
		resp := &http.Response{Header: http.Header{"Retry-After": {c.header}}}
		assert.Equal(t, c.want, d.wait(0, resp), c.header)
	}
	date := &http.Response{Header: http.Header{"Retry-After": {time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}}}
	got := d.wait(0, date)
	assert.Greater(t, got, 59*time.Minute)
	assert.LessOrEqual(t, got, time.Hour)

	past := &http.Response{Header: http.Header{"Retry-After": {"Mon, 02 Jan 2006 15:04:05 GMT"}}}
	assert.Equal(t, time.Duration(0), d.wait(0, past))
}

func TestBackoffGrowsWithJitterUpToTheCap(t *testing.T) {
	d := &doer{cfg: config{initialBackoff: 500 * time.Millisecond, maxBackoff: 8 * time.Second}}
	for attempt, full := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			w := d.wait(attempt, nil)
			assert.GreaterOrEqual(t, w, full/2, "attempt %d", attempt)
			assert.LessOrEqual(t, w, full, "attempt %d", attempt)
			seen[w] = true
		}
		assert.Greater(t, len(seen), 1, "attempt %d: no jitter", attempt)
	}
	// A huge attempt number neither overflows nor exceeds the cap.
	assert.LessOrEqual(t, d.wait(200, nil), 8*time.Second)
}

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
