package monri

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/wire"
)

// Callback is the body of a Pay By Link payment callback, the transaction
// Monri POSTs to the link's callback_url_override once the buyer has paid,
// as CallbackHandler decodes it after verifying its signature.
//
// The five fields a shop acts on follow fixed rules (see CallbackHandler);
// every other field is decoded leniently: one whose value does not fit its
// type (a created_at in another layout, an id sent as a string) is left nil
// and kept as decoded JSON in AdditionalProperties, with the fields Monri
// sends beyond these.
//
// %v of a Callback prints only the five fields, never the card data.
type Callback struct {
	// OrderNumber is the order_number of the link that was paid.
	OrderNumber string `json:"order_number"`
	// Status is the transaction's outcome: CallbackStatusApproved when the
	// buyer paid, another value (such as "declined") when the payment failed.
	Status string `json:"status"`
	// ResponseCode is ResponseCodeApproved ("0000") when the payment is
	// approved; any other code is a failure.
	ResponseCode string `json:"response_code"`
	// Amount is the amount paid, in minor units (10.24 EUR is 1024).
	Amount int64 `json:"amount"`
	// Currency is the ISO 4217 currency code of Amount.
	Currency string `json:"currency"`

	// ApprovalCode is the card issuer's approval code of an approved payment.
	ApprovalCode *string `json:"approval_code,omitempty"`
	// CcType is the card brand, e.g. "visa" or "master".
	CcType *string `json:"cc_type,omitempty"`
	// ChEmail is the buyer's email address.
	ChEmail *string `json:"ch_email,omitempty"`
	// ChFullName is the buyer's full name.
	ChFullName *string `json:"ch_full_name,omitempty"`
	// CreatedAt is when the transaction was made.
	CreatedAt *wire.Timestamp `json:"created_at,omitempty"`
	// ID is Monri's identifier of the transaction.
	ID *int64 `json:"id,omitempty"`
	// MaskedPan is the card number with its middle digits masked.
	MaskedPan *string `json:"masked_pan,omitempty"`
	// NumberOfInstallments is the number of installments, if any.
	NumberOfInstallments *gen.Installments `json:"number_of_installments,omitempty"`
	// PanToken is the saved card's pan token when the card was saved; it
	// prints redacted (see CardToken).
	PanToken *wire.CardToken `json:"pan_token,omitempty"`
	// ReferenceNumber is the acquirer's reference number.
	ReferenceNumber *string `json:"reference_number,omitempty"`
	// ResponseMessage is the outcome in words, e.g. "approved".
	ResponseMessage *string `json:"response_message,omitempty"`
	// TransactionType is "authorize" (amount reserved) or "purchase" (charged).
	TransactionType *gen.TransactionType `json:"transaction_type,omitempty"`

	// AdditionalProperties holds the fields not above and the values of
	// fields above that did not fit their type, as encoding/json decodes
	// them into an any.
	AdditionalProperties map[string]any `json:"-"`
	// Raw is the verified body, byte for byte as received, for the shop's
	// audit log. It can hold pan_token and the buyer's data: store it as
	// such.
	Raw []byte `json:"-"`
}

// String prints the fields a shop acts on and nothing of the card or buyer.
func (cb Callback) String() string {
	return fmt.Sprintf("monri.Callback{order_number:%q status:%q response_code:%q amount:%d currency:%q}",
		cb.OrderNumber, cb.Status, cb.ResponseCode, cb.Amount, cb.Currency)
}

// GoString is String, for %#v.
func (cb Callback) GoString() string { return cb.String() }

// Format prints String for every verb, so that no verb (%d, %x) walks Raw
// or AdditionalProperties, which hold card and buyer data.
func (cb Callback) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, cb.String()) }

// lenientFields maps the JSON names of Callback's optional fields to their
// index, for decoding each on its own.
var lenientFields = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeFor[Callback]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type.Kind() == reflect.Pointer && name != "" && name != "-" {
			m[name] = i
		}
	}
	return m
}()

// unusable is a verified callback the handler cannot pass on, in words that
// name the field and the rule and quote nothing.
type unusable struct{ field, rule string }

func (u *unusable) Error() string { return u.field + ": " + u.rule }

// decodeCallback decodes a verified body by the rules in CallbackHandler.
func decodeCallback(body []byte) (Callback, *unusable) {
	cb := Callback{Raw: body}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil || dec.Decode(&struct{}{}) != io.EOF {
		return cb, &unusable{"body", "must be a JSON object"}
	}
	var bad *unusable
	text := func(name string, number, required bool) string {
		v, ok := decodeText(fields[name], number)
		switch {
		case bad != nil:
		case !ok && number:
			bad = &unusable{name, "must be a JSON string or an integer"}
		case !ok:
			bad = &unusable{name, "must be a JSON string"}
		case required && v == "":
			bad = &unusable{name, "is required"}
		}
		return v
	}
	cb.OrderNumber = text("order_number", true, true)
	cb.Status = text("status", false, true)
	cb.ResponseCode = text("response_code", true, false)
	cb.Currency = text("currency", false, false)
	if bad != nil {
		return cb, bad
	}
	amount, ok := decodeAmount(fields["amount"])
	if !ok {
		return cb, &unusable{"amount", "must be an integer of minor units, as a JSON number or a string of digits"}
	}
	cb.Amount = amount

	v := reflect.ValueOf(&cb).Elem()
	for name, raw := range fields {
		switch name {
		case "order_number", "status", "response_code", "amount", "currency":
			continue
		}
		if i, ok := lenientFields[name]; ok {
			p := reflect.New(v.Field(i).Type())
			if json.Unmarshal(raw, p.Interface()) == nil {
				v.Field(i).Set(p.Elem())
				continue
			}
		}
		var x any
		_ = json.Unmarshal(raw, &x) // raw is one valid JSON value: the object decoded
		if cb.AdditionalProperties == nil {
			cb.AdditionalProperties = map[string]any{}
		}
		cb.AdditionalProperties[name] = x
	}
	return cb, nil
}

// decodeText reads a JSON string, or, when number is true, an integer
// written in digits (kept as written, so 0 is "0", never "0000"). Absent
// and null are "".
func decodeText(raw json.RawMessage, number bool) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	if number && isDigits(string(raw)) {
		return string(raw), true
	}
	return "", false
}

// decodeAmount reads minor units from a JSON integer or a string of
// digits. Absent and null are 0, which matches no order's amount.
func decodeAmount(raw json.RawMessage) (int64, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, true
	}
	digits := string(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		digits = s
	}
	if !isDigits(digits) {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
