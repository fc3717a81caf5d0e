package monri_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/spectest"
)

// shop is a merchant's server on loopback: CallbackHandler at
// /monri/callback and a success page that checks the redirect's digest.
type shop struct {
	URL       string
	callbacks chan monri.Callback // every callback fn accepted
	failures  atomic.Int32        // fn fails while this is positive
	fnCalls   atomic.Int32

	mu        sync.Mutex
	successes []error // VerifySuccessRedirect's result per success page visit
}

func newShop(t *testing.T, merchantKey string) *shop {
	t.Helper()
	s := &shop{callbacks: make(chan monri.Callback, 16)}
	mux := http.NewServeMux()
	mux.Handle("/monri/callback", monri.CallbackHandler(merchantKey, func(_ context.Context, cb monri.Callback) error {
		s.fnCalls.Add(1)
		if s.failures.Add(-1) >= 0 {
			return errors.New("the order database is down")
		}
		s.callbacks <- cb
		return nil
	}))
	mux.HandleFunc("GET /monri/success", func(w http.ResponseWriter, r *http.Request) {
		err := monri.VerifySuccessRedirect(merchantKey, r)
		s.mu.Lock()
		s.successes = append(s.successes, err)
		s.mu.Unlock()
		if err != nil {
			http.Error(w, "not verified", http.StatusForbidden)
			return
		}
		_, _ = io.WriteString(w, "thank you: payment verified")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *shop) successResults() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.successes...)
}

// payingMock is a mock whose callback retries are quick, and a facade
// client on it that checks every exchange against the contract.
func payingMock(t *testing.T, opts ...mock.Option) (*monri.Client, *mock.Running) {
	t.Helper()
	clearEnv(t)
	opts = append([]mock.Option{mock.WithCallbackPolicy(mock.CallbackPolicy{
		Attempts: 5, InitialBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
	})}, opts...)
	m := mock.Start(t, opts...)
	c, err := monri.NewClient(
		monri.WithBaseURL(m.URL),
		monri.WithCredentials(m.MerchantKey, m.AuthenticityToken),
		monri.WithHTTPClient(&http.Client{Transport: spectest.NewTransport(t, nil)}),
	)
	require.NoError(t, err)
	return c, m
}

func waitDeliveries(t *testing.T, m *mock.Running) []mock.CallbackDelivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	require.NoError(t, m.Server.WaitCallbacks(ctx))
	return m.Server.Callbacks()
}

func linkFor(s *shop, order string) monri.PayByLinkParams {
	p := link(order)
	p.CallbackURLOverride = ptr(s.URL + "/monri/callback")
	p.SuccessURLOverride = ptr(s.URL + "/monri/success")
	return p
}

// TestPayByLinkCallbackEndToEnd: the facade creates a link on the mock,
// the buyer pays it, CallbackHandler gets the verified callback (after two
// failures of its own, which the mock retries), the buyer lands on the
// success page with a digest that verifies, and Get says approved.
func TestPayByLinkCallbackEndToEnd(t *testing.T) {
	c, m := payingMock(t)
	s := newShop(t, m.MerchantKey)
	s.failures.Store(2)
	ctx := t.Context()

	created, err := c.PayByLink.CreateOrUpdate(ctx, linkFor(s, "e2e-1"))
	require.NoError(t, err)
	assert.Equal(t, gen.TerminalEntryStatusPending, created.TerminalEntryStatus)

	p, err := m.Server.Pay(ctx, "e2e-1")
	require.NoError(t, err)
	d := waitDeliveries(t, m)
	require.Len(t, d, 1)
	assert.True(t, d[0].Delivered)
	assert.Equal(t, 3, d[0].Attempts, "two 500s from fn's failures, then 200")
	assert.Equal(t, int32(3), s.fnCalls.Load())

	cb := <-s.callbacks
	assert.Equal(t, "e2e-1", cb.OrderNumber)
	assert.Equal(t, monri.CallbackStatusApproved, cb.Status)
	assert.Equal(t, monri.ResponseCodeApproved, cb.ResponseCode)
	assert.Equal(t, created.Amount, cb.Amount)
	assert.Equal(t, created.Currency, cb.Currency)
	assert.Equal(t, p.Callback.ApprovalCode, cb.ApprovalCode)

	got, err := c.PayByLink.Get(ctx, "e2e-1")
	require.NoError(t, err)
	assert.Equal(t, gen.TerminalEntryStatusApproved, got.TerminalEntryStatus)

	// The buyer's browser follows the redirect to the shop.
	resp, err := http.Get(p.RedirectURL)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Equal(t, []error{nil}, s.successResults())

	// A tampered success URL does not verify.
	resp, err = http.Get(strings.Replace(p.RedirectURL, "response_code=0000", "response_code=0001", 1))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.ErrorIs(t, s.successResults()[1], signer.ErrMismatch)
}

// TestBuyerPaysOverHTTP: the same, with the buyer's browser played by an
// http.Client that POSTs the page's Pay form and follows the 303.
func TestBuyerPaysOverHTTP(t *testing.T) {
	c, m := payingMock(t)
	s := newShop(t, m.MerchantKey)
	l, err := c.PayByLink.CreateOrUpdate(t.Context(), linkFor(s, "e2e-http-1"))
	require.NoError(t, err)

	page, err := http.Get(l.PaymentURL)
	require.NoError(t, err)
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	require.Contains(t, string(html), `action="/pay/e2e-http-1/pay"`)

	resp, err := http.Post(l.PaymentURL+"/pay", "application/x-www-form-urlencoded", nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Equal(t, "thank you: payment verified", string(body))
	assert.True(t, strings.HasPrefix(resp.Request.URL.String(), s.URL+"/monri/success?order_number=e2e-http-1&"), "landed on the shop")

	d := waitDeliveries(t, m)
	require.Len(t, d, 1)
	assert.True(t, d[0].Delivered)
	assert.Equal(t, "e2e-http-1", (<-s.callbacks).OrderNumber)
	got, err := c.PayByLink.Get(t.Context(), "e2e-http-1")
	require.NoError(t, err)
	assert.Equal(t, gen.TerminalEntryStatusApproved, got.TerminalEntryStatus)
}

// TestCallbackFromAnotherMerchantIsRejected: a mock signing with another
// key is answered 401 every time; fn never runs, and the mock gives up
// after its attempts.
func TestCallbackFromAnotherMerchantIsRejected(t *testing.T) {
	c, m := payingMock(t, mock.WithCredentials("another-merchant-key", "tok-other"))
	s := newShop(t, secretKey)
	_, err := c.PayByLink.CreateOrUpdate(t.Context(), linkFor(s, "e2e-other-1"))
	require.NoError(t, err)
	p, err := m.Server.Pay(t.Context(), "e2e-other-1")
	require.NoError(t, err)
	d := waitDeliveries(t, m)
	require.Len(t, d, 1)
	assert.False(t, d[0].Delivered)
	assert.Equal(t, 5, d[0].Attempts)
	assert.Equal(t, http.StatusUnauthorized, d[0].LastStatus)
	assert.Zero(t, s.fnCalls.Load())
	assert.ErrorIs(t, signer.VerifySuccessURL(secretKey, p.RedirectURL), signer.ErrMismatch)
}
