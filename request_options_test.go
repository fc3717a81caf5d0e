package monri_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
)

// headerTap passes every request to the mock and records the value of one
// header on each, with the request's method and path.
type headerTap struct {
	mu   sync.Mutex
	name string
	got  []string
	next http.Handler
}

func (h *headerTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.got = append(h.got, r.Method+" "+r.URL.Path+" "+r.Header.Get(h.name))
	h.mu.Unlock()
	h.next.ServeHTTP(w, r)
}

func (h *headerTap) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	got := h.got
	h.got = nil
	return got
}

// TestEveryServiceMethodTakesRequestOptions: a header given to any method,
// iterators included, reaches every request that method sends.
func TestEveryServiceMethodTakesRequestOptions(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t)
	tap := &headerTap{name: "X-Trace-Id", next: m.Server}
	ts := httptest.NewServer(tap)
	defer ts.Close()
	c, err := monri.NewClient(monri.WithBaseURL(ts.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	require.NoError(t, err)
	ctx := t.Context()
	trace := monri.WithRequestHeader("x-trace-id", "t-1")

	cust, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("opt-1")}, trace)
	require.NoError(t, err)
	_, err = m.Server.AddPaymentMethod(cust.UUID, gen.PaymentMethod{MaskedPan: "405840******0005"})
	require.NoError(t, err)
	_, err = c.PayByLink.CreateOrUpdate(ctx, link("opt-order"), trace)
	require.NoError(t, err)

	drain := func(seq func(func(monri.Customer, error) bool)) error {
		for _, err := range seq {
			if err != nil {
				return err
			}
		}
		return nil
	}
	drainMethods := func(seq func(func(monri.PaymentMethod, error) bool)) error {
		for _, err := range seq {
			if err != nil {
				return err
			}
		}
		return nil
	}
	calls := map[string]func(opts ...monri.RequestOption) error{
		"Customers.Create": func(o ...monri.RequestOption) error {
			_, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("opt-2")}, o...)
			return err
		},
		"Customers.Get": func(o ...monri.RequestOption) error { _, err := c.Customers.Get(ctx, cust.UUID, o...); return err },
		"Customers.GetByMerchantCustomerID": func(o ...monri.RequestOption) error {
			_, err := c.Customers.GetByMerchantCustomerID(ctx, "opt-1", o...)
			return err
		},
		"Customers.Update": func(o ...monri.RequestOption) error {
			_, err := c.Customers.Update(ctx, cust.UUID, monri.CustomerParams{City: ptr("Mostar")}, o...)
			return err
		},
		"Customers.List":    func(o ...monri.RequestOption) error { _, err := c.Customers.List(ctx, nil, o...); return err },
		"Customers.ListAll": func(o ...monri.RequestOption) error { return drain(c.Customers.ListAll(ctx, nil, o...)) },
		"Customers.ListPaymentMethods": func(o ...monri.RequestOption) error {
			_, err := c.Customers.ListPaymentMethods(ctx, cust.UUID, nil, o...)
			return err
		},
		"Customers.ListAllPaymentMethods": func(o ...monri.RequestOption) error {
			return drainMethods(c.Customers.ListAllPaymentMethods(ctx, cust.UUID, nil, o...))
		},
		"PayByLink.CreateOrUpdate": func(o ...monri.RequestOption) error {
			_, err := c.PayByLink.CreateOrUpdate(ctx, link("opt-order"), o...)
			return err
		},
		"PayByLink.Get": func(o ...monri.RequestOption) error { _, err := c.PayByLink.Get(ctx, "opt-order", o...); return err },
		"PayByLink.Deactivate": func(o ...monri.RequestOption) error {
			_, err := c.PayByLink.Deactivate(ctx, link("opt-order"), o...)
			return err
		},
		"PayByLink.Activate": func(o ...monri.RequestOption) error {
			_, err := c.PayByLink.Activate(ctx, link("opt-order"), o...)
			return err
		},
		// Delete last: the other calls need the customer.
	}
	names := []string{"Customers.Create", "Customers.Get", "Customers.GetByMerchantCustomerID", "Customers.Update",
		"Customers.List", "Customers.ListAll", "Customers.ListPaymentMethods", "Customers.ListAllPaymentMethods",
		"PayByLink.CreateOrUpdate", "PayByLink.Get", "PayByLink.Deactivate", "PayByLink.Activate"}
	require.Len(t, names, len(calls))
	calls["Customers.Delete"] = func(o ...monri.RequestOption) error { _, err := c.Customers.Delete(ctx, cust.UUID, o...); return err }
	names = append(names, "Customers.Delete")

	tap.take()
	for _, name := range names {
		require.NoError(t, calls[name](trace), name)
		sent := tap.take()
		require.NotEmpty(t, sent, name)
		for _, line := range sent {
			assert.True(t, strings.HasSuffix(line, " t-1"), "%s: %s carries no X-Trace-Id", name, line)
		}
	}
	require.NoError(t, calls["Customers.Get"](monri.WithRequestMaxRetries(0)), "options are per call")
	for _, line := range tap.take() {
		assert.True(t, strings.HasSuffix(line, " "), "a header given to one call is not sent on the next: %s", line)
	}
}

// TestWithRequestHeaderRefusesTheClientsHeaders: a header the client owns is
// refused with an error naming it, and nothing is sent.
func TestWithRequestHeaderRefusesTheClientsHeaders(t *testing.T) {
	srv := &scripted{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := fastRetryClient(t, ts.URL)
	cases := []struct{ key, value, want string }{
		{"Authorization", "WP3-v2.1 x", `"Authorization"`},
		{"authorization", "x", `"Authorization"`},
		{"Content-Type", "text/plain", `"Content-Type"`},
		{"Content-Length", "1", `"Content-Length"`},
		{"Transfer-Encoding", "chunked", `"Transfer-Encoding"`},
		{"Host", "evil.example", `"Host"`},
		{"Accept", "text/html", `"Accept"`},
		{"User-Agent", "x", `"User-Agent"`},
		{"Bad Name", "x", `"Bad Name"`},
		{"", "x", `""`},
		{"X-Split", "a\r\nX-Evil: 1", `"X-Split"`},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			_, err := c.Customers.Get(t.Context(), "u-1", monri.WithRequestHeader(tc.key, tc.value))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "WithRequestHeader")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.Zero(t, srv.count(), "a refused option sends nothing")

	// A refused header's value may be a credential a caller meant to pass
	// (a signature, a proxy's token): the error names the header, never
	// the value, in any verb.
	digest := strings.Repeat("ab", 64)
	for _, tc := range []struct{ key, value string }{
		{"Authorization", "WP3-v2.1 " + secretToken + " 1700000000 " + digest},
		{"Proxy-Authorization", "Bearer " + secretToken + "\r\nX-Evil: 1"},
		{"X-Api-Key", secretKey + "\x00"},
	} {
		_, err := c.Customers.Get(t.Context(), "u-1", monri.WithRequestHeader(tc.key, tc.value))
		require.Error(t, err, tc.key)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, err)
			assert.NotContains(t, out, secretToken, "%s %s", tc.key, verb)
			assert.NotContains(t, out, secretKey, "%s %s", tc.key, verb)
			assert.NotContains(t, out, digest, "%s %s", tc.key, verb)
		}
	}
	assert.Zero(t, srv.count(), "a refused option sends nothing")

	_, err := c.Customers.Get(t.Context(), "u-1", monri.WithRequestMaxRetries(-1))
	assert.ErrorContains(t, err, "WithRequestMaxRetries")
	_, err = c.Customers.Get(t.Context(), "u-1", monri.WithRequestTimeout(-time.Second))
	assert.ErrorContains(t, err, "WithRequestTimeout")
	assert.Zero(t, srv.count())
}

// TestWithRequestMaxRetriesZeroSendsOnce: the client retries a 503 twice by
// default; one call with WithRequestMaxRetries(0) sends once, and the next
// call without it retries again.
func TestWithRequestMaxRetriesZeroSendsOnce(t *testing.T) {
	cases := []struct {
		name     string
		opts     []monri.RequestOption
		attempts int
	}{
		{"client default", nil, 3},
		{"zero", []monri.RequestOption{monri.WithRequestMaxRetries(0)}, 1},
		{"one", []monri.RequestOption{monri.WithRequestMaxRetries(1)}, 2},
		{"more than the client's", []monri.RequestOption{monri.WithRequestMaxRetries(4)}, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := &scripted{statuses: []int{503, 503, 503, 503, 503, 503}}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			_, err := fastRetryClient(t, ts.URL).Customers.Get(t.Context(), "u-1", tc.opts...)
			var apiErr *monri.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.attempts, srv.count())
		})
	}
}

// TestWithRequestTimeoutEndsAStalledCall: the client has no per-attempt
// bound; one call's own bound ends it although its context has none.
func TestWithRequestTimeoutEndsAStalledCall(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	stalled := 0
	ts := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stalled++
		mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer ts.Close()
	defer close(release)
	c := fastRetryClient(t, ts.URL, monri.WithTimeout(0))

	_, err := c.Customers.Get(context.Background(), "u-1", monri.WithRequestTimeout(20*time.Millisecond), monri.WithRequestMaxRetries(0))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, stalled)
}

// TestWithRequestLoggerGetsTheLineWithoutSecrets: one call's logger gets
// that call's line, with its attributes and no secret; the client's logger
// gets none of it.
func TestWithRequestLoggerGetsTheLineWithoutSecrets(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t, mock.WithCredentials(secretKey, secretToken))
	var clientLog, callLog bytes.Buffer
	debug := &slog.HandlerOptions{Level: slog.LevelDebug}
	c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(secretKey, secretToken),
		monri.WithLogger(slog.New(slog.NewJSONHandler(&clientLog, debug))))
	require.NoError(t, err)

	_, err = c.PayByLink.CreateOrUpdate(t.Context(), link("log-order"),
		monri.WithRequestLogger(slog.New(slog.NewJSONHandler(&callLog, debug))),
		monri.WithRequestLogAttrs(slog.String("order", "log-order")),
		monri.WithRequestHeader("X-Trace-Id", "t-9"))
	require.NoError(t, err)
	assert.Empty(t, clientLog.String(), "the call's logger replaces the client's")
	line := callLog.String()
	assert.Contains(t, line, `"path":"/v2/terminal-entry/create-or-update"`)
	assert.Contains(t, line, `"order":"log-order"`)
	assert.Contains(t, line, `"status":200`)
	for _, secret := range []string{secretKey, secretToken, "WP3-v2.1", "t-9"} {
		assert.NotContains(t, line, secret)
	}
	assert.NotRegexp(t, hex128, line, "a digest reached the log")

	_, err = c.PayByLink.Get(t.Context(), "log-order", monri.WithRequestLogAttrs(slog.String("trace", "t-2")))
	require.NoError(t, err)
	assert.Contains(t, clientLog.String(), `"trace":"t-2"`, "attributes alone go to the client's logger")
}
