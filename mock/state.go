package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/monri-go/monri/gen"
)

// Customers returns a copy of every customer, deleted ones included, in
// creation order, each as a GET by uuid would answer it.
func (s *Server) Customers() []gen.Customer { return s.store.customers() }

// Customer returns a copy of the customer with the given uuid, deleted or
// not, and whether there is one.
func (s *Server) Customer(uuid string) (gen.Customer, bool) {
	c, f := s.store.getCustomer(uuid)
	return c, f == nil
}

// PaymentMethods returns a copy of a customer's payment methods, newest
// first as the list operation orders them, and whether the customer exists.
func (s *Server) PaymentMethods(customerUUID string) ([]gen.PaymentMethod, bool) {
	return s.store.paymentMethods(customerUUID)
}

// PayByLinks returns a copy of every payment link in id order, each as the
// show operation would answer it.
func (s *Server) PayByLinks() []gen.PayByLink { return s.store.payByLinks() }

// PayByLink returns a copy of the payment link with the given order number
// and whether there is one.
func (s *Server) PayByLink(orderNumber string) (gen.PayByLink, bool) {
	return s.store.link(orderNumber)
}

// PayByLinkRequest returns a copy of what the link with the given order
// number stores of the create-or-update bodies, every field sent included
// (the show answer leaves out callback_url_override, success_url_override,
// cancel_url_override and comment), and whether there is one.
func (s *Server) PayByLinkRequest(orderNumber string) (gen.PayByLinkRequest, bool) {
	return s.store.linkRequest(orderNumber)
}

// AddPaymentMethod saves pm as a card of the customer with the given uuid,
// which must exist and not be deleted, and returns it as the list
// operation will show it. Missing fields are filled in: id and token (the
// same random 64 hex characters, or one copied from the other), status
// approved, customer_uuid, created_at (now by the server's clock) and
// updated_at (created_at); expired, when not given, follows expiration_date.
// Timestamps are written in RFC 3339. Unless validation is off, the result
// must match the contract's PaymentMethod schema.
func (s *Server) AddPaymentMethod(customerUUID string, pm gen.PaymentMethod) (gen.PaymentMethod, error) {
	out, f := s.addPaymentMethod(customerUUID, pm)
	if f != nil {
		return gen.PaymentMethod{}, errors.New("mock: AddPaymentMethod: " + f.message)
	}
	return out, nil
}

func (s *Server) addPaymentMethod(customerUUID string, pm gen.PaymentMethod) (gen.PaymentMethod, *failure) {
	var check func(gen.PaymentMethod) error
	if s.cfg.validate {
		check = s.checkPaymentMethod
	}
	return s.store.addPaymentMethod(customerUUID, pm, check)
}

// checkPaymentMethod validates pm against the contract's schema.
func (s *Server) checkPaymentMethod(pm gen.PaymentMethod) error {
	b, err := json.Marshal(pm)
	if err != nil {
		return err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := s.spec.paymentMeth.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		return errors.New(describe(err))
	}
	return nil
}

// seedPaymentMethod is POST /__mock/customers/{uuid}/payment-methods: it
// adds the payment method in the body, signed like any API request, as
// AddPaymentMethod does.
func (s *Server) seedPaymentMethod(w http.ResponseWriter, r *http.Request, body []byte) {
	if !isJSON(r.Header.Get("Content-Type")) {
		writeError(w, http.StatusBadRequest, "Content-Type: must be application/json")
		return
	}
	var pm gen.PaymentMethod
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pm); err != nil {
		writeError(w, http.StatusBadRequest, decodeWords(err))
		return
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "body: is not valid JSON")
		return
	}
	out, f := s.addPaymentMethod(r.PathValue("uuid"), pm)
	if f != nil {
		writeError(w, f.status, f.message)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
