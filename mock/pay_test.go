package mock_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/openapi"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/wire"
)

// createLink creates a payable link through the contract-checked client.
func createLink(t *testing.T, run *mock.Running, clk *clock, order string, edit func(*gen.PayByLinkRequest)) gen.PayByLink {
	t.Helper()
	req := gen.PayByLinkRequest{
		OrderNumber: order, Amount: 1024, Currency: "EUR",
		TransactionType: gen.TransactionTypePurchase, OrderInfo: "Two books",
		ChFullName: strp("Ada Lovelace"), ChEmail: strp("ada@example.com"),
	}
	if edit != nil {
		edit(&req)
	}
	resp, err := client(t, run, clk).CreateOrUpdatePayByLinkWithResponse(t.Context(), req)
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200, "%s", resp.Body)
	return *resp.JSON200
}

func showLink(t *testing.T, run *mock.Running, clk *clock, order string) gen.PayByLink {
	t.Helper()
	resp, err := client(t, run, clk).GetPayByLinkWithResponse(t.Context(), order)
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200, "%s", resp.Body)
	return *resp.JSON200
}

// buyer is a browser that does not follow redirects, so a test sees them.
var buyer = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func buyerDo(t *testing.T, method, u string) reply {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := buyer.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func TestPaymentPage(t *testing.T) {
	run := mock.Start(t)
	for _, c := range []struct {
		order, currency string
		amount          int64
		want            string
	}{
		{"page-eur", "EUR", 1024, "Amount: 10.24 EUR"},
		{"page-bam", "BAM", 5, "Amount: 0.05 BAM"},
		{"page-jpy", "JPY", 500, "Amount: 500 JPY"},
		{"page-kwd", "KWD", 1234567, "Amount: 1234.567 KWD"},
		{"page/1 <b>", "USD", 99999999999, "Amount: 999999999.99 USD"},
	} {
		l := createLink(t, run, nil, c.order, func(r *gen.PayByLinkRequest) { r.Currency, r.Amount = c.currency, c.amount })
		page := buyerDo(t, http.MethodGet, l.PaymentURL)
		require.Equal(t, http.StatusOK, page.status)
		assert.Equal(t, "text/html; charset=utf-8", page.header.Get("Content-Type"))
		html := string(page.body)
		assert.Contains(t, html, c.want)
		escaped := "/pay/" + url.PathEscape(c.order)
		assert.Contains(t, html, `<form method="post" action="`+escaped+`/pay"><button type="submit" id="pay">Pay</button></form>`)
		assert.Contains(t, html, `<form method="post" action="`+escaped+`/cancel"><button type="submit" id="cancel">Cancel</button></form>`)
		assert.NotContains(t, html, "<script")
		assert.NotContains(t, html, "<b>", "the order number is escaped")
	}
}

// TestPayOverHTTP is the buyer's whole path: page, Pay, signed callback,
// redirect with a digest, link approved; a second Pay is refused.
func TestPayOverHTTP(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now), fastCallbacks)
	rcv := newReceiver(t, run.MerchantKey, nil)
	l := createLink(t, run, clk, "order-http-1", func(r *gen.PayByLinkRequest) {
		r.CallbackURLOverride = &rcv.URL
		r.SuccessURLOverride = strp("https://shop.example/thanks?ref=7")
		r.NumberOfInstallments = ptrTo(wire.Installments(3))
	})
	assert.Equal(t, gen.TerminalEntryStatusPending, l.TerminalEntryStatus)
	clk.Add(time.Minute)

	r := buyerDo(t, http.MethodPost, l.PaymentURL+"/pay")
	require.Equal(t, http.StatusSeeOther, r.status, "%s", r.body)
	loc := r.header.Get("Location")
	require.True(t, strings.HasPrefix(loc, "https://shop.example/thanks?ref=7&order_number=order-http-1&approval_code="), loc)
	assert.Contains(t, loc, "&response_code=0000&digest=")
	assert.NoError(t, signer.VerifySuccessURL(run.MerchantKey, loc))
	assert.ErrorIs(t, signer.VerifySuccessURL(run.MerchantKey, strings.Replace(loc, "ref=7", "ref=8", 1)), signer.ErrMismatch)
	assert.ErrorIs(t, signer.VerifySuccessURL("another-key", loc), signer.ErrMismatch)

	waitCallbacks(t, run.Server)
	n, got, bodies, invalid := rcv.got()
	require.Equal(t, 1, n)
	require.Zero(t, invalid, "every callback verifies with the mock's merchant key")
	require.Len(t, got, 1)
	cb := got[0]
	assert.Equal(t, "order-http-1", cb.OrderNumber)
	assert.Equal(t, "approved", cb.Status)
	assert.Equal(t, "0000", cb.ResponseCode)
	assert.Equal(t, int64(1024), cb.Amount)
	assert.Equal(t, "EUR", cb.Currency)
	assert.Equal(t, "411111******1111", *cb.MaskedPan)
	assert.Nil(t, cb.PanToken, "tokenize_pan was not asked for")
	assert.Equal(t, wire.Installments(3), *cb.NumberOfInstallments)
	assert.Equal(t, "Ada Lovelace", *cb.ChFullName)
	require.NotNil(t, cb.CreatedAt)
	assert.True(t, cb.CreatedAt.Equal(clk.Now()), "created_at is the mock's clock")
	q, err := url.ParseQuery(loc[strings.IndexByte(loc, '?')+1:])
	require.NoError(t, err)
	assert.Equal(t, *cb.ApprovalCode, q.Get("approval_code"))
	assert.Len(t, *cb.ApprovalCode, 6)

	// The body matches the contract's Callback schema.
	doc, err := openapi.Load()
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(bodies[0], &v))
	assert.NoError(t, doc.Components.Schemas["Callback"].Value.VisitJSON(v))

	d := run.Server.Callbacks()
	require.Len(t, d, 1)
	assert.Equal(t, mock.CallbackDelivery{OrderNumber: "order-http-1", URL: rcv.URL, Body: bodies[0], Attempts: 1, LastStatus: 200, Delivered: true, Done: true}, d[0])

	shown := showLink(t, run, clk, "order-http-1")
	assert.Equal(t, gen.TerminalEntryStatusApproved, shown.TerminalEntryStatus)
	assert.Equal(t, clk.Now().UTC().Format("2006-01-02 15:04:05 UTC"), shown.UpdatedAt.String(), "paying changes the entry")

	// Paying twice: 409, nothing changes, no second callback.
	before := snapshot(run.Server)
	again := buyerDo(t, http.MethodPost, l.PaymentURL+"/pay")
	require.Equal(t, http.StatusConflict, again.status)
	assert.Equal(t, "order_number: the payment link is already paid", again.monriError(t).Message)
	assert.Equal(t, before, snapshot(run.Server))
	_, err = run.Server.Pay(t.Context(), "order-http-1")
	assert.ErrorIs(t, err, mock.ErrLinkPaid)
	waitCallbacks(t, run.Server)
	n, _, _, _ = rcv.got()
	assert.Equal(t, 1, n)
	assert.Len(t, run.Server.Callbacks(), 1)

	// The page now says so and offers no buttons.
	page := buyerDo(t, http.MethodGet, l.PaymentURL)
	assert.Contains(t, string(page.body), "This link cannot be paid: it is already paid.")
	assert.NotContains(t, string(page.body), `id="pay"`)

	// Paid stays paid: expiry and deactivation do not undo it.
	createLink(t, run, clk, "order-http-1", func(r *gen.PayByLinkRequest) {
		r.Active = ptrTo(false)
		r.ExpiresAt = &wire.Timestamp{Time: clk.Now().Add(-time.Hour)}
	})
	assert.Equal(t, gen.TerminalEntryStatusApproved, showLink(t, run, clk, "order-http-1").TerminalEntryStatus)
}

func TestPayThroughTheGoAPI(t *testing.T) {
	run := mock.Start(t, fastCallbacks)
	rcv := newReceiver(t, run.MerchantKey, nil)
	createLink(t, run, nil, "order-go-1", func(r *gen.PayByLinkRequest) {
		r.CallbackURLOverride = &rcv.URL
		r.TokenizePan = ptrTo(true)
	})
	p, err := run.Server.Pay(t.Context(), "order-go-1")
	require.NoError(t, err)
	assert.Equal(t, gen.TerminalEntryStatusApproved, p.Link.TerminalEntryStatus)
	assert.Equal(t, rcv.URL, p.CallbackURL)
	require.NotNil(t, p.Callback.PanToken, "tokenize_pan: the card is saved")
	assert.Len(t, *p.Callback.PanToken, 64)

	// No success_url_override: the mock's own success page, which checks the digest.
	require.True(t, strings.HasPrefix(p.RedirectURL, run.URL+"/pay/order-go-1/success?order_number=order-go-1&"), p.RedirectURL)
	assert.NoError(t, signer.VerifySuccessURL(run.MerchantKey, p.RedirectURL))
	page := buyerDo(t, http.MethodGet, p.RedirectURL)
	require.Equal(t, http.StatusOK, page.status)
	assert.Contains(t, string(page.body), "Payment approved")
	assert.Contains(t, string(page.body), "Digest: valid")
	page = buyerDo(t, http.MethodGet, strings.Replace(p.RedirectURL, "response_code=0000", "response_code=0001", 1))
	assert.Contains(t, string(page.body), "Digest: invalid (digest mismatch)")

	waitCallbacks(t, run.Server)
	_, got, _, _ := rcv.got()
	require.Len(t, got, 1)
	assert.Equal(t, p.Callback.OrderNumber, got[0].OrderNumber)
	assert.Equal(t, *p.Callback.PanToken, *got[0].PanToken)
	assert.Equal(t, *p.Callback.ApprovalCode, *got[0].ApprovalCode)

	// A link without a callback URL is paid too; nothing is sent.
	createLink(t, run, nil, "order-go-2", nil)
	p, err = run.Server.Pay(t.Context(), "order-go-2")
	require.NoError(t, err)
	assert.Empty(t, p.CallbackURL)
	assert.Len(t, run.Server.Callbacks(), 1)

	_, err = run.Server.Pay(t.Context(), "no-such-order")
	assert.ErrorIs(t, err, mock.ErrNoLink)

	// A cancelled context pays nothing.
	createLink(t, run, nil, "order-go-3", nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = run.Server.Pay(ctx, "order-go-3")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, gen.TerminalEntryStatusPending, showLink(t, run, nil, "order-go-3").TerminalEntryStatus)
}

func TestSuccessRedirectKeepsTheMerchantsURL(t *testing.T) {
	run := mock.Start(t)
	for i, c := range []struct{ override, prefix string }{
		{"https://shop.example/ok", "https://shop.example/ok?order_number="},
		{"https://shop.example/ok?", "https://shop.example/ok?order_number="},
		{"https://shop.example/ok?a=1&", "https://shop.example/ok?a=1&order_number="},
		{"http://127.0.0.1:8080/r/%2F?x=a+b#top", "http://127.0.0.1:8080/r/%2F?x=a+b&order_number="},
	} {
		order := "redirect-" + string(rune('a'+i))
		createLink(t, run, nil, order, func(r *gen.PayByLinkRequest) { r.SuccessURLOverride = &c.override })
		p, err := run.Server.Pay(t.Context(), order)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(p.RedirectURL, c.prefix+order+"&approval_code="), p.RedirectURL)
		assert.NotContains(t, p.RedirectURL, "#", "a fragment cannot be signed")
		assert.NoError(t, signer.VerifySuccessURL(run.MerchantKey, p.RedirectURL))
	}
}

// TestUnpayableLinks: deactivated, expired (by the mock's clock), unknown or
// with an unusable URL, a link is not paid and nothing changes.
func TestUnpayableLinks(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now), fastCallbacks)
	rcv := newReceiver(t, run.MerchantKey, nil)
	withCallback := func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL }

	inactive := createLink(t, run, clk, "inactive-1", func(r *gen.PayByLinkRequest) { withCallback(r); r.Active = ptrTo(false) })
	expiring := createLink(t, run, clk, "expiring-1", func(r *gen.PayByLinkRequest) {
		withCallback(r)
		r.ExpiresAt = &wire.Timestamp{Time: clk.Now().Add(time.Hour), Layout: wire.CompactOffset}
	})
	badSuccess := createLink(t, run, clk, "bad-success-1", func(r *gen.PayByLinkRequest) { withCallback(r); r.SuccessURLOverride = strp("shop.example/ok") })
	badCallback := createLink(t, run, clk, "bad-callback-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = strp("javascript:alert(1)") })

	// Before expiry the page offers Pay; after it, it says why not.
	assert.Contains(t, string(buyerDo(t, http.MethodGet, expiring.PaymentURL).body), `id="pay"`)
	clk.Add(time.Hour + time.Second)
	assert.Equal(t, gen.TerminalEntryStatusExpired, showLink(t, run, clk, "expiring-1").TerminalEntryStatus)

	cases := []struct {
		link    gen.PayByLink
		status  int
		message string
		page    string
		err     error
	}{
		{inactive, http.StatusConflict, "order_number: the payment link is deactivated", "it is deactivated", mock.ErrLinkInactive},
		{expiring, http.StatusConflict, "order_number: the payment link has expired", "it has expired", mock.ErrLinkExpired},
		{badSuccess, http.StatusBadRequest, "success_url_override: must be an absolute http or https URL", "", mock.ErrBadURL},
		{badCallback, http.StatusBadRequest, "callback_url_override: must be an absolute http or https URL", "", mock.ErrBadURL},
	}
	for _, c := range cases {
		t.Run(c.link.OrderNumber, func(t *testing.T) {
			before := snapshot(run.Server)
			page := buyerDo(t, http.MethodGet, c.link.PaymentURL)
			require.Equal(t, http.StatusOK, page.status)
			if c.page != "" {
				assert.Contains(t, string(page.body), "This link cannot be paid: "+c.page+".")
				assert.NotContains(t, string(page.body), `id="pay"`)
			}
			r := buyerDo(t, http.MethodPost, c.link.PaymentURL+"/pay")
			require.Equal(t, c.status, r.status, "%s", r.body)
			assert.Contains(t, r.monriError(t).Message, c.message)
			assert.Empty(t, r.header.Get("Location"))
			_, err := run.Server.Pay(t.Context(), c.link.OrderNumber)
			assert.ErrorIs(t, err, c.err)
			assert.Equal(t, before, snapshot(run.Server), "the store is unchanged")
		})
	}
	r := buyerDo(t, http.MethodPost, run.URL+"/pay/no-such-order/pay")
	require.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "order_number: no payment link with this order number", r.monriError(t).Message)
	assert.Equal(t, http.StatusNotFound, buyerDo(t, http.MethodGet, run.URL+"/pay/no-such-order").status)

	require.NoError(t, run.Server.WaitCallbacks(t.Context()))
	assert.Empty(t, run.Server.Callbacks())
	n, _, _, _ := rcv.got()
	assert.Zero(t, n, "no callback for a link that was not paid")

	// Activated again, the inactive link can be paid.
	createLink(t, run, clk, "inactive-1", func(r *gen.PayByLinkRequest) { r.Active = ptrTo(true) })
	_, err := run.Server.Pay(t.Context(), "inactive-1")
	assert.NoError(t, err)
}

func TestCancel(t *testing.T) {
	run := mock.Start(t)
	own := createLink(t, run, nil, "cancel-1", nil)
	theirs := createLink(t, run, nil, "cancel-2", func(r *gen.PayByLinkRequest) { r.CancelURLOverride = strp("https://shop.example/cart?back=1") })
	bad := createLink(t, run, nil, "cancel-3", func(r *gen.PayByLinkRequest) { r.CancelURLOverride = strp("/cart") })
	before := snapshot(run.Server)

	r := buyerDo(t, http.MethodPost, theirs.PaymentURL+"/cancel")
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "https://shop.example/cart?back=1", r.header.Get("Location"))

	r = buyerDo(t, http.MethodPost, own.PaymentURL+"/cancel")
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, own.PaymentURL+"/cancelled", r.header.Get("Location"))
	page := buyerDo(t, http.MethodGet, r.header.Get("Location"))
	assert.Contains(t, string(page.body), "Payment cancelled")

	r = buyerDo(t, http.MethodPost, bad.PaymentURL+"/cancel")
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.monriError(t).Message, "cancel_url_override")
	assert.Equal(t, http.StatusNotFound, buyerDo(t, http.MethodPost, run.URL+"/pay/nope/cancel").status)
	assert.Equal(t, before, snapshot(run.Server), "cancelling changes nothing")

	// Only the right methods.
	r = buyerDo(t, http.MethodGet, own.PaymentURL+"/pay")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Equal(t, "POST", r.header.Get("Allow"))
	assert.Equal(t, before, snapshot(run.Server))
}

// TestConcurrentPayPaysOnce: many buyers press Pay at once; one wins.
func TestConcurrentPayPaysOnce(t *testing.T) {
	run := mock.Start(t, fastCallbacks)
	rcv := newReceiver(t, run.MerchantKey, nil)
	l := createLink(t, run, nil, "race-1", func(r *gen.PayByLinkRequest) { r.CallbackURLOverride = &rcv.URL })
	const n = 16
	results := make(chan int, 2*n)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Go(func() {
			if i%2 == 0 {
				_, err := run.Server.Pay(context.Background(), "race-1")
				switch {
				case err == nil:
					results <- http.StatusSeeOther
				case errors.Is(err, mock.ErrLinkPaid):
					results <- http.StatusConflict
				default:
					results <- 0
				}
				return
			}
			resp, err := buyer.Post(l.PaymentURL+"/pay", "application/x-www-form-urlencoded", nil)
			if err != nil {
				results <- 0
				return
			}
			resp.Body.Close()
			results <- resp.StatusCode
		})
	}
	wg.Wait()
	close(results)
	count := map[int]int{}
	for s := range results {
		count[s]++
	}
	assert.Equal(t, map[int]int{http.StatusSeeOther: 1, http.StatusConflict: 2*n - 1}, count)
	waitCallbacks(t, run.Server)
	got, _, _, _ := rcv.got()
	assert.Equal(t, 1, got)
}
