package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// The demo's "buyer pays" steps, run on the embedded mock only: a shop's
// callback endpoint on 127.0.0.1 (monri.CallbackHandler), a link that
// names it, and the mock's buyer simulation paying that link.

// demoShop is the merchant's side: a callback receiver and a success page.
type demoShop struct {
	url     string
	arrived chan monri.Callback // callbacks that verified and were answered 200
	srv     *http.Server
}

type heldCallback struct{ cb *monri.Callback }

type heldKey struct{}

// startDemoShop serves the shop on a free loopback port. Each callback
// request is recorded in log, so the transcript shows it like the API calls.
func startDemoShop(merchantKey string, log *exchangeLog) (*demoShop, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo shop: %w", err)
	}
	s := &demoShop{url: "http://" + ln.Addr().String(), arrived: make(chan monri.Callback, 4)}
	callbacks := monri.CallbackHandler(merchantKey, func(ctx context.Context, cb monri.Callback) error {
		if h, ok := ctx.Value(heldKey{}).(*heldCallback); ok {
			h.cb = &cb
		}
		return nil // a real shop records the payment here, idempotently by order number
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/monri/callback", func(w http.ResponseWriter, r *http.Request) {
		held := &heldCallback{}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		callbacks.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), heldKey{}, held)))
		log.record(r.Method, r.URL.RequestURI(), sw.status)
		if held.cb != nil && sw.status == http.StatusOK {
			select {
			case s.arrived <- *held.cb:
			default:
			}
		}
	})
	mux.HandleFunc("GET /monri/success", func(w http.ResponseWriter, r *http.Request) {
		if err := monri.VerifySuccessRedirect(merchantKey, r); err != nil {
			http.Error(w, "this redirect is not from Monri", http.StatusForbidden)
			return
		}
		_, _ = io.WriteString(w, "Thank you: your payment is verified.\n")
	})
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *demoShop) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

// link adds the shop's callback and success URLs to a link.
func (s *demoShop) link(p monri.PayByLinkParams) monri.PayByLinkParams {
	p.CallbackURLOverride = monri.String(s.url + "/monri/callback")
	p.SuccessURLOverride = monri.String(s.url + "/monri/success")
	return p
}

// callbackWait bounds how long the demo waits for the callback.
const callbackWait = 10 * time.Second

// pay pays the link as a buyer, through the mock's Pay form at baseURL,
// and waits, up to callbackWait, for the shop to get the verified
// callback. embedded, when not nil, says why a callback did not arrive.
func (s *demoShop) pay(ctx context.Context, baseURL, merchantKey, order string, embedded *mock.Server) (map[string]any, error) {
	target, err := payTarget(baseURL, order)
	if err != nil {
		return nil, err
	}
	redirect, err := payAsBuyer(ctx, target)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, callbackWait)
	defer cancel()
	select {
	case cb := <-s.arrived:
		digest := "valid"
		if signer.VerifySuccessURL(merchantKey, redirect) != nil {
			digest = "invalid"
		}
		return map[string]any{
			"order_number": cb.OrderNumber, "status": cb.Status, "response_code": cb.ResponseCode,
			"redirect_digest": digest,
		}, nil
	case <-ctx.Done():
		if embedded != nil {
			for _, d := range embedded.Callbacks() {
				if d.OrderNumber == order && d.LastError != "" {
					return nil, fmt.Errorf("no verified callback within %s: %s", callbackWait, d.LastError)
				}
			}
		}
		return nil, fmt.Errorf("no verified callback within %s", callbackWait)
	}
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
