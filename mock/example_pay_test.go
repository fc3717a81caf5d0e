package mock_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// A buyer pays a link: the mock sends the signed callback to the link's
// callback_url_override and redirects to the success URL with a digest.
func ExampleServer_Pay() {
	srv, err := mock.New()
	if err != nil {
		panic(err)
	}
	api := httptest.NewServer(srv)
	defer api.Close()
	defer srv.Close() //nolint:errcheck // always nil; stops callback deliveries still under way

	// The merchant's callback endpoint.
	merchant := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println("callback verified:", signer.VerifyCallback(mock.DefaultMerchantKey, r.Header.Get("Authorization"), body) == nil)
	}))
	defer merchant.Close()

	s, _ := signer.New(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken)
	c, _ := gen.NewClientWithResponses(api.URL, gen.WithRequestEditorFn(s.Edit))
	callback, success := merchant.URL+"/monri/callback", "https://shop.example/thanks"
	_, err = c.CreateOrUpdatePayByLinkWithResponse(context.Background(), gen.PayByLinkRequest{
		OrderNumber: "order-1001", Amount: 1024, Currency: "EUR",
		TransactionType: gen.TransactionTypePurchase, OrderInfo: "Two books",
		CallbackURLOverride: &callback, SuccessURLOverride: &success,
	})
	if err != nil {
		panic(err)
	}

	p, err := srv.Pay(context.Background(), "order-1001")
	if err != nil {
		panic(err)
	}
	if err := srv.WaitCallbacks(context.Background()); err != nil {
		panic(err)
	}
	fmt.Println("link:", p.Link.TerminalEntryStatus)
	fmt.Println("redirect verified:", signer.VerifySuccessURL(mock.DefaultMerchantKey, p.RedirectURL) == nil)

	_, err = srv.Pay(context.Background(), "order-1001")
	fmt.Println(err)
	// Output:
	// callback verified: true
	// link: approved
	// redirect verified: true
	// mock: Pay: order_number: the payment link is already paid
}
