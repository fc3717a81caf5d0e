package monri

import (
	"context"
	"errors"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/transport"
)

// PayByLink is a payment link as Monri returns it.
type PayByLink = gen.PayByLink

// PayByLinkParams is the body of a create-or-update.
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

// Deactivate makes the link for orderNumber unpayable.
//
// Monri's page for this call lost its request body (ERRATA 4). What it keeps
// says the call is a create-or-update of the same order number and that the
// answer's active field shows the state. So Deactivate reads the link with
// Get and sends all of it back with active set to false: whether Monri
// merges the fields sent or replaces the entry, nothing else changes.
func (s *PayByLinkService) Deactivate(ctx context.Context, orderNumber string, opts ...RequestOption) (*PayByLink, error) {
	return s.setActive(ctx, orderNumber, false, opts)
}

// Activate makes the link for orderNumber payable again, as Deactivate
// describes, with active set to true.
func (s *PayByLinkService) Activate(ctx context.Context, orderNumber string, opts ...RequestOption) (*PayByLink, error) {
	return s.setActive(ctx, orderNumber, true, opts)
}

func (s *PayByLinkService) setActive(ctx context.Context, orderNumber string, active bool, opts []RequestOption) (*PayByLink, error) {
	link, err := s.Get(ctx, orderNumber, opts...)
	if err != nil {
		return nil, err
	}
	params := requestFromLink(link)
	params.Active = &active
	return s.CreateOrUpdate(ctx, params, opts...)
}

// requestFromLink turns a link back into the body that would recreate it.
func requestFromLink(l *PayByLink) PayByLinkParams {
	p := PayByLinkParams{
		OrderNumber:             l.OrderNumber,
		NumberOfInstallments:    &l.NumberOfInstallments,
		ChFullName:              l.ChFullName,
		ChAddress:               l.ChAddress,
		ChCity:                  l.ChCity,
		ChZip:                   l.ChZip,
		ChCountry:               l.ChCountry,
		ChPhone:                 l.ChPhone,
		ChEmail:                 l.ChEmail,
		Language:                l.Language,
		SupportedPaymentMethods: l.SupportedPaymentMethods,
		TokenizePan:             &l.TokenizePan,
		TokenizePanOffered:      &l.TokenizePanOffered,
		ExpiresAt:               l.ExpiresAt,
		Amount:                  l.Amount,
		Currency:                l.Currency,
		TransactionType:         l.TransactionType,
		OrderInfo:               l.OrderInfo,
	}
	return p
}
