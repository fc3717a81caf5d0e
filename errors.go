package monri

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Error is every failure Monri answered: each non-2xx response, and each 2xx
// response the client could not decode. Use errors.As to get it.
type Error struct {
	// HTTPStatus is the response's HTTP status code.
	HTTPStatus int
	// Status is Monri's status field: StatusInvalidRequest (4xx) or
	// StatusError (5xx). It is empty when the body was not Monri's error shape.
	Status ErrorStatus
	// Message is Monri's message, or what the client could not decode.
	Message string
	// Method and Path are the request's method and URL path.
	Method, Path string
	// Body is the raw response body, so nothing Monri said is lost.
	Body []byte
	// Err is the decoding error, if that is what went wrong.
	Err error
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

// IsInvalidRequest reports whether Monri rejected the request itself: a 4xx
// answer other than 401 and 404, which have their own helpers even though
// Monri gives them the status invalid-request too.
func IsInvalidRequest(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.HTTPStatus >= 400 && e.HTTPStatus < 500 &&
		e.HTTPStatus != http.StatusUnauthorized && e.HTTPStatus != http.StatusNotFound
}

// apiError builds the Error for a non-2xx answer from its body.
func apiError(ex *exchange) *Error {
	e := &Error{HTTPStatus: ex.status, Method: ex.method, Path: ex.path, Body: ex.body}
	var shape struct {
		Status  ErrorStatus `json:"status"`
		Message string      `json:"message"`
	}
	if err := json.Unmarshal(ex.body, &shape); err == nil {
		e.Status, e.Message = shape.Status, shape.Message
	}
	if e.Message == "" {
		e.Message = "response is not Monri's error shape"
	}
	return e
}

// decodeError builds the Error for a 2xx answer the client could not decode.
func decodeError(ex *exchange, err error) *Error {
	msg := "cannot decode the response"
	if err != nil {
		msg += ": " + err.Error()
	}
	return &Error{HTTPStatus: ex.status, Method: ex.method, Path: ex.path, Body: ex.body, Message: msg, Err: err}
}
