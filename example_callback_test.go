package monri_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/signer"
)

func ExampleCallbackHandler() {
	const merchantKey = "qwert1234" // from the merchant dashboard; never hard-code a real one

	mux := http.NewServeMux()
	mux.Handle("POST /monri/callback", monri.CallbackHandler(merchantKey, func(_ context.Context, cb monri.Callback) error {
		if cb.Status != monri.CallbackStatusApproved || cb.ResponseCode != monri.ResponseCodeApproved {
			return nil // recorded as not paid; a 2xx stops Monri's retries
		}
		// Mark the order paid, idempotently: Monri may send the callback again.
		fmt.Printf("order %s paid: %d %s\n", cb.OrderNumber, cb.Amount, cb.Currency)
		return nil // an error here answers 500, and Monri retries later
	}))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// What Monri sends.
	body := `{"order_number":"order-1","status":"approved","response_code":"0000","amount":1024,"currency":"EUR"}`
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/monri/callback", strings.NewReader(body))
	req.Header.Set("Authorization", signer.CallbackScheme+" "+signer.CallbackDigest(merchantKey, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// order order-1 paid: 1024 EUR
	// 200 OK
}

func ExampleNewCallbackHandler() {
	// A key read from an unset environment variable: fail at start-up,
	// rather than serve 500s.
	_, err := monri.NewCallbackHandler("", func(context.Context, monri.Callback) error { return nil },
		monri.WithMaxCallbackBytes(0))
	fmt.Println(err)
	// Output:
	// monri: NewCallbackHandler: merchantKey: must not be empty; WithMaxCallbackBytes: n must be positive, got 0
}

func ExampleVerifySuccessRedirect() {
	const merchantKey = "qwert1234"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /monri/success", func(w http.ResponseWriter, r *http.Request) {
		if err := monri.VerifySuccessRedirect(merchantKey, r); err != nil {
			http.Error(w, "not a redirect from Monri", http.StatusForbidden)
			return
		}
		_, _ = fmt.Fprintf(w, "thank you for order %s", r.URL.Query().Get("order_number")) // the buyer left if this fails
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// Where Monri sends the buyer's browser.
	u, _ := signer.SignSuccessURL(merchantKey, srv.URL+"/monri/success?order_number=order-1")
	for _, target := range []string{u, strings.Replace(u, "order-1", "order-2", 1)} {
		resp, err := http.Get(target) //nolint:gosec // G107: the example's own loopback server
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	// Output:
	// 200 OK
	// 403 Forbidden
}
