package monri

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/monri-go/monri/internal/transport"
)

// Error is every failure Monri answered: each non-2xx response, and each 2xx
// response the client could not decode. Use errors.As to get it.
//
// It keeps what is needed to debug and nothing that must not be logged: a
// 2xx body can hold saved cards' pan tokens, so the body itself is not
// kept, only a short redacted Excerpt. Error, %v, %+v, %#v and
// json.Marshal of an Error never show a token, key or digest.
type Error struct {
	// HTTPStatus is the response's HTTP status code.
	HTTPStatus int
	// Status is Monri's status field: StatusInvalidRequest (4xx) or
	// StatusError (5xx). It is empty when the body was not Monri's error shape.
	Status ErrorStatus
	// Message is Monri's message, or which field the client could not
	// decode and why (never the field's value).
	Message string
	// Method and Path are the request's method and URL path.
	Method, Path string
	// Excerpt is a short redacted view of the response body: its JSON
	// structure with every string value replaced by "…", or, for a body
	// that is not JSON, its length and a masked prefix. It replaces the
	// former Body field, which kept the whole body.
	Excerpt string
	// Err is the decoding error, if that is what went wrong. Its text names
	// the field and the rule, never the value; errors.Is still matches the
	// underlying sentinels, such as wire.ErrTimestamp.
	Err error `json:"-"`
}

// Error formats the error as "monri: METHOD PATH: 404 invalid-request: message".
func (e *Error) Error() string {
	status := string(e.Status)
	if status == "" {
		status = http.StatusText(e.HTTPStatus)
	}
	msg := fmt.Sprintf("monri: %s %s: %d %s", e.Method, e.Path, e.HTTPStatus, status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// GoString makes %#v print the same safe fields as Error.
func (e *Error) GoString() string {
	return fmt.Sprintf("&monri.Error{HTTPStatus:%d, Status:%q, Message:%q, Method:%q, Path:%q, Excerpt:%q}",
		e.HTTPStatus, e.Status, e.Message, e.Method, e.Path, e.Excerpt)
}

// Unwrap returns the decoding error, if any.
func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports whether err is Monri's 404: no resource with that identifier.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.HTTPStatus == http.StatusNotFound
}

// IsUnauthorized reports whether err is Monri's 401: the credentials or the
// signature were rejected.
func IsUnauthorized(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.HTTPStatus == http.StatusUnauthorized
}

// IsInvalidRequest reports whether Monri rejected the request itself, so
// that sending it again unchanged cannot succeed: a 4xx answer other than
// 401 and 404 (they have their own helpers, though Monri gives them the
// status invalid-request too) and other than 408 and 429, which say "later",
// not "wrong" (see IsRetryable and IsRateLimited). A 409 Conflict counts as
// invalid: the request clashes with what Monri holds (for example a
// merchant_customer_id already taken), and repeating it does not change that.
func IsInvalidRequest(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.HTTPStatus < 400 || e.HTTPStatus > 499 {
		return false
	}
	switch e.HTTPStatus {
	case http.StatusUnauthorized, http.StatusNotFound, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return true
}

// IsRateLimited reports whether err is Monri's 429: too many requests; the
// request was not processed and may be sent again later.
func IsRateLimited(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.HTTPStatus == http.StatusTooManyRequests
}

// IsRetryable reports whether err is a failure the client's retry policy
// treats as transient: 408, 429 and every 5xx answer, and a connection that
// failed before the request left (a failed dial). The client has already
// retried such failures as far as its budget and the call's safety allowed.
//
// Transient is not the same as "not applied": after a 5xx, a 408 or a
// connection lost mid-request, a non-idempotent call such as a customer
// create may have been applied, so send it again only in a way that cannot
// apply it twice (look the customer up by merchant_customer_id first). Pay
// By Link create-or-update is idempotent by order_number and safe to repeat.
// A cancelled or expired context is not retryable by itself; when Monri had
// answered with a retryable failure before the context ended, the error
// carries both and IsRetryable is true.
func IsRetryable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return retryableStatus(e.HTTPStatus)
	}
	return transport.NeverSent(err)
}

// retryableStatus is the statuses the retry policy repeats.
func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || (code >= 500 && code <= 599)
}

// apiError builds the Error for a non-2xx answer from its body.
func apiError(res *transport.Result) *Error {
	e := &Error{HTTPStatus: res.Status, Method: res.Method, Path: res.Path, Excerpt: excerpt(res.Body)}
	var shape struct {
		Status  ErrorStatus `json:"status"`
		Message string      `json:"message"`
	}
	if err := json.Unmarshal(res.Body, &shape); err == nil {
		e.Status, e.Message = shape.Status, shape.Message
	}
	if e.Message == "" {
		e.Message = "response is not Monri's error shape"
	}
	return e
}

// decodeError builds the Error for a 2xx answer the client could not decode.
func decodeError(res *transport.Result, err error) *Error {
	msg := "cannot decode the response"
	var safe error
	if err != nil {
		safe = redactDecodeError(err)
		msg += ": " + safe.Error()
	}
	return &Error{HTTPStatus: res.Status, Method: res.Method, Path: res.Path, Excerpt: excerpt(res.Body), Message: msg, Err: safe}
}
