package monri

import (
	"context"
	"errors"
	"iter"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/transport"
	"github.com/monri-go/monri/wire"
)

// Customer is a customer as Monri returns it. List pages carry the
// identifier as id; the facade returns their items as Customers with UUID
// set from it, so every Customer has UUID. Its fields are documented at
// [gen.Customer].
type Customer = gen.Customer

// CustomerParams are the fields a merchant sets at create and update. Its
// fields are documented at [gen.CustomerRequest].
type CustomerParams = gen.CustomerRequest

// DeletedCustomer is the answer to a delete; ID is the deleted customer's
// uuid. Its fields are documented at [gen.DeletedCustomer].
type DeletedCustomer = gen.DeletedCustomer

// PaymentMethod is a customer's saved card. Its fields are documented at
// [gen.PaymentMethod].
type PaymentMethod = gen.PaymentMethod

// CardToken is a saved card's pan token: PaymentMethod's ID and Token, and
// each of PayByLinkParams.SupportedPaymentMethods. It never prints (every
// fmt verb shows card-token[…1234]); Reveal returns the token. See
// [wire.CardToken].
type CardToken = wire.CardToken

// PaymentMethodCard is the literal "card" of SupportedPaymentMethods: any
// card the buyer enters.
const PaymentMethodCard = wire.PaymentMethodCard

// ListParams page through the customers: Limit (default 50) and Offset
// (default 0), set with [Int]. Its fields are documented at
// [gen.ListCustomersParams].
type ListParams = gen.ListCustomersParams

// PaymentMethodListParams page through a customer's payment methods, as
// ListParams do through customers. Its fields are documented at
// [gen.ListCustomerPaymentMethodsParams].
type PaymentMethodListParams = gen.ListCustomerPaymentMethodsParams

// DefaultPageSize is Monri's default limit, which ListAll uses when none is given.
const DefaultPageSize = 50

// CustomersService is Monri's Customers API. Get it from Client.Customers.
// Every method takes RequestOptions after its arguments.
type CustomersService struct {
	api *api
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

// Delete deletes the customer with the given uuid. It is retried on
// transient failures, so when an attempt that was applied lost its answer,
// the retry may find the customer gone: treat IsNotFound from Delete as
// "no such customer any more", not as a failure to delete.
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

// ListAll walks every page from params' offset, asking for params.Limit
// (default 50) at a time, until a page comes back empty: a shorter page
// does not end the walk, since a server may cap the page size. It stops at
// the first error, which it yields. params is never changed; opts apply to
// every page.
//
// The walk is not a snapshot: a customer created or deleted meanwhile shifts
// the later pages, so it may be missed, and an item that moves to a later
// page would be seen twice, so ListAll skips a uuid it has already yielded.
// A page holding nothing new ends the walk with an error, since a list that
// moved by a whole page cannot be told from a server that ignores offset.
func (s *CustomersService) ListAll(ctx context.Context, params *ListParams, opts ...RequestOption) iter.Seq2[Customer, error] {
	return paginate(params, func(c Customer) string { return c.UUID },
		func(p *ListParams) ([]Customer, error) { return s.List(ctx, p, opts...) })
}

// ListPaymentMethods returns one page of the customer's payment methods.
func (s *CustomersService) ListPaymentMethods(ctx context.Context, uuid string, params *PaymentMethodListParams, opts ...RequestOption) ([]PaymentMethod, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.ListPaymentMethods: uuid is empty")
	}
	call, err := callFor(transport.ByMethod, opts)
	if err != nil {
		return nil, err
	}
	req, err := gen.NewListCustomerPaymentMethodsRequest(s.api.server, uuid, params)
	page, _, err := send[gen.PaymentMethodList](ctx, s.api, call, req, err)
	if err != nil {
		return nil, err
	}
	return page.Data, nil
}

// ListAllPaymentMethods walks every page of the customer's payment methods,
// as ListAll does for customers, skipping an id already yielded.
func (s *CustomersService) ListAllPaymentMethods(ctx context.Context, uuid string, params *PaymentMethodListParams, opts ...RequestOption) iter.Seq2[PaymentMethod, error] {
	// The two params types have the same fields, so one pager serves both.
	return paginate((*ListParams)(params), func(m PaymentMethod) string { return m.ID.Reveal() },
		func(p *ListParams) ([]PaymentMethod, error) {
			return s.ListPaymentMethods(ctx, uuid, (*PaymentMethodListParams)(p), opts...)
		})
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
