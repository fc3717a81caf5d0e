package transport

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWaitHonoursRetryAfter(t *testing.T) {
	tr := New(Config{InitialBackoff: 500 * time.Millisecond, MaxBackoff: 8 * time.Second})
	cases := []struct {
		header string
		want   time.Duration
	}{
		{"0", 0},
		{"3", 3 * time.Second},
		{"120", tooLong}, // beyond MaxRetryAfter: capped, and not waited for
	}
	for _, c := range cases {
		resp := &http.Response{Header: http.Header{"Retry-After": {c.header}}}
		assert.Equal(t, c.want, tr.wait(0, resp), c.header)
	}
	date := &http.Response{Header: http.Header{"Retry-After": {time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)}}}
	got := tr.wait(0, date)
	assert.Greater(t, got, 59*time.Minute)
	assert.LessOrEqual(t, got, time.Hour)

	past := &http.Response{Header: http.Header{"Retry-After": {"Mon, 02 Jan 2006 15:04:05 GMT"}}}
	assert.Equal(t, time.Duration(0), tr.wait(0, past))
}

func TestBackoffGrowsWithJitterUpToTheCap(t *testing.T) {
	tr := New(Config{InitialBackoff: 500 * time.Millisecond, MaxBackoff: 8 * time.Second})
	for attempt, full := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second, 8 * time.Second} {
		seen := map[time.Duration]bool{}
		for range 50 {
			w := tr.Backoff(attempt)
			assert.GreaterOrEqual(t, w, full/2, "attempt %d", attempt)
			assert.LessOrEqual(t, w, full, "attempt %d", attempt)
			seen[w] = true
		}
		assert.Greater(t, len(seen), 1, "attempt %d: no jitter", attempt)
	}
	// A huge attempt number neither overflows nor exceeds the cap.
	assert.LessOrEqual(t, tr.Backoff(200), 8*time.Second)
}

func TestRetryAfterTooLongIsCapped(t *testing.T) {
	for _, v := range []string{"61", "3600", "9223372037", "9223372036854775808", "99999999999999999999999"} {
		resp := &http.Response{Header: http.Header{"Retry-After": {v}}}
		assert.Greater(t, retryAfter(resp), MaxRetryAfter, "%s: no overflow into a short wait", v)
		assert.False(t, shouldRetry(Always, http.MethodGet, &http.Response{StatusCode: 503, Header: resp.Header}, nil), v)
	}
	assert.Equal(t, 60*time.Second, retryAfter(&http.Response{Header: http.Header{"Retry-After": {"60"}}}))
	assert.Equal(t, time.Duration(-1), retryAfter(&http.Response{Header: http.Header{"Retry-After": {"soon"}}}))
	assert.Equal(t, time.Duration(-1), retryAfter(nil))
}

func TestShouldRetry(t *testing.T) {
	dial := &net.OpError{Op: "dial", Err: errors.New("refused")}
	read := &net.OpError{Op: "read", Err: errors.New("reset")}
	cases := []struct {
		name   string
		policy Policy
		method string
		status int
		err    error
		want   bool
	}{
		{"GET 503", ByMethod, http.MethodGet, 503, nil, true},
		{"GET 408", ByMethod, http.MethodGet, 408, nil, true},
		{"GET 429", ByMethod, http.MethodGet, 429, nil, true},
		{"GET 400", ByMethod, http.MethodGet, 400, nil, false},
		{"GET 404", ByMethod, http.MethodGet, 404, nil, false},
		{"GET 200", ByMethod, http.MethodGet, 200, nil, false},
		{"GET read error", ByMethod, http.MethodGet, 0, read, true},
		{"DELETE 500", ByMethod, http.MethodDelete, 500, nil, true},
		{"POST by method 503", ByMethod, http.MethodPost, 503, nil, false},
		{"idempotent POST 503", Always, http.MethodPost, 503, nil, true},
		{"idempotent POST read error", Always, http.MethodPost, 0, read, true},
		{"create 503", IfUnsent, http.MethodPost, 503, nil, false},
		{"create 408", IfUnsent, http.MethodPost, 408, nil, false},
		{"create 429", IfUnsent, http.MethodPost, 429, nil, true},
		{"create read error", IfUnsent, http.MethodPost, 0, read, false},
		{"create dial error", IfUnsent, http.MethodPost, 0, dial, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var resp *http.Response
			if c.err == nil {
				resp = &http.Response{StatusCode: c.status, Header: http.Header{}}
			}
			assert.Equal(t, c.want, shouldRetry(c.policy, c.method, resp, c.err))
		})
	}
}

func TestNeverSent(t *testing.T) {
	assert.True(t, NeverSent(&net.OpError{Op: "dial", Err: errors.New("refused")}))
	assert.False(t, NeverSent(&net.OpError{Op: "read", Err: errors.New("reset")}))
	assert.False(t, NeverSent(errors.New("other")))
}
