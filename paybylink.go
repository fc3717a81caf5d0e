package monri

import (
	"context"
	"errors"
	"fmt"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/transport"
)

// PayByLink is a payment link as Monri returns it. Its fields are
// documented at [gen.PayByLink].
type PayByLink = gen.PayByLink

// PayByLinkParams is the body of a create-or-update. Its fields are
// documented at [gen.PayByLinkRequest]; set the optional ones with [String],
// [Bool], [Installments] and [Ptr].
type PayByLinkParams = gen.PayByLinkRequest

// PayByLinkService is Monri's Pay By Link API. Get it from Client.PayByLink.
// Every method takes RequestOptions after its arguments.
type PayByLinkService struct {
	api *api
}

// CreateOrUpdate creates the link for params.OrderNumber, or updates the one
// that exists: the order number is the idempotency key, so the call is safe
// to retry and is retried on transient failures. The answer's Status is
// "created" the first time and "updated" after.
func (s *PayByLinkService) CreateOrUpdate(ctx context.Context, params PayByLinkParams, opts ...RequestOption) (*PayByLink, error) {
	if params.OrderNumber == "" {
		return nil, errors.New("monri: PayByLink.CreateOrUpdate: order_number is empty")
	}
	call, err := callFor(transport.Always, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewCreateOrUpdatePayByLinkRequest(s.api.server, params)
	link, _, err := send[PayByLink](ctx, s.api, call, req, err)
	return link, err
}

// Get returns the link for orderNumber. Its Status is always "approved".
func (s *PayByLinkService) Get(ctx context.Context, orderNumber string, opts ...RequestOption) (*PayByLink, error) {
	if orderNumber == "" {
		return nil, errors.New("monri: PayByLink.Get: order_number is empty")
	}
	call, err := callFor(transport.ByMethod, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewGetPayByLinkRequest(s.api.server, orderNumber)
	link, _, err := send[PayByLink](ctx, s.api, call, req, err)
	return link, err
}

// Deactivate makes the link for params.OrderNumber unpayable: it sends
// params, the link's whole body, as a create-or-update with only Active set
// to false.
//
// Monri's page for this call lost its request body (ERRATA 4); what it
// keeps says deactivating is a create-or-update of the same order number
// with "active": false, and does not say whether Monri merges the fields
// sent into the link or replaces the link with them. Sending the caller's
// params is right either way: nothing the caller set is dropped, whether
// merged or replaced. Deactivate does not read the link and write it back,
// because Monri's show answer lacks the URL overrides and the comment (a
// replace would drop them, and the shop would never hear of the payment),
// and because a read-then-write undoes a concurrent CreateOrUpdate. The
// caller owns the order, so pass the link's current params, the same ones
// CreateOrUpdate last sent. Like CreateOrUpdate, Deactivate creates the
// link when none has this order number, and is retried on transient
// failures. A params without the required amount, currency,
// transaction_type or order_info is refused before anything is sent.
func (s *PayByLinkService) Deactivate(ctx context.Context, params PayByLinkParams, opts ...RequestOption) (*PayByLink, error) {
	return s.setActive(ctx, "Deactivate", params, false, opts)
}

// Activate makes the link for params.OrderNumber payable again: it sends
// params with only Active set to true, as Deactivate describes.
func (s *PayByLinkService) Activate(ctx context.Context, params PayByLinkParams, opts ...RequestOption) (*PayByLink, error) {
	return s.setActive(ctx, "Activate", params, true, opts)
}

// setActive sends params (a copy: the caller's value is not changed) with
// Active set, and nothing else changed.
func (s *PayByLinkService) setActive(ctx context.Context, op string, params PayByLinkParams, active bool, opts []RequestOption) (*PayByLink, error) {
	for _, missing := range []struct {
		field string
		empty bool
	}{
		{"order_number", params.OrderNumber == ""},
		{"amount", params.Amount == 0},
		{"currency", params.Currency == ""},
		{"transaction_type", params.TransactionType == ""},
		{"order_info", params.OrderInfo == ""},
	} {
		if missing.empty {
			return nil, fmt.Errorf("monri: PayByLink.%s: %s is not set: pass the link's whole params, which are sent as they are", op, missing.field)
		}
	}
	params.Active = &active
	return s.CreateOrUpdate(ctx, params, opts...)
}
