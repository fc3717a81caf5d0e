// Package monri is the Go client for Monri's Customers and Pay By Link APIs:
// one constructor, signed requests, typed errors, safe retries and
// iterators over lists, on top of the generated client in package gen.
//
// Quickstart:
//
//	c, err := monri.NewClient() // MONRI_MERCHANT_KEY, MONRI_AUTHENTICITY_TOKEN; test environment
//	if err != nil {
//		return err
//	}
//	cust, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("c-1"), Name: ptr("Ada")})
//	link, err := c.PayByLink.CreateOrUpdate(ctx, monri.PayByLinkParams{OrderNumber: "o-1", Amount: 1024, Currency: "EUR", TransactionType: gen.TransactionTypePurchase, OrderInfo: "Order o-1"})
//
// Every failure is an error: *Error for each non-2xx answer and each 2xx the
// client could not decode (see IsNotFound, IsUnauthorized, IsInvalidRequest),
// a wrapped error for a call that got no answer, with context errors intact.
//
// Retries are safe for payments; the rule is written out at retryPolicy in
// retry.go and summarised on CustomersService.Create. In tests, run the
// client against package mock: monri.WithBaseURL(mock.Start(t).URL).
package monri
