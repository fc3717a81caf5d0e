package mock

import (
	"bytes"
	"context"
	"net/http"
	"reflect"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// The contract check of a request, without the copies of the body that
// openapi3filter.ValidateRequest makes.
//
// With the mock's options, ValidateRequest reads the body twice more after
// the mock has read it: once to hand a fresh copy to the authentication
// function of each security scheme (a no-op here: the signer checks the
// signature before), and once to validate it, each time with io.ReadAll and
// a new GetBody. For an operation whose body is plain JSON, the mock
// instead lets ValidateRequest check security (nothing, see below) and the
// parameters, and validates the bytes it already holds exactly as
// ValidateRequestBody would: the same decoder, schema options and error
// types, so describe words every problem the same way.

// jsonBodyDecoder identifies openapi3filter.JSONBodyDecoder.
var jsonBodyDecoder = reflect.ValueOf(openapi3filter.BodyDecoder(openapi3filter.JSONBodyDecoder)).Pointer()

// paramOptions are validationOptions minus the body, which validateBody checks.
var paramOptions = func() *openapi3filter.Options {
	o := *validationOptions
	o.ExcludeRequestBody = true
	return &o
}()

// checkedRoute returns the route ValidateRequest gets for parameters and a
// JSON body schema to check the body against, or nil, nil when the body is
// not plain JSON and the full ValidateRequest must run. The route's
// operation has no security requirement: with NoopAuthenticationFunc the
// requirement always passes once its scheme is declared, which the route
// checks here, so dropping it changes no answer and saves reading the body.
func checkedRoute(r *routers.Route) (*routers.Route, *openapi3.RequestBody) {
	op := r.Operation
	security := op.Security
	if security == nil {
		security = &r.Spec.Security
	}
	for _, req := range *security {
		for name := range req {
			if r.Spec.Components == nil || r.Spec.Components.SecuritySchemes[name] == nil {
				return nil, nil // undeclared: let ValidateRequest say so
			}
		}
	}
	var body *openapi3.RequestBody
	if op.RequestBody != nil {
		body = op.RequestBody.Value
		if body == nil || !plainJSON(body) {
			return nil, nil
		}
	}
	opCopy := *op
	opCopy.Security = &openapi3.SecurityRequirements{}
	c := *r
	c.Operation = &opCopy
	return &c, body
}

// plainJSON reports whether every media type of the body is application/json
// with an object schema and no encodings, the only case validateBody handles.
func plainJSON(b *openapi3.RequestBody) bool {
	if len(b.Content) == 0 {
		return false
	}
	for mt, m := range b.Content {
		if mt != "application/json" || m == nil || len(m.Encoding) > 0 {
			return false
		}
		if m.Schema != nil && (m.Schema.Value == nil || !m.Schema.Value.Type.Is(openapi3.TypeObject)) {
			return false
		}
	}
	return true
}

// validateChecked checks parameters with ValidateRequest and the body with
// validateBody, returning what ValidateRequest would: nil or a MultiError.
func validateChecked(ctx context.Context, in *openapi3filter.RequestValidationInput, body *openapi3.RequestBody, data []byte) error {
	var me openapi3.MultiError
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		me = append(me, err)
	}
	if body != nil {
		if err := validateBody(in, body, data); err != nil {
			me = append(me, err)
		}
	}
	if len(me) > 0 {
		return me
	}
	return nil
}

// validateBody is openapi3filter.ValidateRequestBody for a plain JSON body
// already read, with validationOptions (MultiError, no defaults).
func validateBody(in *openapi3filter.RequestValidationInput, body *openapi3.RequestBody, data []byte) error {
	if len(data) == 0 {
		if body.Required {
			return &openapi3filter.RequestError{Input: in, RequestBody: body, Err: openapi3filter.ErrInvalidRequired}
		}
		return nil
	}
	inputMIME := in.Request.Header.Get("Content-Type")
	ct := body.Content.Get(inputMIME)
	if ct == nil {
		return &openapi3filter.RequestError{Input: in, RequestBody: body,
			Reason: "header Content-Type has unexpected value " + strconv.Quote(inputMIME)}
	}
	if ct.Schema == nil {
		return nil
	}
	value, err := decodeJSONBody(data, in.Request.Header, ct)
	if err != nil {
		return &openapi3filter.RequestError{Input: in, RequestBody: body, Reason: "failed to decode request body", Err: err}
	}
	opts := []openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.MultiErrors()}
	if in.Route.Spec.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	if err := ct.Schema.Value.VisitJSON(value, opts...); err != nil {
		return &openapi3filter.RequestError{Input: in, RequestBody: body, Reason: "doesn't match schema", Err: err}
	}
	return nil
}

// decodeJSONBody decodes with the body decoder registered for
// application/json, as ValidateRequestBody does. While that is
// kin-openapi's own JSONBodyDecoder, it uses decodeAny, which gives the
// same values and fails on the same inputs in a fraction of the time.
func decodeJSONBody(data []byte, h http.Header, ct *openapi3.MediaType) (any, error) {
	dec := openapi3filter.RegisteredBodyDecoder("application/json")
	if dec != nil && reflect.ValueOf(dec).Pointer() == jsonBodyDecoder {
		v, err := decodeAny(data)
		if err != nil {
			return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindInvalidFormat, Cause: err}
		}
		return v, nil
	}
	if dec == nil {
		return nil, &openapi3filter.ParseError{Kind: openapi3filter.KindUnsupportedFormat,
			Reason: `unsupported content type "application/json"`}
	}
	return dec(bytes.NewReader(data), h, ct.Schema, func(name string) *openapi3.Encoding { return ct.Encoding[name] })
}
