package mock_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// ExampleNew serves the mock in-process and drives it with the generated
// client, signed with the mock's default credentials. In tests, mock.Start
// does the serving and cleanup in one call.
func ExampleNew() {
	now := func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }
	srv, err := mock.New(mock.WithClock(now))
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	s, err := signer.New(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken, signer.WithClock(now))
	if err != nil {
		panic(err)
	}
	c, err := gen.NewClientWithResponses(ts.URL, gen.WithRequestEditorFn(s.Edit))
	if err != nil {
		panic(err)
	}
	name, mid := "Test", "customer-id-1234"
	created, err := c.CreateCustomerWithResponse(context.Background(), gen.CustomerRequest{Name: &name, MerchantCustomerID: &mid})
	if err != nil {
		panic(err)
	}
	fmt.Println(created.StatusCode(), created.JSON200.Status, *created.JSON200.Name, created.JSON200.CreatedAt)

	link, err := c.CreateOrUpdatePayByLinkWithResponse(context.Background(), gen.PayByLinkRequest{
		OrderNumber: "order-1", Amount: 1024, Currency: "EUR",
		TransactionType: gen.TransactionTypePurchase, OrderInfo: "Two books",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(link.JSON200.Status, link.JSON200.ID, link.JSON200.TerminalEntryStatus, link.JSON200.CreatedAt)

	// A request without a signature is refused in Monri's error shape.
	resp, err := http.Get(ts.URL + "/v2/customers")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Print(resp.StatusCode, " ", string(body))

	// Output:
	// 200 approved Test 2024-01-02T03:04:05Z
	// created 1 pending 2024-01-02 03:04:05 UTC
	// 401 {"message":"authorization: the Authorization header is missing","status":"invalid-request"}
}
