package monri

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/transport"
)

// Customer is a customer as Monri returns it. List pages carry the
// identifier as id; the facade returns their items as Customers with UUID
// set from it, so every Customer has UUID.
type Customer = gen.Customer

// CustomerParams are the fields a merchant sets at create and update.
type CustomerParams = gen.CustomerRequest

// DeletedCustomer is the answer to a delete; ID is the deleted customer's uuid.
type DeletedCustomer = gen.DeletedCustomer

// PaymentMethod is a customer's saved card.
type PaymentMethod = gen.PaymentMethod

// ListParams page through a list: Limit (default 50) and Offset (default 0).
type ListParams = gen.ListCustomersParams

// DefaultPageSize is Monri's default limit, which ListAll uses when none is given.
const DefaultPageSize = 50

// CustomersService is Monri's Customers API. Get it from Client.Customers.
// Every method takes RequestOptions after its arguments.
type CustomersService struct {
	api *api
}

// Create creates a customer.
//
// Create is not idempotent, so it is never repeated blindly: it is retried
// only when the request surely did not reach Monri. When the outcome is
// uncertain (a lost connection, a timeout, a 5xx) and params carry a
// merchant_customer_id, Create looks that id up: it returns the customer if
// it exists and tries again otherwise, within the retry budget. Without a
// merchant_customer_id an uncertain outcome is returned as the error, since
// nothing can tell whether the customer was made. Set one to get exactly one
// customer per call.
func (s *CustomersService) Create(ctx context.Context, params CustomerParams, opts ...RequestOption) (*Customer, error) {
	call, err := callFor(transport.IfUnsent, opts)
	if err != nil {
		return nil, err
	}
	maxRetries := s.api.cfg.maxRetries
	if call.MaxRetries != nil {
		maxRetries = *call.MaxRetries
	}
	merchantID := ""
	if params.MerchantCustomerID != nil {
		merchantID = *params.MerchantCustomerID
	}
	for attempt := 0; ; attempt++ {
		req, err := gen.NewCreateCustomerRequest(s.api.server, params)
		c, _, err := send[Customer](ctx, s.api, call, req, err)
		if err == nil {
			return c, nil
		}
		if merchantID == "" || !uncertain(ctx, err) || attempt >= maxRetries {
			return nil, err
		}
		existing, lookupErr := s.GetByMerchantCustomerID(ctx, merchantID, opts...)
		if lookupErr == nil {
			return existing, nil
		}
		if !IsNotFound(lookupErr) {
			return nil, errors.Join(err, fmt.Errorf("monri: resolving the uncertain create: %w", lookupErr))
		}
		if werr := s.api.t.Sleep(ctx, s.api.t.Backoff(attempt)); werr != nil {
			return nil, errors.Join(err, werr)
		}
	}
}

// uncertain reports whether a failed create may have reached Monri and been
// applied: no answer at all, or an answer that does not say it was refused.
func uncertain(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return e.HTTPStatus == 408 || e.HTTPStatus >= 500
	}
	return true
}

// Get returns the customer with the given uuid.
func (s *CustomersService) Get(ctx context.Context, uuid string, opts ...RequestOption) (*Customer, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.Get: uuid is empty")
	}
	call, err := callFor(transport.ByMethod, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewGetCustomerRequest(s.api.server, uuid)
	c, _, err := send[Customer](ctx, s.api, call, req, err)
	return c, err
}

// GetByMerchantCustomerID returns the customer the merchant created with
// this merchant_customer_id.
func (s *CustomersService) GetByMerchantCustomerID(ctx context.Context, merchantCustomerID string, opts ...RequestOption) (*Customer, error) {
	if merchantCustomerID == "" {
		return nil, errors.New("monri: Customers.GetByMerchantCustomerID: merchant_customer_id is empty")
	}
	call, err := callFor(transport.ByMethod, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewGetCustomerByMerchantCustomerIDRequest(s.api.server, merchantCustomerID)
	c, _, err := send[Customer](ctx, s.api, call, req, err)
	return c, err
}

// Update changes the fields set in params and leaves the others as they are.
// It is safe to retry: sending the same fields twice has the same effect.
func (s *CustomersService) Update(ctx context.Context, uuid string, params CustomerParams, opts ...RequestOption) (*Customer, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.Update: uuid is empty")
	}
	call, err := callFor(transport.Always, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewUpdateCustomerRequest(s.api.server, uuid, params)
	c, _, err := send[Customer](ctx, s.api, call, req, err)
	return c, err
}

// Delete deletes the customer with the given uuid.
func (s *CustomersService) Delete(ctx context.Context, uuid string, opts ...RequestOption) (*DeletedCustomer, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.Delete: uuid is empty")
	}
	call, err := callFor(transport.ByMethod, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewDeleteCustomerRequest(s.api.server, uuid)
	d, _, err := send[DeletedCustomer](ctx, s.api, call, req, err)
	return d, err
}

// List returns one page of customers, newest first. params may be nil.
func (s *CustomersService) List(ctx context.Context, params *ListParams, opts ...RequestOption) ([]Customer, error) {
	call, err := callFor(transport.ByMethod, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewListCustomersRequest(s.api.server, params)
	page, _, err := send[gen.CustomerList](ctx, s.api, call, req, err)
	if err != nil {
		return nil, err
	}
	out := make([]Customer, len(page.Data))
	for i, item := range page.Data {
		out[i] = customerFromListItem(item)
	}
	return out, nil
}

// ListAll walks every page from params' offset, params.Limit (default 50)
// at a time, until a page comes back short. It stops at the first error,
// which it yields. params is never changed; opts apply to every page.
func (s *CustomersService) ListAll(ctx context.Context, params *ListParams, opts ...RequestOption) iter.Seq2[Customer, error] {
	return paginate(params, func(p *ListParams) ([]Customer, error) { return s.List(ctx, p, opts...) })
}

// ListPaymentMethods returns one page of the customer's payment methods.
func (s *CustomersService) ListPaymentMethods(ctx context.Context, uuid string, params *ListParams, opts ...RequestOption) ([]PaymentMethod, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.ListPaymentMethods: uuid is empty")
	}
	call, err := callFor(transport.ByMethod, opts)
	if err != nil {
		return nil, err
	}
	var p *gen.ListCustomerPaymentMethodsParams
	if params != nil {
		p = &gen.ListCustomerPaymentMethodsParams{Limit: params.Limit, Offset: params.Offset}
	}
	req, err := gen.NewListCustomerPaymentMethodsRequest(s.api.server, uuid, p)
	page, _, err := send[gen.PaymentMethodList](ctx, s.api, call, req, err)
	if err != nil {
		return nil, err
	}
	return page.Data, nil
}

// ListAllPaymentMethods walks every page of the customer's payment methods,
// as ListAll does for customers.
func (s *CustomersService) ListAllPaymentMethods(ctx context.Context, uuid string, params *ListParams, opts ...RequestOption) iter.Seq2[PaymentMethod, error] {
	return paginate(params, func(p *ListParams) ([]PaymentMethod, error) { return s.ListPaymentMethods(ctx, uuid, p, opts...) })
}

// paginate walks limit/offset pages until a short page or an error.
func paginate[T any](params *ListParams, page func(*ListParams) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		limit, offset := DefaultPageSize, 0
		if params != nil && params.Limit != nil {
			limit = *params.Limit
		}
		if params != nil && params.Offset != nil {
			offset = *params.Offset
		}
		if limit <= 0 || offset < 0 {
			var zero T
			yield(zero, fmt.Errorf("monri: ListAll: limit must be positive and offset non-negative, got limit %d offset %d", limit, offset))
			return
		}
		for {
			items, err := page(&ListParams{Limit: &limit, Offset: &offset})
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range items {
				if !yield(item, nil) {
					return
				}
			}
			if len(items) < limit {
				return
			}
			offset += len(items)
		}
	}
}

// customerFromListItem returns a list item as the Customer a single
// answer would carry: its id is the customer's uuid (ERRATA 9).
func customerFromListItem(c gen.CustomerListItem) Customer {
	return Customer{
		Status: c.Status, UUID: c.ID, MerchantCustomerID: c.MerchantCustomerID,
		Description: c.Description, Email: c.Email, Name: c.Name, Phone: c.Phone,
		Metadata: c.Metadata, ZipCode: c.ZipCode, City: c.City, Address: c.Address,
		Country: c.Country, Deleted: c.Deleted, CreatedAt: c.CreatedAt,
		UpdatedAt: c.UpdatedAt, DeletedAt: c.DeletedAt,
	}
}
