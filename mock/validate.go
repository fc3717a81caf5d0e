package mock

import (
	"bytes"
	"io"
	"mime"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// The contract check of a request: openapi3filter.ValidateRequest, through
// kin-openapi's public API only, so that the mock follows the library's
// decoding and schema rules as they evolve rather than a copy of them.

var validationOptions = &openapi3filter.Options{
	// The signature is the signer's job, done before validation.
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	MultiError:          true,
	SkipSettingDefaults: true,
}

// validate checks the request against the contract and returns what is
// wrong in plain words, or "".
func (s *Server) validate(op *operation, r *http.Request, body []byte) string {
	if op.hasBody && len(body) > 0 && !isJSON(r.Header.Get("Content-Type")) {
		return "Content-Type: must be application/json"
	}
	var params map[string]string
	if len(op.pathParams) > 0 {
		params = make(map[string]string, len(op.pathParams))
		for _, name := range op.pathParams {
			params[name] = r.PathValue(name)
		}
	}
	r.Body = http.NoBody
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      op.route,
		Options:    validationOptions,
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		return describe(err)
	}
	return ""
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}
