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
//	cust, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: monri.String("c-1"), Name: monri.String("Ada")})
//	link, err := c.PayByLink.CreateOrUpdate(ctx, monri.PayByLinkParams{OrderNumber: "o-1", Amount: 1024, Currency: "EUR", TransactionType: monri.TransactionTypePurchase, OrderInfo: "Order o-1"})
//
// The package Example (example_quickstart_test.go) is the whole flow,
// compiled and run by go test.
// One import is enough: the contract's enums are here with their generated
// names (TransactionTypePurchase, LanguageEn, SavedStatusCreated,
// TerminalEntryStatusPending, StatusInvalidRequest, CallbackStatusApproved),
// and String, Int, Int64, Bool, Installments and Ptr fill optional fields.
// Each type alias names the gen type that documents its fields.
//
// Every service method takes RequestOptions after its arguments, which
// override the Client's options for that call: WithRequestTimeout,
// WithRequestMaxRetries, WithRequestHeader, WithRequestLogger and
// WithRequestLogAttrs. Signing, retries, bounds and logging live in one
// internal transport; the services build each request and decode the answer.
//
// Every failure is an error: *Error for each non-2xx answer and each 2xx the
// client could not decode (see IsNotFound, IsUnauthorized, IsInvalidRequest,
// IsRateLimited and IsRetryable), a wrapped error for a call that got no
// answer, with context errors intact. An Error keeps a short redacted
// excerpt of the body, never the body, which can hold card tokens.
//
// Every attempt is bounded by default: DefaultTimeout (30 s) per attempt and
// DefaultResponseHeaderTimeout on the default transport. A wait between
// attempts that would outlast the context's deadline is not started: the
// call returns at once with Monri's last answer and
// context.DeadlineExceeded. Signed requests go only over https, or over
// http to a loopback host (the mock), unless WithInsecureHTTP is given.
//
// CallbackHandler serves Monri's payment callbacks: it verifies the
// signature on the raw body, then decodes leniently, so a genuine callback
// is never refused over a field the shop does not act on; Callback.Raw is
// the verified body, for the audit log. Monri retries a callback until it
// gets a 2xx, so record the payment idempotently and expect duplicates,
// never fulfil an order on the success redirect alone, and confirm through
// PayByLinkService.Get when in doubt. NewCallbackHandler reports a bad
// configuration (empty key, nil fn, bad option) as an error; CallbackHandler
// never panics on one but answers 500, so that Monri retries.
//
// ListAll and ListAllPaymentMethods walk pages until an empty one, so a
// server that caps the page size cannot cut the walk short. A walk over a
// list that changes meanwhile is not a snapshot: an item already yielded
// is skipped, and one may be missed.
//
// Retries are safe for payments. Only connection errors, 408, 429 and 5xx
// are retried, at most WithMaxRetries times (default 2), waiting
// 0.5 s·2ⁿ with jitter up to 8 s, or what Retry-After says; a cancelled
// context ends the wait at once, and each attempt is signed anew. GET,
// DELETE, customer update and Pay By Link create-or-update (idempotent by
// order number) are retried; customer create is not idempotent and is
// repeated only when it surely never reached Monri. After a failure that
// may have been applied it is never sent again: it is resolved by looking
// the merchant_customer_id up, and when that cannot settle it the call
// returns *OutcomeUnknownError (see CustomersService.Create).
//
// PayByLink.Deactivate and Activate take the link's params, as
// CreateOrUpdate took them, and send them with only active changed: they
// never read the link to write it back, which would drop fields Monri's
// show answer lacks and undo concurrent updates.
//
// WithLogger logs one debug line per attempt; credentials, digests and the
// Authorization header never appear in it, in errors, or in %v of anything
// here. In tests, run the client against package mock:
//
//	m := mock.Start(t)
//	c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
package monri
