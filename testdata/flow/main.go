// Command flow runs the whole Customers and Pay By Link flow against the
// mock, as a shop would write it with package monri alone, and prints what
// it read.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"time"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "flow:", err)
		os.Exit(1)
	}
}

func run() error {
	srv, err := mock.New()
	if err != nil {
		return err
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()

	c, err := monri.NewClient(monri.WithBaseURL(ts.URL), monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken))
	if err != nil {
		return err
	}
	ctx := context.Background()

	cust, err := c.Customers.Create(ctx, monri.CustomerParams{
		MerchantCustomerID: monri.String("shop-42"),
		Name:               monri.String("Ada Lovelace"),
		Email:              monri.String("ada@example.com"),
	}, monri.WithRequestTimeout(10*time.Second))
	if err != nil {
		return err
	}
	var uuid string = cust.UUID // a string, not a pointer
	fmt.Println("created", cust.Status, *cust.Name)

	if _, err := c.Customers.Update(ctx, uuid, monri.CustomerParams{City: monri.String("Sarajevo")}); err != nil {
		return err
	}
	got, err := c.Customers.GetByMerchantCustomerID(ctx, "shop-42", monri.WithRequestHeader("X-Request-Id", "r-1"))
	if err != nil {
		return err
	}
	fmt.Println("found", got.UUID == uuid, *got.City)
	for cu, err := range c.Customers.ListAll(ctx, &monri.ListParams{Limit: monri.Int(10)}) {
		if err != nil {
			return err
		}
		fmt.Println("listed", cu.UUID == uuid)
	}
	methods, err := c.Customers.ListPaymentMethods(ctx, uuid, nil)
	if err != nil {
		return err
	}
	fmt.Println("payment methods", len(methods))

	params := monri.PayByLinkParams{
		OrderNumber:         "order-1001",
		Amount:              1024, // 10.24 EUR in minor units
		Currency:            "EUR",
		TransactionType:     monri.TransactionTypePurchase,
		OrderInfo:           "Two books",
		Language:            monri.Ptr(monri.LanguageEn),
		CallbackURLOverride: monri.String("https://shop.example/monri/callback"),
		TokenizePan:         monri.Bool(false),
	}
	link, err := c.PayByLink.CreateOrUpdate(ctx, params, monri.WithRequestMaxRetries(1))
	if err != nil {
		return err
	}
	var paymentURL string = link.PaymentURL
	var amount int64 = link.Amount
	var active bool = link.Active
	fmt.Println("link", link.Status, paymentURL != "", amount, active, link.TerminalEntryStatus)

	off, err := c.PayByLink.Deactivate(ctx, params)
	if err != nil {
		return err
	}
	fmt.Println("deactivated", off.Active, off.TerminalEntryStatus)

	shown, err := c.PayByLink.Get(ctx, "order-1001")
	if err != nil {
		return err
	}
	fmt.Println("shown", shown.Status, shown.Active)

	deleted, err := c.Customers.Delete(ctx, uuid)
	if err != nil {
		return err
	}
	fmt.Println("deleted", deleted.Deleted, deleted.ID == uuid)

	gone, err := c.Customers.Get(ctx, uuid)
	if err != nil {
		return err
	}
	fmt.Println("gone", gone.Deleted)

	_, err = c.PayByLink.Get(ctx, "no-such-order")
	var apiErr *monri.Error
	fmt.Println("unknown order", monri.IsNotFound(err), errors.As(err, &apiErr) && apiErr.Status == monri.StatusInvalidRequest)
	return nil
}
