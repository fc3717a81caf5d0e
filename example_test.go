package monri_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"time"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// startMock serves the mock on loopback, as mock.Start does in a test.
func startMock() (url string, stop func()) {
	srv, err := mock.New()
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	return ts.URL, func() { ts.Close(); _ = srv.Close() }
}

func ExampleNewClient() {
	url, stop := startMock()
	defer stop()

	// Without WithCredentials, NewClient reads MONRI_MERCHANT_KEY and
	// MONRI_AUTHENTICITY_TOKEN; the mock accepts the docs' example pair.
	c, err := monri.NewClient(
		monri.WithBaseURL(url),
		monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken),
	)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.BaseURL() == url)
	// Output: true
}

func ExampleCustomersService() {
	url, stop := startMock()
	defer stop()
	c, _ := monri.NewClient(monri.WithBaseURL(url), monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken))
	ctx := context.Background()

	cust, err := c.Customers.Create(ctx, monri.CustomerParams{
		MerchantCustomerID: monri.String("customer-1"), Name: monri.String("Ada Lovelace"),
	})
	if err != nil {
		panic(err)
	}
	if _, err := c.Customers.Update(ctx, cust.UUID, monri.CustomerParams{City: monri.String("Sarajevo")}); err != nil {
		panic(err)
	}
	for cust, err := range c.Customers.ListAll(ctx, nil) {
		if err != nil {
			panic(err)
		}
		fmt.Println(*cust.MerchantCustomerID, *cust.Name, *cust.City)
	}
	_, err = c.Customers.Get(ctx, "00000000-0000-4000-8000-000000000000")
	fmt.Println("not found:", monri.IsNotFound(err))
	// Output:
	// customer-1 Ada Lovelace Sarajevo
	// not found: true
}

func ExamplePayByLinkService() {
	url, stop := startMock()
	defer stop()
	c, _ := monri.NewClient(monri.WithBaseURL(url), monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken))
	ctx := context.Background()

	params := monri.PayByLinkParams{
		OrderNumber:         "order-1001",
		Amount:              1024, // 10.24 EUR in minor units
		Currency:            "EUR",
		TransactionType:     monri.TransactionTypePurchase,
		OrderInfo:           "Two books",
		CallbackURLOverride: monri.String("https://shop.example/monri/callback"),
	}
	link, err := c.PayByLink.CreateOrUpdate(ctx, params)
	if err != nil {
		panic(err)
	}
	fmt.Println(link.Status, link.TerminalEntryStatus, link.Active)

	// Deactivate sends the link's params as they are, with active false:
	// nothing is read back, so no field is lost whether Monri merges or
	// replaces.
	off, err := c.PayByLink.Deactivate(ctx, params)
	if err != nil {
		panic(err)
	}
	fmt.Println(off.Status, off.Active)
	// Output:
	// created pending true
	// updated false
}

func ExampleError() {
	url, stop := startMock()
	defer stop()
	c, _ := monri.NewClient(monri.WithBaseURL(url), monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken))

	_, err := c.PayByLink.Get(context.Background(), "no-such-order")
	var apiErr *monri.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.Status, apiErr.Method, apiErr.Path)
	}
	// Output: 404 invalid-request GET /v2/terminal-entry/no-such-order/show
}

func ExampleRequestOption() {
	url, stop := startMock()
	defer stop()
	c, _ := monri.NewClient(monri.WithBaseURL(url), monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken))
	ctx := context.Background()

	// The client's options are the defaults; these change one call only.
	_, err := c.PayByLink.Get(ctx, "order-1001",
		monri.WithRequestTimeout(5*time.Second),
		monri.WithRequestMaxRetries(0),
		monri.WithRequestHeader("X-Request-Id", "req-7"),
		monri.WithRequestLogAttrs(slog.String("order", "order-1001")))
	fmt.Println("not found:", monri.IsNotFound(err))

	// The signature is the client's own: such a header is refused.
	_, err = c.PayByLink.Get(ctx, "order-1001", monri.WithRequestHeader("Authorization", "x"))
	fmt.Println(err)
	// Output:
	// not found: true
	// monri: WithRequestHeader: "Authorization" is set by the client and cannot be changed: it carries the request's WP3-v2.1 signature
}
