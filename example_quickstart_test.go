package monri_test

import (
	"context"
	"fmt"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// The package's quickstart: the whole Customers and Pay By Link flow with
// one import (package mock stands in for Monri). Optional fields take
// monri.String, monri.Int, monri.Bool and monri.Ptr; enums are monri's.
func Example() {
	url, stop := startMock()
	defer stop()
	// In production: monri.NewClient(), with MONRI_MERCHANT_KEY and
	// MONRI_AUTHENTICITY_TOKEN set; the test environment is the default.
	c, err := monri.NewClient(
		monri.WithBaseURL(url),
		monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken),
	)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	cust, err := c.Customers.Create(ctx, monri.CustomerParams{
		MerchantCustomerID: monri.String("c-1"),
		Name:               monri.String("Ada Lovelace"),
	})
	if err != nil {
		panic(err)
	}
	if _, err := c.Customers.Update(ctx, cust.UUID, monri.CustomerParams{City: monri.String("Sarajevo")}); err != nil {
		panic(err)
	}
	for cust, err := range c.Customers.ListAll(ctx, &monri.ListParams{Limit: monri.Int(10)}) {
		if err != nil {
			panic(err)
		}
		fmt.Println("customer:", *cust.MerchantCustomerID, *cust.City)
	}

	link, err := c.PayByLink.CreateOrUpdate(ctx, monri.PayByLinkParams{
		OrderNumber:          "o-1",
		Amount:               1024, // 10.24 EUR in minor units
		Currency:             "EUR",
		TransactionType:      monri.TransactionTypePurchase,
		OrderInfo:            "Order o-1",
		Language:             monri.Ptr(monri.LanguageEn),
		NumberOfInstallments: monri.Installments(3),
		TokenizePanOffered:   monri.Bool(false), // sent as false, not left out
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("link:", link.Status == string(monri.SavedStatusCreated),
		link.TerminalEntryStatus == monri.TerminalEntryStatusPending, link.Active, link.PaymentURL != "")

	got, err := c.PayByLink.Get(ctx, "o-1")
	if err != nil {
		panic(err)
	}
	fmt.Println("shown:", got.Status, got.Amount, got.Currency)

	gone, err := c.Customers.Delete(ctx, cust.UUID)
	if err != nil {
		panic(err)
	}
	fmt.Println("deleted:", gone.Deleted)
	// Output:
	// customer: c-1 Sarajevo
	// link: true true true true
	// shown: approved 1024 EUR
	// deleted: true
}
