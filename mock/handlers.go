package mock

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/ruletext"
	"github.com/monri-go/monri/mock/internal/api"
	"github.com/monri-go/monri/wire"
)

// handlers implements the generated strict server interface on the store.
type handlers struct{ s *Server }

var _ api.StrictServerInterface = handlers{}

func invalid(f *failure) gen.MonriError {
	return gen.MonriError{Status: gen.MonriErrorStatusInvalidRequest, Message: f.message}
}

// Default page size of the list operations, as the contract says.
const (
	defaultLimit  = 50
	defaultOffset = 0
)

// page reads limit and offset, capping limit at maxSize when that is
// positive ([WithMaxPageSize]). The contract check rejects bad values first;
// this keeps the handler safe when validation is off.
func page(limit, offset *int, maxSize int) (int, int, *failure) {
	l, o := defaultLimit, defaultOffset
	if limit != nil {
		if *limit < 0 {
			return 0, 0, badRequest("limit: must be at least 0")
		}
		l = *limit
	}
	if offset != nil {
		if *offset < 0 {
			return 0, 0, badRequest("offset: must be at least 0")
		}
		o = *offset
	}
	if maxSize > 0 {
		l = min(l, maxSize)
	}
	return l, o, nil
}

func (h handlers) ListCustomers(_ context.Context, req api.ListCustomersRequestObject) (api.ListCustomersResponseObject, error) {
	limit, offset, f := page(req.Params.Limit, req.Params.Offset, h.s.cfg.maxPageSize)
	if f != nil {
		return api.ListCustomers400JSONResponse{InvalidRequestJSONResponse: api.InvalidRequestJSONResponse(invalid(f))}, nil
	}
	return api.ListCustomers200JSONResponse{Status: gen.ApprovedStatusApproved, Data: h.s.store.listCustomers(offset, limit)}, nil
}

func (h handlers) CreateCustomer(ctx context.Context, req api.CreateCustomerRequestObject) (api.CreateCustomerResponseObject, error) {
	if gate := h.s.cfg.createGate; gate != nil {
		gate(ctx)
	}
	c, f := h.s.store.createCustomer(req.Body)
	if f != nil {
		return api.CreateCustomer400JSONResponse{InvalidRequestJSONResponse: api.InvalidRequestJSONResponse(invalid(f))}, nil
	}
	return api.CreateCustomer200JSONResponse{CustomerJSONResponse: api.CustomerJSONResponse(c)}, nil
}

func (h handlers) DeleteCustomer(_ context.Context, req api.DeleteCustomerRequestObject) (api.DeleteCustomerResponseObject, error) {
	d, f := h.s.store.deleteCustomer(req.UUID)
	if f != nil {
		return api.DeleteCustomer404JSONResponse{NotFoundJSONResponse: api.NotFoundJSONResponse(invalid(f))}, nil
	}
	return api.DeleteCustomer200JSONResponse(d), nil
}

func (h handlers) GetCustomer(_ context.Context, req api.GetCustomerRequestObject) (api.GetCustomerResponseObject, error) {
	c, f := h.s.store.getCustomer(req.UUID)
	if f != nil {
		return api.GetCustomer404JSONResponse{NotFoundJSONResponse: api.NotFoundJSONResponse(invalid(f))}, nil
	}
	return api.GetCustomer200JSONResponse{CustomerJSONResponse: api.CustomerJSONResponse(c)}, nil
}

func (h handlers) UpdateCustomer(_ context.Context, req api.UpdateCustomerRequestObject) (api.UpdateCustomerResponseObject, error) {
	c, f := h.s.store.updateCustomer(req.UUID, req.Body)
	switch {
	case f == nil:
		return api.UpdateCustomer200JSONResponse{CustomerJSONResponse: api.CustomerJSONResponse(c)}, nil
	case f.status == http.StatusNotFound:
		return api.UpdateCustomer404JSONResponse{NotFoundJSONResponse: api.NotFoundJSONResponse(invalid(f))}, nil
	}
	return api.UpdateCustomer400JSONResponse{InvalidRequestJSONResponse: api.InvalidRequestJSONResponse(invalid(f))}, nil
}

func (h handlers) ListCustomerPaymentMethods(_ context.Context, req api.ListCustomerPaymentMethodsRequestObject) (api.ListCustomerPaymentMethodsResponseObject, error) {
	limit, offset, f := page(req.Params.Limit, req.Params.Offset, h.s.cfg.maxPageSize)
	if f != nil {
		return api.ListCustomerPaymentMethods400JSONResponse{InvalidRequestJSONResponse: api.InvalidRequestJSONResponse(invalid(f))}, nil
	}
	methods, f := h.s.store.listPaymentMethods(req.UUID, offset, limit)
	if f != nil {
		return api.ListCustomerPaymentMethods404JSONResponse{NotFoundJSONResponse: api.NotFoundJSONResponse(invalid(f))}, nil
	}
	return api.ListCustomerPaymentMethods200JSONResponse{Status: gen.ApprovedStatusApproved, Data: methods}, nil
}

func (h handlers) GetCustomerByMerchantCustomerID(_ context.Context, req api.GetCustomerByMerchantCustomerIDRequestObject) (api.GetCustomerByMerchantCustomerIDResponseObject, error) {
	c, f := h.s.store.getCustomerByMerchantID(req.MerchantCustomerID)
	if f != nil {
		return api.GetCustomerByMerchantCustomerID404JSONResponse{NotFoundJSONResponse: api.NotFoundJSONResponse(invalid(f))}, nil
	}
	return api.GetCustomerByMerchantCustomerID200JSONResponse{CustomerJSONResponse: api.CustomerJSONResponse(c)}, nil
}

func (h handlers) CreateOrUpdatePayByLink(ctx context.Context, req api.CreateOrUpdatePayByLinkRequestObject) (api.CreateOrUpdatePayByLinkResponseObject, error) {
	body := req.Body
	if n := len(body.OrderNumber); n == 0 {
		// Only reachable with validation off.
		return api.CreateOrUpdatePayByLink400JSONResponse{InvalidRequestJSONResponse: api.InvalidRequestJSONResponse(invalid(badRequest("order_number: is required")))}, nil
	}
	base, _ := ctx.Value(baseURLKey{}).(string)
	l := h.s.store.upsertLink(body, base+"/pay/"+url.PathEscape(body.OrderNumber), h.s.cfg.linkUpdates == Replace)
	return api.CreateOrUpdatePayByLink200JSONResponse{SavedPayByLinkJSONResponse: api.SavedPayByLinkJSONResponse(l)}, nil
}

func (h handlers) GetPayByLink(_ context.Context, req api.GetPayByLinkRequestObject) (api.GetPayByLinkResponseObject, error) {
	l, f := h.s.store.getLink(req.OrderNumber)
	if f != nil {
		return api.GetPayByLink404JSONResponse{NotFoundJSONResponse: api.NotFoundJSONResponse(invalid(f))}, nil
	}
	return api.GetPayByLink200JSONResponse{PayByLinkJSONResponse: api.PayByLinkJSONResponse(l)}, nil
}

type baseURLKey struct{}

// withBaseURL gives the Pay By Link create-or-update the scheme and host the
// request came to, for payment_url.
func (s *Server) withBaseURL(next api.StrictHandlerFunc, operationID string) api.StrictHandlerFunc {
	if operationID != "CreateOrUpdatePayByLink" {
		return next
	}
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
		return next(context.WithValue(ctx, baseURLKey{}, baseURL(r)), w, r, req)
	}
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// decodeWords says in plain words why a body did not decode into package
// gen's types: a value of the wrong JSON type, a timestamp in no known
// layout, or not JSON at all. It never quotes the value.
func decodeWords(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.Is(err, wire.ErrTimestamp):
		return "expires_at: must be a timestamp like 2021-09-26T07:58:30.996+0200, 2019-02-12T11:22:33Z or 2019-02-12 11:22:33 UTC"
	case errors.Is(err, wire.ErrInstallments):
		return `number_of_installments: must be an integer 2-12 or ""`
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return typeErr.Field + ": must be " + goTypeWords(typeErr.Type)
	case errors.As(err, &syntaxErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "body: is not valid JSON"
	case errors.As(err, &typeErr):
		return "body: must be " + goTypeWords(typeErr.Type)
	}
	return "body: could not be decoded"
}

// goKindWords names each kind of JSON value in the mock's answers.
var goKindWords = map[ruletext.Kind]string{
	ruletext.Integer: "an integer", ruletext.Number: "a number", ruletext.Boolean: "a boolean",
	ruletext.String: "a string", ruletext.Array: "an array", ruletext.Object: "an object",
}

func goTypeWords(t reflect.Type) string {
	if w, ok := goKindWords[ruletext.KindOf(t)]; ok {
		return w
	}
	if t == nil {
		return "a valid value"
	}
	return "a valid " + strings.ToLower(ruletext.Deref(t).Kind().String())
}
