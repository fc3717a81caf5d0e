package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// fastCallbacks keeps retries quick in tests: the waits are real time.
var fastCallbacks = mock.WithCallbackPolicy(mock.CallbackPolicy{
	Attempts: 5, InitialBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
	AttemptTimeout: 2 * time.Second, TotalTimeout: 10 * time.Second,
})

// receiver is a merchant's callback endpoint on loopback. It verifies each
// callback's WP3-callback signature and answers what answer says for the
// n-th request (1-based); 200 when answer is nil.
type receiver struct {
	t      *testing.T
	key    string
	URL    string
	answer func(n int) int
	hang   bool          // hold every request until the client gives up or the test ends
	hits   chan struct{} // one value per request received, never blocks up to 64
	stop   chan struct{} // closed when the test ends

	mu       sync.Mutex
	requests int
	verified []gen.Callback
	bodies   [][]byte
	invalid  int
}

func newReceiver(t *testing.T, key string, answer func(n int) int) *receiver {
	t.Helper()
	r := &receiver{t: t, key: key, answer: answer, hits: make(chan struct{}, 64), stop: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		close(r.stop) // release held requests, or Close waits for them
		srv.Close()
	})
	r.URL = srv.URL + "/monri/callback"
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.requests++
	n := r.requests
	ok := req.Method == http.MethodPost && req.URL.Path == "/monri/callback" &&
		req.Header.Get("Content-Type") == "application/json" &&
		signer.VerifyCallback(r.key, req.Header.Get("Authorization"), body) == nil
	if ok {
		var cb gen.Callback
		ok = json.Unmarshal(body, &cb) == nil
		r.verified = append(r.verified, cb)
		r.bodies = append(r.bodies, body)
	}
	if !ok {
		r.invalid++
	}
	r.mu.Unlock()
	select {
	case r.hits <- struct{}{}:
	default:
	}
	if r.hang {
		select {
		case <-req.Context().Done():
		case <-r.stop:
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		return
	}
	status := http.StatusOK
	if r.answer != nil {
		status = r.answer(n)
	}
	w.WriteHeader(status)
}

func (r *receiver) got() (requests int, verified []gen.Callback, bodies [][]byte, invalid int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests, append([]gen.Callback(nil), r.verified...), append([][]byte(nil), r.bodies...), r.invalid
}

func waitCallbacks(t *testing.T, s *mock.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	require.NoError(t, s.WaitCallbacks(ctx))
}

// TestCallbackRetriesUntilAccepted: the receiver fails three times, then
// takes the callback; the mock tried four times, each signed the same.
func TestCallbackRetriesUntilAccepted(t *testing.T) {
	run := mock.Start(t, fastCallbacks)
	rcv := newReceiver(t, run.MerchantKey, func(n int) int {
		switch n {
		case 1:
			return http.StatusInternalServerError
		case 2:
			return http.StatusServiceUnavailable
		case 3:
			return http.StatusNotFound
		}
		return http.StatusOK
	})
	createLink(t, run, nil, "retry-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL })
	_, err := run.Server.Pay(t.Context(), "retry-1")
	require.NoError(t, err)
	waitCallbacks(t, run.Server)

	n, got, bodies, invalid := rcv.got()
	assert.Equal(t, 4, n)
	assert.Zero(t, invalid)
	require.Len(t, got, 4)
	for _, b := range bodies[1:] {
		assert.Equal(t, bodies[0], b, "every attempt sends the same body")
	}
	d := run.Server.Callbacks()
	require.Len(t, d, 1)
	assert.Equal(t, 4, d[0].Attempts)
	assert.True(t, d[0].Delivered)
	assert.Equal(t, 200, d[0].LastStatus)
	assert.Empty(t, d[0].LastError)
}

// TestCallbackRetriesAreBounded: by the number of attempts, and by the
// total time when the receiver never answers.
func TestCallbackRetriesAreBounded(t *testing.T) {
	t.Run("attempts", func(t *testing.T) {
		run := mock.Start(t, fastCallbacks)
		rcv := newReceiver(t, run.MerchantKey, func(int) int { return http.StatusServiceUnavailable })
		createLink(t, run, nil, "bounded-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL })
		_, err := run.Server.Pay(t.Context(), "bounded-1")
		require.NoError(t, err)
		waitCallbacks(t, run.Server)
		n, _, _, _ := rcv.got()
		assert.Equal(t, 5, n)
		d := run.Server.Callbacks()[0]
		assert.Equal(t, mock.CallbackDelivery{OrderNumber: "bounded-1", URL: rcv.URL, Body: d.Body, Attempts: 5, LastStatus: 503, LastError: "answered 503", Done: true}, d)
	})
	t.Run("connection refused", func(t *testing.T) {
		run := mock.Start(t, fastCallbacks)
		srv := httptest.NewServer(http.NotFoundHandler())
		dead := srv.URL + "/callback"
		srv.Close()
		createLink(t, run, nil, "bounded-2", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &dead })
		_, err := run.Server.Pay(t.Context(), "bounded-2")
		require.NoError(t, err)
		waitCallbacks(t, run.Server)
		d := run.Server.Callbacks()[0]
		assert.Equal(t, 5, d.Attempts)
		assert.Zero(t, d.LastStatus)
		assert.True(t, strings.HasPrefix(d.LastError, "no answer: "), d.LastError)
		assert.NotContains(t, d.LastError, "/callback", "the merchant's URL is not repeated")
		assert.False(t, d.Delivered)
	})
	t.Run("total time", func(t *testing.T) {
		run := mock.Start(t, mock.WithCallbackPolicy(mock.CallbackPolicy{
			Attempts: 1000, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond,
			AttemptTimeout: 20 * time.Millisecond, TotalTimeout: 150 * time.Millisecond,
		}))
		rcv := newReceiver(t, run.MerchantKey, nil)
		rcv.hang = true
		createLink(t, run, nil, "bounded-3", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL })
		_, err := run.Server.Pay(t.Context(), "bounded-3")
		require.NoError(t, err)
		waitCallbacks(t, run.Server)
		d := run.Server.Callbacks()[0]
		assert.True(t, d.Done)
		assert.False(t, d.Delivered)
		// Against a receiver that never answers, each attempt lasts its
		// 20 ms timeout, so the 150 ms total admits at most 8 (starting at
		// 0, 21, …, 147 ms); without it all 1,000 would run, for 21 s.
		assert.LessOrEqual(t, d.Attempts, 8)
		assert.Positive(t, d.Attempts)
		assert.Contains(t, []string{"gave up: total timeout 150ms passed", "no answer: timed out"}, d.LastError)
	})
}

// TestCallbackGoesOnlyWhereTheLinkSays: a redirect from the merchant's
// endpoint is a failed attempt, never a new target.
func TestCallbackGoesOnlyWhereTheLinkSays(t *testing.T) {
	run := mock.Start(t, fastCallbacks)
	elsewhere := newReceiver(t, run.MerchantKey, nil)
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirecting.Close)
	target := redirecting.URL + "/cb"
	createLink(t, run, nil, "only-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &target })
	_, err := run.Server.Pay(t.Context(), "only-1")
	require.NoError(t, err)
	waitCallbacks(t, run.Server)
	n, _, _, _ := elsewhere.got()
	assert.Zero(t, n)
	d := run.Server.Callbacks()[0]
	assert.Equal(t, target, d.URL)
	assert.Equal(t, 307, d.LastStatus)
	assert.False(t, d.Delivered)
}

// TestCloseStopsCallbacks: Close cancels a delivery in flight and returns
// only once its goroutine is done; nothing is sent after.
func TestCloseStopsCallbacks(t *testing.T) {
	srv, err := mock.New(mock.WithCallbackPolicy(mock.CallbackPolicy{AttemptTimeout: time.Minute, TotalTimeout: time.Minute}))
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	run := &mock.Running{URL: ts.URL, MerchantKey: mock.DefaultMerchantKey, AuthenticityToken: mock.DefaultAuthenticityToken, Server: srv}
	rcv := newReceiver(t, run.MerchantKey, nil)
	rcv.hang = true
	createLink(t, run, nil, "close-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL })
	createLink(t, run, nil, "close-2", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL })
	_, err = srv.Pay(t.Context(), "close-1")
	require.NoError(t, err)
	<-rcv.hits // the callback is in flight, held by the receiver

	require.NoError(t, srv.Close())
	d := srv.Callbacks()
	require.Len(t, d, 1)
	assert.True(t, d[0].Done, "Close waited for the delivery to end")
	assert.Equal(t, "stopped: the mock is closed", d[0].LastError)
	assert.NoError(t, srv.WaitCallbacks(t.Context()))

	_, err = srv.Pay(t.Context(), "close-2")
	assert.ErrorIs(t, err, mock.ErrClosed)
	r := buyerDo(t, http.MethodPost, ts.URL+"/pay/close-2/pay")
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	require.NoError(t, srv.Close(), "Close may be called again")
}

func TestWaitCallbacksHonoursTheContext(t *testing.T) {
	run := mock.Start(t)
	rcv := newReceiver(t, run.MerchantKey, nil)
	rcv.hang = true
	createLink(t, run, nil, "wait-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL })
	_, err := run.Server.Pay(t.Context(), "wait-1")
	require.NoError(t, err)
	<-rcv.hits
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, run.Server.WaitCallbacks(ctx), context.Canceled)
	assert.False(t, run.Server.Callbacks()[0].Done)
	// mock.Start's cleanup closes the server, which stops the delivery.
}

func TestWithCallbackPolicyRejectsBadValues(t *testing.T) {
	for _, p := range []mock.CallbackPolicy{
		{Attempts: -1},
		{InitialBackoff: -time.Second},
		{TotalTimeout: -1},
		{InitialBackoff: time.Second, MaxBackoff: time.Millisecond},
	} {
		_, err := mock.New(mock.WithCallbackPolicy(p))
		assert.ErrorContains(t, err, "WithCallbackPolicy", "%+v", p)
	}
	_, err := mock.New(mock.WithCallbackPolicy(mock.CallbackPolicy{InitialBackoff: 5 * time.Second}))
	assert.NoError(t, err, "a zero MaxBackoff follows a large InitialBackoff")
}

func TestCallbacksGoOnlyToLoopbackByDefault(t *testing.T) {
	var logs bytes.Buffer
	run := mock.Start(t, fastCallbacks, mock.WithRequestLog(slog.New(slog.NewTextHandler(&logs, nil))))
	// 192.0.2.0/24 is TEST-NET-1: the mock must not even try it.
	for _, c := range []struct{ order, url string }{
		{"far-1", "http://192.0.2.10/monri/callback?token=s3cret"},
		{"far-2", "https://merchant.example/monri/callback"},
		{"far-3", "http://[2001:db8::1]:8080/cb"},
	} {
		createLink(t, run, nil, c.order, func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = strp(c.url) })
		p, err := run.Server.Pay(t.Context(), c.order)
		require.NoError(t, err, "the payment happens; only its callback is refused")
		assert.Equal(t, c.url, p.CallbackURL)
	}
	waitCallbacks(t, run.Server)
	got := run.Server.Callbacks()
	require.Len(t, got, 3)
	for _, d := range got {
		assert.True(t, d.Refused && d.Done && !d.Delivered, "%+v", d)
		assert.Zero(t, d.Attempts)
		assert.Contains(t, d.LastError, "is not loopback nor allowed")
	}
	log := decode[callbackLog](t, ctl(t, run, http.MethodGet, "/__mock/callbacks", nil), http.StatusOK)
	require.Len(t, log.Callbacks, 3)
	assert.True(t, log.Callbacks[0].Refused, "refused deliveries are in the control API's log too")
	assert.Equal(t, 3, strings.Count(logs.String(), "callback refused"), "%s", logs.String())
	assert.NotContains(t, logs.String(), "s3cret", "a callback URL is logged without its query")
}

func TestWithCallbackHostsAllowsMore(t *testing.T) {
	run := mock.Start(t, fastCallbacks, mock.WithCallbackHosts("merchant.example", "*"))
	merchant := newReceiver(t, run.MerchantKey, nil)
	createLink(t, run, nil, "near-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &merchant.URL })
	_, err := run.Server.Pay(t.Context(), "near-1")
	require.NoError(t, err)
	waitCallbacks(t, run.Server)
	assert.True(t, run.Server.Callbacks()[0].Delivered)

	for _, bad := range []string{"", "host:80", "http://host", "a/b", "user@host"} {
		_, err := mock.New(mock.WithCallbackHosts(bad))
		assert.ErrorContains(t, err, "WithCallbackHosts", "%q", bad)
	}
	for _, good := range []string{"::1", "[::1]", "10.0.0.1", "Merchant.Example"} {
		_, err := mock.New(mock.WithCallbackHosts(good))
		assert.NoError(t, err, "%q", good)
	}
}

func TestCallbackLogIsBounded(t *testing.T) {
	run := mock.Start(t, fastCallbacks, mock.WithCallbackLogSize(2))
	for i := range 3 {
		order := fmt.Sprintf("ring-%d", i)
		createLink(t, run, nil, order, func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = strp("http://192.0.2.1/cb") })
		_, err := run.Server.Pay(t.Context(), order)
		require.NoError(t, err)
	}
	got := run.Server.Callbacks()
	require.Len(t, got, 2)
	assert.Equal(t, "ring-1", got[0].OrderNumber)
	assert.Equal(t, "ring-2", got[1].OrderNumber)

	for _, opt := range []mock.Option{mock.WithCallbackLogSize(0), mock.WithRequestLogSize(-1)} {
		_, err := mock.New(opt)
		assert.ErrorContains(t, err, "is below 1")
	}
}
