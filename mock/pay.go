package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/wire"
)

// The buyer's side of Pay By Link: the payment page a link's payment_url
// shows, and what its Pay and Cancel buttons do. See "Buyer simulation" in
// the package documentation.

// Errors of [Server.Pay], for errors.Is. Over HTTP they are 404 (no link)
// and 409 (the others), in Monri's error shape.
var (
	ErrNoLink       = errors.New("mock: no payment link with this order number")
	ErrLinkPaid     = errors.New("mock: the payment link is already paid")
	ErrLinkInactive = errors.New("mock: the payment link is deactivated")
	ErrLinkExpired  = errors.New("mock: the payment link has expired")
	// ErrBadURL means the link's success_url_override or
	// callback_url_override is set but is not an absolute http or https
	// URL, so the payment cannot complete (400 over HTTP).
	ErrBadURL = errors.New("mock: the payment link has an unusable URL")
	// ErrClosed means the Server is closed (503 over HTTP).
	ErrClosed = errors.New("mock: the server is closed")
)

// payError is a failed payment: the failure to answer over HTTP, and the
// sentinel it is for errors.Is.
type payError struct {
	f    *failure
	kind error
}

func (e *payError) Error() string { return "mock: Pay: " + e.f.message }
func (e *payError) Unwrap() error { return e.kind }

func kindOf(f *failure) error {
	switch f {
	case errNoLink:
		return ErrNoLink
	case errLinkPaid:
		return ErrLinkPaid
	case errLinkInactive:
		return ErrLinkInactive
	case errLinkExpired:
		return ErrLinkExpired
	}
	return ErrBadURL
}

// Payment is what paying a link did.
type Payment struct {
	// Link is the link after the payment: terminal_entry_status approved.
	Link gen.PayByLink
	// Callback is the body of the payment callback.
	Callback gen.Callback
	// CallbackURL is where the callback is being delivered: the link's
	// callback_url_override, or "" when it has none (nothing is sent).
	CallbackURL string
	// RedirectURL is where the buyer's browser is sent (303): the success
	// URL with order_number, approval_code, response_code and, last, the
	// digest appended.
	RedirectURL string
}

// Mock responses of the simulated card.
const (
	mockMaskedPan = "411111******1111" // Monri's test Visa card
	mockCardType  = "visa"
)

// Pay pays the link for orderNumber as a buyer pressing Pay on its payment
// page would, and returns what that did:
//
//   - the link's terminal_entry_status becomes approved (and updated_at
//     moves); it stays approved whatever happens to the link later;
//   - when the link has a callback_url_override, a callback signed with
//     WP3-callback and the server's merchant key is POSTed to exactly that
//     URL, asynchronously, retried as [WithCallbackPolicy] says; ctx does
//     not bound it: [Server.WaitCallbacks] waits for it, [Server.Close]
//     stops it;
//   - the returned RedirectURL is where the buyer goes next:
//     success_url_override, or the mock's own success page when the link
//     has none, with the digest appended last (signer.SignSuccessURL).
//
// A link that is paid already (ErrLinkPaid), deactivated (ErrLinkInactive)
// or expired by the server's clock (ErrLinkExpired) cannot be paid, nor can
// one whose success or callback URL override is not an absolute http(s)
// URL (ErrBadURL): nothing changes then. Paying twice is ErrLinkPaid, and
// sends no second callback.
func (s *Server) Pay(ctx context.Context, orderNumber string) (Payment, error) {
	if err := ctx.Err(); err != nil {
		return Payment{}, err
	}
	if s.closed.Load() {
		return Payment{}, ErrClosed
	}
	p, f := s.pay(orderNumber)
	if f != nil {
		return Payment{}, &payError{f: f, kind: kindOf(f)}
	}
	return p, nil
}

func (s *Server) pay(orderNumber string) (Payment, *failure) {
	link, req, pm, f := s.store.pay(orderNumber, checkLinkURLs)
	if f != nil {
		return Payment{}, f
	}
	cb := callbackFor(link, &req, pm)
	out := Payment{Link: link, Callback: cb}
	if u := deref(req.CallbackURLOverride); u != "" {
		body, err := json.Marshal(cb)
		if err != nil { // gen.Callback always encodes
			panic("mock: encode callback: " + err.Error())
		}
		out.CallbackURL = u
		s.callbacks.deliver(orderNumber, u, body)
	}
	success := deref(req.SuccessURLOverride)
	if success == "" {
		success = link.PaymentURL + "/success"
	}
	redirect, err := successRedirect(s.cfg.merchantKey, success, orderNumber, pm.approvalCode)
	if err != nil { // checkLinkURLs vetted the URL
		panic("mock: sign the success URL: " + err.Error())
	}
	out.RedirectURL = redirect
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkLinkURLs vets the URLs a payment uses, before anything changes.
func checkLinkURLs(r *gen.PayByLinkRequest) *failure {
	if u := deref(r.SuccessURLOverride); u != "" && !httpURL(u) {
		return badRequest("success_url_override: must be an absolute http or https URL to redirect the buyer to")
	}
	if u := deref(r.CallbackURLOverride); u != "" && !httpURL(u) {
		return badRequest("callback_url_override: must be an absolute http or https URL to post the callback to")
	}
	return nil
}

// httpURL reports whether u is an absolute http or https URL with a host.
func httpURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && p.Opaque == ""
}

// successRedirect appends the payment's parameters and the digest to the
// success URL. A fragment is dropped: browsers do not send it, so no digest
// could cover it.
func successRedirect(merchantKey, success, orderNumber, approvalCode string) (string, error) {
	if i := strings.IndexByte(success, '#'); i >= 0 {
		success = success[:i]
	}
	sep := "&"
	switch q := strings.IndexByte(success, '?'); {
	case q < 0:
		sep = "?"
	case strings.HasSuffix(success, "?") || strings.HasSuffix(success, "&"):
		sep = ""
	}
	u := success + sep + "order_number=" + url.QueryEscape(orderNumber) +
		"&approval_code=" + approvalCode + "&response_code=0000"
	return signer.SignSuccessURL(merchantKey, u)
}

// callbackFor is the callback Monri would send for the payment.
func callbackFor(link gen.PayByLink, req *gen.PayByLinkRequest, p payment) gen.Callback {
	at := wire.NewTimestamp(p.at.Truncate(time.Millisecond), wire.RFC3339)
	cb := gen.Callback{
		ID:                   &p.id,
		OrderNumber:          link.OrderNumber,
		Status:               "approved",
		ResponseCode:         "0000",
		ResponseMessage:      ptr("approved"),
		ApprovalCode:         ptr(p.approvalCode),
		Amount:               req.Amount,
		Currency:             req.Currency,
		TransactionType:      ptr(req.TransactionType),
		MaskedPan:            ptr(mockMaskedPan),
		CcType:               ptr(mockCardType),
		ChFullName:           copyPtr(req.ChFullName),
		ChEmail:              copyPtr(req.ChEmail),
		NumberOfInstallments: copyPtr(req.NumberOfInstallments),
		ReferenceNumber:      ptr(fmt.Sprintf("%012d", p.id)),
		CreatedAt:            &at,
	}
	if p.panToken != "" {
		cb.PanToken = ptr(p.panToken)
	}
	return cb
}

// WaitCallbacks waits until every callback enqueued so far has been
// delivered or given up on, or until ctx ends (its error is returned).
// Tests use it instead of sleeping; [Server.Callbacks] then says what
// happened.
func (s *Server) WaitCallbacks(ctx context.Context) error { return s.callbacks.wait(ctx) }

// CallbackDelivery is one payment callback and how its delivery went.
type CallbackDelivery struct {
	// OrderNumber is the paid link's order number.
	OrderNumber string
	// URL is where the callback was POSTed: the link's callback_url_override.
	URL string
	// Body is the exact body sent, signed in the Authorization header.
	Body []byte
	// Attempts is how many POSTs were made.
	Attempts int
	// LastStatus is the HTTP status of the last answer, 0 if none came.
	LastStatus int
	// LastError describes the last failure: a connection error, a timeout,
	// a non-2xx answer, or that the mock was closed; "" once delivered.
	LastError string
	// Delivered is true once an attempt got a 2xx answer.
	Delivered bool
	// Done is true once delivery is over: delivered or given up.
	Done bool
}

// Callbacks returns a copy of every callback delivery so far, in payment
// order.
func (s *Server) Callbacks() []CallbackDelivery { return s.callbacks.snapshot() }

// deliverer sends payment callbacks in the background.
type deliverer struct {
	key    string
	policy CallbackPolicy
	client *http.Client
	tr     *http.Transport
	ctx    context.Context // cancelled by close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	pending int
	idle    []chan struct{} // closed when pending drops to 0
	log     []CallbackDelivery
}

func newDeliverer(merchantKey string, policy CallbackPolicy) *deliverer {
	tr := &http.Transport{
		Proxy:                 nil, // only ever where the link says, never through a proxy
		DialContext:           (&net.Dialer{Timeout: policy.AttemptTimeout}).DialContext,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: policy.AttemptTimeout,
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &deliverer{
		key:    merchantKey,
		policy: policy,
		tr:     tr,
		client: &http.Client{
			Transport: tr,
			// A redirect is an answer other than 2xx, not a new target.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		ctx:    ctx,
		cancel: cancel,
	}
}

// deliver starts delivering body to target, unless the deliverer is closed.
func (d *deliverer) deliver(orderNumber, target string, body []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := len(d.log)
	d.log = append(d.log, CallbackDelivery{OrderNumber: orderNumber, URL: target, Body: body})
	if d.closed {
		d.log[i].Done, d.log[i].LastError = true, "not sent: the mock is closed"
		return
	}
	d.pending++
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		d.run(i, target, body)
	}()
}

// run makes the attempts of delivery i.
func (d *deliverer) run(i int, target string, body []byte) {
	p := d.policy
	ctx, cancel := context.WithTimeout(d.ctx, p.TotalTimeout)
	defer cancel()
	wait := p.InitialBackoff
	for attempt := 1; ; attempt++ {
		status, err := d.post(ctx, target, body)
		delivered := err == nil && status >= 200 && status <= 299
		msg := ""
		switch {
		case err != nil && d.ctx.Err() != nil:
			msg = "stopped: the mock is closed"
		case err != nil && ctx.Err() != nil:
			msg = "gave up: total timeout " + p.TotalTimeout.String() + " passed"
		case err != nil:
			msg = err.Error()
		case !delivered:
			msg = "answered " + strconv.Itoa(status)
		}
		done := delivered || attempt >= p.Attempts || ctx.Err() != nil
		d.record(i, attempt, status, msg, delivered, done)
		if done {
			return
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			msg := "gave up: total timeout " + p.TotalTimeout.String() + " passed"
			if d.ctx.Err() != nil {
				msg = "stopped: the mock is closed"
			}
			d.record(i, attempt, status, msg, false, true)
			return
		}
		wait = min(2*wait, p.MaxBackoff)
	}
}

// post makes one attempt and returns the answer's status.
func (d *deliverer) post(ctx context.Context, target string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, d.policy.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("cannot build the request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", signer.CallbackScheme+" "+signer.CallbackDigest(d.key, body))
	req.Header.Set("User-Agent", "monri-go-mock")
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, errors.New("no answer: " + describeNetErr(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// describeNetErr says why an attempt got no answer without repeating the
// request (net/http's *url.Error quotes the URL, which is the merchant's).
func describeNetErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}

func (d *deliverer) record(i, attempts, status int, msg string, delivered, done bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := &d.log[i]
	e.Attempts, e.LastStatus, e.LastError, e.Delivered, e.Done = attempts, status, msg, delivered, done
	if done {
		d.pending--
		if d.pending == 0 {
			for _, ch := range d.idle {
				close(ch)
			}
			d.idle = nil
		}
	}
}

func (d *deliverer) wait(ctx context.Context) error {
	d.mu.Lock()
	if d.pending == 0 {
		d.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	d.idle = append(d.idle, ch)
	d.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *deliverer) snapshot() []CallbackDelivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]CallbackDelivery, len(d.log))
	for i, e := range d.log {
		e.Body = bytes.Clone(e.Body)
		out[i] = e
	}
	return out
}

// close stops every delivery, waits for them to end and closes idle
// connections. Later deliveries are recorded as not sent.
func (d *deliverer) close() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	d.tr.CloseIdleConnections()
}

// The pages. Buyers open them in a browser, so they need no signature, and
// faults and latency never apply to them.

var payPage = template.Must(template.New("pay").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Pay order {{.OrderNumber}}</title></head>
<body>
<h1>Monri mock payment page</h1>
<p id="order">Order {{.OrderNumber}}: {{.OrderInfo}}</p>
<p id="amount">Amount: {{.Amount}}</p>
{{if .Problem -}}
<p id="status">This link cannot be paid: {{.Problem}}.</p>
{{- else -}}
<p id="status">Status: pending</p>
<form method="post" action="{{.PayAction}}"><button type="submit" id="pay">Pay</button></form>
<form method="post" action="{{.CancelAction}}"><button type="submit" id="cancel">Cancel</button></form>
{{- end}}
<p><small>Served by monri-go's mock server: no card is charged. Pay approves the link, sends the signed
callback to the link's callback URL and redirects to its success URL.</small></p>
</body>
</html>
`))

var resultPage = template.Must(template.New("result").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<h1>{{.Title}}</h1>
<p id="order">Order {{.OrderNumber}}</p>
{{if .Digest}}<p id="digest">Digest: {{.Digest}}</p>{{end}}
<p><small>The mock's own page, shown when the link has no {{.Override}}.</small></p>
</body>
</html>
`))

// servePayPage is the page a payment_url points at: the order, the amount
// and, while the link can be paid, the Pay and Cancel buttons.
func (s *Server) servePayPage(w http.ResponseWriter, r *http.Request) {
	order := r.PathValue("order_number")
	req, _, f, ok := s.store.linkState(order)
	if !ok {
		writeError(w, http.StatusNotFound, errNoLink.message)
		return
	}
	problem := ""
	switch f {
	case nil:
	case errLinkPaid:
		problem = "it is already paid"
	case errLinkInactive:
		problem = "it is deactivated"
	case errLinkExpired:
		problem = "it has expired"
	}
	base := "/pay/" + url.PathEscape(order)
	writeHTML(w, payPage, struct {
		OrderNumber, OrderInfo, Amount, Problem string
		PayAction, CancelAction                 string
	}{
		OrderNumber:  order,
		OrderInfo:    req.OrderInfo,
		Amount:       formatAmount(req.Amount, req.Currency),
		Problem:      problem,
		PayAction:    base + "/pay",
		CancelAction: base + "/cancel",
	})
}

// servePay is the Pay button: 303 to the success URL with the digest, or
// Monri's error shape (404, 409, 400) with nothing changed.
func (s *Server) servePay(w http.ResponseWriter, r *http.Request) {
	p, f := s.pay(r.PathValue("order_number"))
	if f != nil {
		writeError(w, f.status, f.message)
		return
	}
	redirect(w, p.RedirectURL)
}

// serveCancel is the Cancel button: 303 to cancel_url_override, or the
// mock's own cancel page. It changes nothing, so it works on any link
// that exists, payable or not.
func (s *Server) serveCancel(w http.ResponseWriter, r *http.Request) {
	req, paymentURL, _, ok := s.store.linkState(r.PathValue("order_number"))
	if !ok {
		writeError(w, http.StatusNotFound, errNoLink.message)
		return
	}
	target := deref(req.CancelURLOverride)
	switch {
	case target == "":
		target = paymentURL + "/cancelled"
	case !httpURL(target):
		writeError(w, http.StatusBadRequest, "cancel_url_override: must be an absolute http or https URL to redirect the buyer to")
		return
	}
	redirect(w, target)
}

// serveSuccess is the mock's own success page. It checks the digest the
// way a merchant would, over the URL as requested.
func (s *Server) serveSuccess(w http.ResponseWriter, r *http.Request) {
	order := r.PathValue("order_number")
	if _, _, _, ok := s.store.linkState(order); !ok {
		writeError(w, http.StatusNotFound, errNoLink.message)
		return
	}
	digest := "valid"
	if err := signer.VerifySuccessURL(s.cfg.merchantKey, baseURL(r)+r.RequestURI); err != nil {
		digest = "invalid (" + strings.TrimPrefix(err.Error(), "signer: success URL: ") + ")"
	}
	writeHTML(w, resultPage, struct{ Title, OrderNumber, Digest, Override string }{
		"Payment approved", order, digest, "success_url_override",
	})
}

// serveCancelled is the mock's own cancel page.
func (s *Server) serveCancelled(w http.ResponseWriter, r *http.Request) {
	order := r.PathValue("order_number")
	if _, _, _, ok := s.store.linkState(order); !ok {
		writeError(w, http.StatusNotFound, errNoLink.message)
		return
	}
	writeHTML(w, resultPage, struct{ Title, OrderNumber, Digest, Override string }{
		"Payment cancelled", order, "", "cancel_url_override",
	})
}

func redirect(w http.ResponseWriter, target string) {
	h := w.Header()
	h.Set("Location", target)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusSeeOther)
}

func writeHTML(w http.ResponseWriter, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		writeError(w, http.StatusInternalServerError, "mock: could not render the page")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// minorDigits are ISO 4217's currencies whose minor unit is not the
// hundredth: none (JPY) or the thousandth (KWD).
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// formatAmount writes an amount in minor units in major units with the
// currency code: 1024 EUR is "10.24 EUR", 500 JPY is "500 JPY".
func formatAmount(minor int64, currency string) string {
	digits, ok := minorDigits[currency]
	if !ok {
		digits = 2
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	if digits == 0 {
		return sign + strconv.FormatInt(minor, 10) + " " + currency
	}
	pow := int64(1)
	for range digits {
		pow *= 10
	}
	return fmt.Sprintf("%s%d.%0*d %s", sign, minor/pow, digits, minor%pow, currency)
}
