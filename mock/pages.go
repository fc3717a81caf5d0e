package mock

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/monri-go/monri/signer"
)

// The payment page a link's payment_url shows, what its Pay and Cancel
// buttons do, and the mock's own result pages. Buyers open them in a browser, so they need no signature, and
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
	target, f := s.cancelTarget(r.PathValue("order_number"))
	if f != nil {
		writeError(w, f.status, f.message)
		return
	}
	redirect(w, target)
}

// cancelTarget is where Cancel sends the buyer: cancel_url_override, or the
// mock's own cancel page.
func (s *Server) cancelTarget(order string) (string, *failure) {
	req, paymentURL, _, ok := s.store.linkState(order)
	if !ok {
		return "", errNoLink
	}
	target := deref(req.CancelURLOverride)
	switch {
	case target == "":
		target = paymentURL + "/cancelled"
	case !httpURL(target):
		return "", badRequest("cancel_url_override: must be an absolute http or https URL to redirect the buyer to")
	}
	return target, nil
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
