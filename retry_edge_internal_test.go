package monri

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// busy answers every request 503 with the given Retry-After (none if "")
// and counts the attempts.
func busy(t *testing.T, retryAfter string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"status":"error","message":"busy"}`)
	}))
	t.Cleanup(ts.Close)
	return ts, &n
}

// edgeClient is a client whose waits go through sleep.
func edgeClient(t *testing.T, url string, sleep func(context.Context, time.Duration) error, opts ...Option) *Client {
	t.Helper()
	t.Setenv(EnvMerchantKey, "")
	t.Setenv(EnvAuthenticityToken, "")
	t.Setenv(EnvEnvironment, "")
	c, err := NewClient(append([]Option{WithBaseURL(url), WithCredentials("key", "token"), withSleep(sleep)}, opts...)...)
	require.NoError(t, err)
	return c
}

// noSleep fails the test if a wait is started.
func noSleep(t *testing.T) func(context.Context, time.Duration) error {
	return func(_ context.Context, d time.Duration) error {
		t.Errorf("a wait of %s was started", d)
		return nil
	}
}

func TestRetryAfterTooLongIsNotRetried(t *testing.T) {
	for _, v := range []string{"61", "3600", "9223372037", "9223372036854775808", "99999999999999999999999"} {
		t.Run(v, func(t *testing.T) {
			ts, n := busy(t, v)
			_, err := edgeClient(t, ts.URL, noSleep(t)).Customers.Get(t.Context(), "u-1")
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusServiceUnavailable, apiErr.HTTPStatus)
			assert.EqualValues(t, 1, n.Load(), "a Retry-After beyond a minute is not waited for")
		})
	}
}

// TestWaitPastTheDeadlineIsNotStarted: a wait the deadline would cut is not
// slept; the call returns at once with Monri's answer and the deadline.
func TestWaitPastTheDeadlineIsNotStarted(t *testing.T) {
	cases := []struct {
		name       string
		retryAfter string
		backoff    time.Duration
	}{
		{"Retry-After", "50", time.Millisecond},
		{"backoff", "", 40 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts, n := busy(t, c.retryAfter)
			cl := edgeClient(t, ts.URL, noSleep(t), WithBackoff(c.backoff, c.backoff))
			// Ten seconds is far less than either wait and far more than
			// one attempt to a loopback server needs.
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			_, err := cl.Customers.Get(ctx, "u-1")
			var apiErr *Error
			require.ErrorAs(t, err, &apiErr, "Monri's last answer is kept")
			assert.Equal(t, http.StatusServiceUnavailable, apiErr.HTTPStatus)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NoError(t, ctx.Err(), "the call returned before its deadline")
			assert.EqualValues(t, 1, n.Load())
		})
	}
}

// TestWaitWithinTheDeadlineIsSlept: the check does not stop a wait that fits.
func TestWaitWithinTheDeadlineIsSlept(t *testing.T) {
	ts, n := busy(t, "2")
	var waits []time.Duration
	cl := edgeClient(t, ts.URL, func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil })
	ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
	defer cancel()
	_, err := cl.Customers.Get(ctx, "u-1")
	require.Error(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second, 2 * time.Second}, waits)
	assert.EqualValues(t, 3, n.Load())
}

// TestCancelledAttemptKeepsItsOwnError: a GET cancelled mid-attempt reports
// the attempt's failure, not "waiting to retry".
func TestCancelledAttemptKeepsItsOwnError(t *testing.T) {
	entered := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}))
	defer ts.Close()
	cl := edgeClient(t, ts.URL, noSleep(t))
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-entered; cancel() }()

	_, err := cl.Customers.Get(ctx, "u-1")
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var urlErr *url.Error
	assert.True(t, errors.As(err, &urlErr), "the attempt's own error is kept: %v", err)
	assert.NotContains(t, err.Error(), "waiting to retry")
}
