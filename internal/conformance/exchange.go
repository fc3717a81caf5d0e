package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// maxBody bounds how much of an answer is read: Monri's answers are small.
const maxBody = 4 << 20

// exchange is one request and its answer, as sent and received.
type exchange struct {
	Operation  string
	Method     string
	Target     string // path and query, as signed
	Route      string // the contract's path template, e.g. /v2/customers/{uuid}
	ReqHeader  http.Header
	ReqBody    []byte
	Status     int
	RespHeader http.Header
	RespBody   []byte
	// Violations are the contract's complaints about this exchange.
	Violations []string
}

// json decodes the answer's body leniently; nil when it is not an object.
func (x *exchange) json() map[string]any {
	var m map[string]any
	if json.Unmarshal(x.RespBody, &m) != nil {
		return nil
	}
	return m
}

// sendOpts tweak one request.
type sendOpts struct {
	// badSignature signs with a wrong merchant key.
	badSignature bool
	// invalidOnPurpose marks a request built to break the contract, so its
	// own violations are expected and not reported.
	invalidOnPurpose bool
}

// send builds, signs, validates and sends one request, then validates and
// records the answer. A transport error is returned; everything else is in
// the exchange.
func (r *runner) send(ctx context.Context, method, target string, body any, o sendOpts) (*exchange, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("encode %s %s: %w", method, target, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, r.base+target, bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", method, target, err)
	}
	if body == nil {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "monri-conformance")
	s := r.signer
	if o.badSignature {
		s = r.wrongSigner
	}
	if err := s.Sign(req); err != nil {
		return nil, fmt.Errorf("sign %s %s: %w", method, target, err)
	}
	x := &exchange{Method: method, Target: req.URL.RequestURI(), ReqHeader: req.Header.Clone(), ReqBody: raw}

	in, verr := r.validator.ValidateRequest(req, raw)
	if in != nil {
		x.Operation, x.Route = in.Route.Operation.OperationID, in.Route.Path
	}
	if verr != nil && !o.invalidOnPurpose {
		x.Violations = append(x.Violations, describe("request", verr)...)
	}

	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, x.Target, err)
	}
	defer resp.Body.Close()
	x.Status, x.RespHeader = resp.StatusCode, resp.Header.Clone()
	x.RespBody, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: read answer: %w", method, x.Target, err)
	}
	if len(x.RespBody) > maxBody {
		return nil, fmt.Errorf("%s %s: answer larger than %d bytes", method, x.Target, maxBody)
	}
	if in != nil {
		if err := r.validator.ValidateResponse(in, x.Status, x.RespHeader, x.RespBody); err != nil {
			x.Violations = append(x.Violations, describe(fmt.Sprintf("response %d", x.Status), err)...)
		}
	}
	r.keep(x)
	return x, nil
}

// describe flattens kin-openapi's error tree into one line per violation:
// where (request or response, then the JSON pointer) and the rule broken.
func describe(where string, err error) []string {
	var out []string
	collect(err, where, func(s string) { out = append(out, s) })
	sort.Strings(out)
	return out
}

func collect(err error, where string, add func(string)) {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			collect(e, where, add)
		}
		return
	}
	var schema *openapi3.SchemaError
	var reqErr *openapi3filter.RequestError
	var respErr *openapi3filter.ResponseError
	var secErr *openapi3filter.SecurityRequirementsError
	switch {
	case errors.As(err, &secErr):
		add(fmt.Sprintf("%s header Authorization: security: %s", where, secErr.Error()))
	case errors.As(err, &reqErr):
		inner := reqErr.Err
		if reqErr.Parameter != nil {
			where = fmt.Sprintf("%s %s parameter %s", where, reqErr.Parameter.In, reqErr.Parameter.Name)
		}
		if inner == nil {
			add(fmt.Sprintf("%s: %s", where, reqErr.Reason))
			return
		}
		var multi openapi3.MultiError
		if !errors.As(inner, &multi) && !errors.As(inner, &schema) {
			add(fmt.Sprintf("%s: %s", where, reqErr.Error()))
			return
		}
		collect(inner, where, add)
	case errors.As(err, &respErr):
		if respErr.Err == nil {
			add(fmt.Sprintf("%s: %s", where, respErr.Reason))
			return
		}
		var multi openapi3.MultiError
		if !errors.As(respErr.Err, &multi) && !errors.As(respErr.Err, &schema) {
			add(fmt.Sprintf("%s: %s: %v", where, respErr.Reason, respErr.Err))
			return
		}
		collect(respErr.Err, where, add)
	case errors.As(err, &schema):
		ptr := "/" + strings.Join(schema.JSONPointer(), "/")
		add(fmt.Sprintf("%s body %s: %s: %s", where, ptr, rule(schema), schema.Reason))
	default:
		add(fmt.Sprintf("%s: %v", where, err))
	}
}

// rule names the schema keyword a value broke, e.g. "maxLength".
func rule(e *openapi3.SchemaError) string {
	if e.SchemaField != "" {
		return e.SchemaField
	}
	return "schema"
}
