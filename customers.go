package monri

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/monri-go/monri/gen"
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
type CustomersService struct {
	raw *gen.ClientWithResponses
	d   *doer
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
func (s *CustomersService) Create(ctx context.Context, params CustomerParams) (*Customer, error) {
	send := func(ctx context.Context) (*Customer, error) {
		rsp, err := s.raw.CreateCustomer(ctx, params)
		return ok[Customer](ctx, rsp, err)
	}
	merchantID := ""
	if params.MerchantCustomerID != nil {
		merchantID = *params.MerchantCustomerID
	}
	for attempt := 0; ; attempt++ {
		c, err := call(ctx, retryIfUnsent, send)
		if err == nil {
			return c, nil
		}
		if merchantID == "" || !uncertain(ctx, err) || attempt >= s.d.cfg.maxRetries {
			return nil, err
		}
		existing, lookupErr := s.GetByMerchantCustomerID(ctx, merchantID)
		if lookupErr == nil {
			return existing, nil
		}
		if !IsNotFound(lookupErr) {
			return nil, errors.Join(err, fmt.Errorf("monri: resolving the uncertain create: %w", lookupErr))
		}
		if werr := sleep(ctx, s.d.wait(attempt, nil)); werr != nil {
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
func (s *CustomersService) Get(ctx context.Context, uuid string) (*Customer, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.Get: uuid is empty")
	}
	c, err := call(ctx, retryByMethod, func(ctx context.Context) (*Customer, error) {
		rsp, err := s.raw.GetCustomer(ctx, uuid)
		return ok[Customer](ctx, rsp, err)
	})
	return c, err
}

// GetByMerchantCustomerID returns the customer the merchant created with
// this merchant_customer_id.
func (s *CustomersService) GetByMerchantCustomerID(ctx context.Context, merchantCustomerID string) (*Customer, error) {
	if merchantCustomerID == "" {
		return nil, errors.New("monri: Customers.GetByMerchantCustomerID: merchant_customer_id is empty")
	}
	c, err := call(ctx, retryByMethod, func(ctx context.Context) (*Customer, error) {
		rsp, err := s.raw.GetCustomerByMerchantCustomerID(ctx, merchantCustomerID)
		return ok[Customer](ctx, rsp, err)
	})
	return c, err
}

// Update changes the fields set in params and leaves the others as they are.
// It is safe to retry: sending the same fields twice has the same effect.
func (s *CustomersService) Update(ctx context.Context, uuid string, params CustomerParams) (*Customer, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.Update: uuid is empty")
	}
	c, err := call(ctx, retryAlways, func(ctx context.Context) (*Customer, error) {
		rsp, err := s.raw.UpdateCustomer(ctx, uuid, params)
		return ok[Customer](ctx, rsp, err)
	})
	return c, err
}

// Delete deletes the customer with the given uuid.
func (s *CustomersService) Delete(ctx context.Context, uuid string) (*DeletedCustomer, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.Delete: uuid is empty")
	}
	d, err := call(ctx, retryByMethod, func(ctx context.Context) (*DeletedCustomer, error) {
		rsp, err := s.raw.DeleteCustomer(ctx, uuid)
		return ok[DeletedCustomer](ctx, rsp, err)
	})
	return d, err
}

// List returns one page of customers, newest first. params may be nil.
func (s *CustomersService) List(ctx context.Context, params *ListParams) ([]Customer, error) {
	page, err := call(ctx, retryByMethod, func(ctx context.Context) (*gen.CustomerList, error) {
		rsp, err := s.raw.ListCustomers(ctx, copyParams(params))
		return ok[gen.CustomerList](ctx, rsp, err)
	})
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
// which it yields. params is never changed.
func (s *CustomersService) ListAll(ctx context.Context, params *ListParams) iter.Seq2[Customer, error] {
	return paginate(params, func(p *ListParams) ([]Customer, error) { return s.List(ctx, p) })
}

// ListPaymentMethods returns one page of the customer's payment methods.
func (s *CustomersService) ListPaymentMethods(ctx context.Context, uuid string, params *PaymentMethodListParams) ([]PaymentMethod, error) {
	if uuid == "" {
		return nil, errors.New("monri: Customers.ListPaymentMethods: uuid is empty")
	}
	page, err := call(ctx, retryByMethod, func(ctx context.Context) (*gen.PaymentMethodList, error) {
		rsp, err := s.raw.ListCustomerPaymentMethods(ctx, uuid, (*PaymentMethodListParams)(copyParams((*ListParams)(params))))
		return ok[gen.PaymentMethodList](ctx, rsp, err)
	})
	if err != nil {
		return nil, err
	}
	return page.Data, nil
}

// ListAllPaymentMethods walks every page of the customer's payment methods,
// as ListAll does for customers.
func (s *CustomersService) ListAllPaymentMethods(ctx context.Context, uuid string, params *PaymentMethodListParams) iter.Seq2[PaymentMethod, error] {
	// The two params types have the same fields, so one pager serves both.
	return paginate((*ListParams)(params), func(p *ListParams) ([]PaymentMethod, error) {
		return s.ListPaymentMethods(ctx, uuid, (*PaymentMethodListParams)(p))
	})
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

// copyParams keeps the caller's params out of reach of anything downstream.
func copyParams(p *ListParams) *ListParams {
	if p == nil {
		return nil
	}
	c := ListParams{}
	if p.Limit != nil {
		c.Limit = ptr(*p.Limit)
	}
	if p.Offset != nil {
		c.Offset = ptr(*p.Offset)
	}
	return &c
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

func ptr[T any](v T) *T { return &v }
