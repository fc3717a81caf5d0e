package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/spectest"
)

// shop is the merchant on 127.0.0.1: it receives callbacks with
// monri.CallbackHandler and serves the success page, which checks the
// redirect's digest with monri.VerifySuccessRedirect and records the URL.
type shop struct {
	url       string
	callbacks chan monri.Callback

	mu       sync.Mutex
	verified []string // success URLs (as rebuilt) whose digest verified
	rejected []error
}

func newShop(t *testing.T, merchantKey string) *shop {
	s := &shop{callbacks: make(chan monri.Callback, 4)}
	mux := http.NewServeMux()
	mux.Handle("POST /monri/callback", monri.CallbackHandler(merchantKey, func(_ context.Context, cb monri.Callback) error {
		s.callbacks <- cb
		return nil
	}))
	mux.HandleFunc("GET /monri/success", func(w http.ResponseWriter, r *http.Request) {
		err := monri.VerifySuccessRedirect(merchantKey, r)
		s.mu.Lock()
		defer s.mu.Unlock()
		if err != nil {
			s.rejected = append(s.rejected, err)
			http.Error(w, "Payment NOT verified", http.StatusForbidden)
			return
		}
		s.verified = append(s.verified, "http://"+r.Host+r.RequestURI)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprintf(w, "<!doctype html><title>Thank you</title><h1>Payment verified</h1><p>Order %s</p>",
			strings.ReplaceAll(r.URL.Query().Get("order_number"), "<", "&lt;"))
	})
	srv := httptest.NewServer(mux) // 127.0.0.1
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// result is the JSON line scripts/pay-browser-test.mjs prints.
type result struct {
	Browser     string `json:"browser"`
	Order       string `json:"order"`
	Amount      string `json:"amount"`
	FinalURL    string `json:"final_url"`
	FinalStatus int    `json:"final_status"`
	FinalText   string `json:"final_text"`
	Unpayable   *struct {
		HasPay bool   `json:"has_pay"`
		Status string `json:"status"`
	} `json:"unpayable"`
}

// TestPayInBrowser: headless Chromium opens the payment page served by a
// running mock, clicks Pay and lands on the shop's success URL with a
// digest that verifies; the shop got the verified callback and the link
// is approved. A deactivated link's page offers no Pay button.
func TestPayInBrowser(t *testing.T) {
	if os.Getenv("MONRI_BROWSER_TEST") != "1" {
		t.Skip("set MONRI_BROWSER_TEST=1, or run make pay-test: needs node, playwright-core (tools/spec) and chromium")
	}
	chromium := os.Getenv("MONRI_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}

	m := mock.Start(t)
	s := newShop(t, m.MerchantKey)
	c, err := monri.NewClient(
		monri.WithBaseURL(m.URL),
		monri.WithCredentials(m.MerchantKey, m.AuthenticityToken),
		monri.WithHTTPClient(&http.Client{Transport: spectest.NewTransport(t, nil)}),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	params := func(order string) monri.PayByLinkParams {
		return monri.PayByLinkParams{
			OrderNumber: order, Amount: 1024, Currency: "EUR",
			TransactionType: monri.TransactionTypePurchase, OrderInfo: "Two books",
			CallbackURLOverride: monri.String(s.url + "/monri/callback"),
			SuccessURLOverride:  monri.String(s.url + "/monri/success"),
		}
	}
	link, err := c.PayByLink.CreateOrUpdate(ctx, params("browser-1"))
	if err != nil {
		t.Fatal(err)
	}
	off := params("browser-off-1")
	off.Active = monri.Bool(false)
	inactive, err := c.PayByLink.CreateOrUpdate(ctx, off)
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(root, "build", "screenshots")
	cmd := exec.CommandContext(ctx, "node", filepath.Join(root, "scripts", "pay-browser-test.mjs"),
		"--chromium", chromium,
		"--pay-url", link.PaymentURL,
		"--expect-prefix", s.url+"/monri/success?",
		"--unpayable-url", inactive.PaymentURL,
		"--screenshots", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		t.Fatalf("browser: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	var r result
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &r); err != nil {
		t.Fatalf("browser output: %v\n%s", err, stdout.String())
	}

	// What the buyer saw.
	if r.Order != "Order browser-1: Two books" || r.Amount != "Amount: 10.24 EUR" {
		t.Errorf("payment page showed %q, %q", r.Order, r.Amount)
	}
	// Where the buyer landed: the shop's success URL, digest last and valid.
	if r.FinalStatus != http.StatusOK || !strings.Contains(r.FinalText, "Payment verified") {
		t.Errorf("success page answered %d: %q", r.FinalStatus, r.FinalText)
	}
	if err := signer.VerifySuccessURL(m.MerchantKey, r.FinalURL); err != nil {
		t.Errorf("the browser's final URL %s: %v", r.FinalURL, err)
	}
	if err := signer.VerifySuccessURL("another-merchant-key", r.FinalURL); err == nil {
		t.Error("the final URL verifies with any key")
	}
	s.mu.Lock()
	verified, rejected := append([]string(nil), s.verified...), append([]error(nil), s.rejected...)
	s.mu.Unlock()
	if len(verified) != 1 || verified[0] != r.FinalURL || len(rejected) != 0 {
		t.Errorf("the shop verified %q and rejected %v; the browser ended at %s", verified, rejected, r.FinalURL)
	}

	// The callback, verified by CallbackHandler.
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := m.Server.WaitCallbacks(wait); err != nil {
		t.Fatalf("callbacks: %v", err)
	}
	var cb monri.Callback
	select {
	case cb = <-s.callbacks:
	default:
		t.Fatalf("no verified callback reached the shop: %+v", m.Server.Callbacks())
	}
	if cb.OrderNumber != "browser-1" || cb.Status != monri.CallbackStatusApproved || cb.ResponseCode != monri.ResponseCodeApproved {
		t.Errorf("callback %+v", cb)
	}

	got, err := c.PayByLink.Get(ctx, "browser-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.TerminalEntryStatus != monri.TerminalEntryStatusApproved {
		t.Errorf("terminal_entry_status %s after paying", got.TerminalEntryStatus)
	}

	// The deactivated link: no Pay button, nothing paid, and expired (an
	// unpaid link that is not active).
	if r.Unpayable == nil || r.Unpayable.HasPay || r.Unpayable.Status != "This link cannot be paid: it is deactivated." {
		t.Errorf("deactivated link's page: %+v", r.Unpayable)
	}
	if l, _ := m.Server.PayByLink("browser-off-1"); l.TerminalEntryStatus != monri.TerminalEntryStatusExpired || l.Active {
		t.Errorf("the deactivated link is %s, active %v", l.TerminalEntryStatus, l.Active)
	}
	if t.Failed() {
		return
	}
	digest := r.FinalURL[strings.LastIndex(r.FinalURL, "digest=")+len("digest="):]
	short := r.FinalURL[:len(r.FinalURL)-len(digest)] + digest[:12] + "…"
	fmt.Printf("pay-test: %s clicked Pay on %s (%s), landed on %s: digest valid, callback %s/%s verified by CallbackHandler, link %s\n",
		r.Browser, link.PaymentURL, strings.TrimPrefix(r.Amount, "Amount: "), short, cb.Status, cb.ResponseCode, got.TerminalEntryStatus)
}
