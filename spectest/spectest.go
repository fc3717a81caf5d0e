// Package spectest checks HTTP traffic against Monri's OpenAPI contract
// (openapi/monri.yaml) with kin-openapi. Its Transport wraps a client's
// http.RoundTripper in tests and fails the test on any request or response
// the contract does not allow.
package spectest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/monri-go/monri/openapi"
)

// Load is [openapi.Load], kept so that callers of spectest need not change.
func Load() (*openapi3.T, error) { return openapi.Load() }

// Validator checks requests and responses against the contract. It matches
// operations by method and path on any host, so traffic to a loopback test
// server is checked like traffic to Monri. It is safe for concurrent use.
type Validator struct {
	router routers.Router
}

var (
	sharedOnce      sync.Once
	sharedValidator *Validator
	sharedErr       error
)

// NewValidator returns a Validator for the embedded contract. The contract
// is parsed once per process.
func NewValidator() (*Validator, error) {
	sharedOnce.Do(func() {
		doc, err := Load()
		if err != nil {
			sharedErr = err
			return
		}
		// Route on path alone: the servers list names Monri's hosts only.
		doc.Servers = nil
		router, err := legacy.NewRouter(doc)
		if err != nil {
			sharedErr = fmt.Errorf("spectest: build router: %w", err)
			return
		}
		sharedValidator = &Validator{router: router}
	})
	return sharedValidator, sharedErr
}

// authorizationForm is the shape of a WP3-v2.1 header: scheme, token,
// Unix seconds and a lowercase hex SHA-512 digest, single-space separated.
var authorizationForm = regexp.MustCompile(`^WP3-v2\.1 [^ ]+ [0-9]{1,19} [0-9a-f]{128}$`)

// ErrAuthorization is returned when a request lacks a well-formed
// WP3-v2.1 Authorization header. kin-openapi does not check apiKey
// presence by itself, so the Validator does.
var ErrAuthorization = errors.New("authorization header missing or not of the form WP3-v2.1 <token> <unix seconds> <128 hex digest>")

func checkAuthorization(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	values := in.RequestValidationInput.Request.Header.Values("Authorization")
	if len(values) != 1 || !authorizationForm.MatchString(values[0]) {
		return ErrAuthorization
	}
	return nil
}

func (v *Validator) options() *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc:    checkAuthorization,
		IncludeResponseStatus: true,
		SkipSettingDefaults:   true,
		MultiError:            true,
	}
}

// ValidateRequest checks req, whose body is given separately so that req.Body
// is left alone. It returns the matched route's input for ValidateResponse.
func (v *Validator) ValidateRequest(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, pathParams, err := v.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: no operation in the contract: %w", req.Method, req.URL.Path, err)
	}
	probe := req.Clone(req.Context())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request:    probe,
		PathParams: pathParams,
		Route:      route,
		Options:    v.options(),
	}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		return in, fmt.Errorf("%s request %s %s: %w", route.Operation.OperationID, req.Method, req.URL.RequestURI(), err)
	}
	return in, nil
}

// ValidateResponse checks a response to a request that ValidateRequest
// matched.
func (v *Validator) ValidateResponse(in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                v.options(),
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(in.Request.Context(), out); err != nil {
		return fmt.Errorf("%s response %d to %s %s: %w", in.Route.Operation.OperationID, status, in.Request.Method, in.Request.URL.RequestURI(), err)
	}
	return nil
}
