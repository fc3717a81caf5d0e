package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/wire"
)

// The buyer's side of Pay By Link: paying a link, the transition behind
// the payment page's Pay button (pages.go), [Server.Pay] and the control
// API, and the callback and success redirect it produces. See "Buyer
// simulation" in the package documentation.

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
		cb.PanToken = ptr(wire.CardToken(p.panToken))
	}
	return cb
}
