package monri

import "github.com/monri-go/monri/wire"

// Optional request fields are pointers, so that a value that means
// something when zero (active: false, tokenize_pan: false) is still sent
// and a field left nil is left out. These helpers take a value and return
// a pointer to a copy of it:
//
//	monri.PayByLinkParams{..., Active: monri.Bool(false), Language: monri.Ptr(monri.LanguageEn)}

// String returns a pointer to s, for an optional string field.
func String(s string) *string { return &s }

// Int returns a pointer to n, for ListParams' Limit and Offset.
func Int(n int) *int { return &n }

// Int64 returns a pointer to n, for an optional int64 field.
func Int64(n int64) *int64 { return &n }

// Bool returns a pointer to b, for an optional boolean field; Bool(false)
// sends false.
func Bool(b bool) *bool { return &b }

// Installments returns a pointer to n installments, 2 to 12, for
// PayByLinkParams.NumberOfInstallments. The range is checked when the
// request is validated, not here.
func Installments(n int) *wire.Installments {
	v := wire.Installments(n)
	return &v
}

// Ptr returns a pointer to v, for an optional field of any other type, such
// as Ptr(LanguageEn) or Ptr(TransactionTypePurchase).
func Ptr[T any](v T) *T { return &v }
