package monri

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/transport"
)

// OutcomeUnknownError is Customers.Create's answer when the create may have
// been applied (the connection broke after sending, the attempt timed out,
// Monri answered 408 or 5xx, or the context ended mid-request) and Create
// could not find out whether it was. Do not simply create again: look the
// customer up with GetByMerchantCustomerID first. Get it with errors.As;
// errors.Is and errors.As also reach the failures it wraps.
type OutcomeUnknownError struct {
	// MerchantCustomerID is the merchant_customer_id the create sent, to
	// look the customer up by; empty when it sent none, and then nothing
	// can tell whether the customer was made.
	MerchantCustomerID string
	// Err is the failure that made the outcome uncertain, joined with what
	// resolving it ran into.
	Err error
}

// Error says the outcome is unknown and what to do, then the failures.
func (e *OutcomeUnknownError) Error() string {
	if e.MerchantCustomerID == "" {
		return "monri: Customers.Create: outcome unknown: the customer may have been created, and without a merchant_customer_id it cannot be looked up: " + e.Err.Error()
	}
	return fmt.Sprintf("monri: Customers.Create: outcome unknown: the customer may have been created; look merchant_customer_id %q up before creating it again: %v", e.MerchantCustomerID, e.Err)
}

// Unwrap returns the failures, for errors.Is and errors.As.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Create creates a customer.
//
// Create is not idempotent, so it never sends a second POST after an
// outcome that may have been applied. It repeats the POST only when the
// request surely did not reach Monri (a failed dial) or Monri refused it
// unprocessed (429). After any other failure (a connection lost after
// sending, a timeout, 408, 5xx, or a 2xx it could not decode) it resolves
// the outcome with GetByMerchantCustomerID, waiting with the client's
// backoff before each lookup, since the create may still be committing at
// Monri. A 404 means not yet; a customer found is returned only if it
// matches params (merchant_customer_id, and name and email when set): one
// that does not held the id before this call. A 400 "already exists" after
// an earlier attempt of this call is resolved the same way. The POSTs and
// lookups share one budget: at most WithMaxRetries (or
// WithRequestMaxRetries) requests after the first, in all, within ctx; the
// lookups carry the call's other RequestOptions.
//
// When the outcome cannot be resolved, Create returns an
// *OutcomeUnknownError. Without a merchant_customer_id every uncertain
// outcome is one, since nothing can tell whether the customer was made:
// set one to get exactly one customer per call.
func (s *CustomersService) Create(ctx context.Context, params CustomerParams, opts ...RequestOption) (*Customer, error) {
	call, err := callFor(transport.IfUnsent, opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("monri: POST /v2/customers: %w", err) // surely not sent
	}
	left := s.api.cfg.maxRetries
	if call.MaxRetries != nil {
		left = *call.MaxRetries
	}
	call.MaxRetries = &left
	req, err := gen.NewCreateCustomerRequest(s.api.server, params)
	c, res, err := send[Customer](ctx, s.api, call, req, err)
	if err == nil {
		return c, nil
	}
	attempts := 0
	if res != nil {
		attempts = res.Attempts
	}
	if !mayBeApplied(err, attempts) {
		return nil, err
	}
	left -= max(attempts-1, 0)
	if params.MerchantCustomerID == nil || *params.MerchantCustomerID == "" {
		return nil, &OutcomeUnknownError{Err: err}
	}
	return s.resolveCreate(ctx, params, err, left, call)
}

// mayBeApplied reports whether a create that failed with err, after
// attempts attempts, may have made the customer.
func mayBeApplied(err error, attempts int) bool {
	if attempts == 0 {
		return false // the request was never built or sent
	}
	var e *Error
	if errors.As(err, &e) {
		switch {
		case e.HTTPStatus >= 200 && e.HTTPStatus <= 299:
			return true // made, but the answer did not decode
		case e.HTTPStatus == http.StatusRequestTimeout, e.HTTPStatus >= 500:
			return true
		case e.HTTPStatus == http.StatusBadRequest && attempts > 1 && strings.Contains(strings.ToLower(e.Message), "already exists"):
			return true // an earlier attempt of this call may be what holds the id
		}
		return false // Monri refused it
	}
	return !transport.NeverSent(err)
}

// resolveCreate looks the customer up by params' merchant_customer_id after
// an uncertain create that failed with cause, making at most left lookups.
// The lookups carry call's header, timeout and logger, and are not retried
// on their own: each one counts against left.
func (s *CustomersService) resolveCreate(ctx context.Context, params CustomerParams, cause error, left int, call transport.Call) (*Customer, error) {
	merchantID := *params.MerchantCustomerID
	unknown := func(errs ...error) error {
		return &OutcomeUnknownError{MerchantCustomerID: merchantID, Err: errors.Join(append([]error{cause}, errs...)...)}
	}
	var last error
	for n := 0; ; n++ {
		if left <= 0 {
			if last != nil {
				return nil, unknown(fmt.Errorf("monri: the lookups ran out of retries: %w", last))
			}
			return nil, unknown(errors.New("monri: no retries left to look the customer up"))
		}
		wait := s.api.t.Backoff(n)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, unknown(fmt.Errorf("monri: no time left before the context's deadline to look the customer up: %w", context.DeadlineExceeded))
		}
		if err := s.api.t.Sleep(ctx, wait); err != nil {
			return nil, unknown(err)
		}
		left--
		none := 0
		lookup := call
		lookup.Policy, lookup.MaxRetries = transport.ByMethod, &none
		req, err := gen.NewGetCustomerByMerchantCustomerIDRequest(s.api.server, merchantID)
		found, _, err := send[Customer](ctx, s.api, lookup, req, err)
		switch {
		case err == nil:
			if differs := mismatch(found, params); differs != "" {
				return nil, unknown(fmt.Errorf("monri: the customer holding merchant_customer_id %q has another %s: it is not the one this call sent", merchantID, differs))
			}
			return found, nil
		case ctx.Err() != nil:
			return nil, unknown(err)
		case IsNotFound(err), transient(err):
			last = err // not committed yet, or a failure worth another look
		default:
			return nil, unknown(err)
		}
	}
}

// transient reports whether a lookup's failure is worth another look.
func transient(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.HTTPStatus == http.StatusRequestTimeout || e.HTTPStatus == http.StatusTooManyRequests || e.HTTPStatus >= 500
	}
	return true // no answer
}

// mismatch names the first field set in params that c has otherwise, or "".
// Emails compare without case, as mail systems treat them.
func mismatch(c *Customer, params CustomerParams) string {
	same := func(got, want *string, fold bool) bool {
		if want == nil {
			return true
		}
		if got == nil {
			return false
		}
		if fold {
			return strings.EqualFold(*got, *want)
		}
		return *got == *want
	}
	switch {
	case !same(c.MerchantCustomerID, params.MerchantCustomerID, false):
		return "merchant_customer_id"
	case !same(c.Name, params.Name, false):
		return "name"
	case !same(c.Email, params.Email, true):
		return "email"
	}
	return ""
}
