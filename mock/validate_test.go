package mock

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// contractOps returns every operation of the contract as the registrar
// builds it, keyed by "METHOD /path".
func contractOps(t testing.TB) map[string]*operation {
	t.Helper()
	sp, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]*operation{}
	for p, pi := range sp.doc.Paths.Map() {
		for method, op := range pi.Operations() {
			o := &operation{
				route:   &routers.Route{Spec: sp.doc, Path: p, PathItem: pi, Method: method, Operation: op},
				hasBody: op.RequestBody != nil,
			}
			for _, ref := range append(pi.Parameters, op.Parameters...) {
				if ref.Value != nil && ref.Value.In == "path" {
					o.pathParams = append(o.pathParams, ref.Value.Name)
				}
			}
			o.checked, o.body = checkedRoute(o.route)
			ops[method+" "+p] = o
		}
	}
	return ops
}

// fullValidate is the mock's check as it was: openapi3filter.ValidateRequest
// on the whole request, security and body included.
func fullValidate(op *operation, r *http.Request, body []byte) string {
	if op.hasBody && len(body) > 0 && !isJSON(r.Header.Get("Content-Type")) {
		return "Content-Type: must be application/json"
	}
	params := map[string]string{}
	for _, name := range op.pathParams {
		params[name] = r.PathValue(name)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: op.route, Options: validationOptions}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		return describe(err)
	}
	return ""
}

// compare checks that the mock's validate says what fullValidate says.
func compare(t *testing.T, s *Server, op *operation, target, contentType string, body []byte, pathValues map[string]string) {
	t.Helper()
	build := func() *http.Request {
		r := httptest.NewRequest(op.route.Method, target, bytes.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		for k, v := range pathValues {
			r.SetPathValue(k, v)
		}
		return r
	}
	want := fullValidate(op, build(), body)
	got := s.validate(op, build(), body)
	if got != want {
		t.Errorf("%s %s (Content-Type %q) body %.200q:\n got %q\nwant %q", op.route.Method, target, contentType, body, got, want)
	}
}

func TestEveryOperationTakesTheCheckedPath(t *testing.T) {
	for name, op := range contractOps(t) {
		if op.checked == nil {
			t.Errorf("%s: validated by the full ValidateRequest; checkedRoute refused it", name)
		}
	}
}

var validateBodies = []string{
	``, ` `, `null`, `{}`, `[]`, `"x"`, `1`, `{`, `{"a":1} trailing`, `{"a":1}{"b":2}`, `{"a":}`,
	`{"name":"Test"}`, `{"name":1}`, `{"name":"Test","unknown":true}`, `{"metadata":{"key":1}}`,
	`{"metadata":"x"}`, `{"email":"not an email"}`, `{"country":"BAX"}`, `{"merchant_customer_id":""}`,
	`{"name":"\u0000\ud800"}`, "{\"name\":\"\xff\"}", `{"name":"Test","name":2}`,
	`{"order_number":"o-1","amount":1,"currency":"EUR","transaction_type":"purchase","order_info":"abc"}`,
	`{"order_number":"o-1","amount":0,"currency":"eur","transaction_type":"x","order_info":"ab"}`,
	`{"order_number":"o-1","amount":1e400,"currency":"EUR","transaction_type":"purchase","order_info":"abc"}`,
	`{"order_number":"o-1","amount":1.5,"currency":"EUR","transaction_type":"purchase","order_info":"abc","number_of_installments":"7"}`,
	`{"order_number":"o","amount":-1,"supported_payment_methods":[1,""],"expires_at":"yesterday","tokenize_pan":"yes"}`,
	`{"order_number":"o-1","amount":30,"currency":"BAM","transaction_type":"purchase","order_info":"abc","number_of_installments":13}`,
	`{"brand":"visa","masked_pan":"411111******1111","expiration_date":"2030-01-01"}`,
}

func validateCases(t *testing.T) (map[string]*operation, func(op *operation) (string, map[string]string)) {
	ops := contractOps(t)
	target := func(op *operation) (string, map[string]string) {
		vals := map[string]string{}
		p := op.route.Path
		for _, name := range op.pathParams {
			v := "4b281da4-d145-4233-b957-2018cf9aa0fb"
			if name != "uuid" {
				v = "order-1"
			}
			vals[name] = v
			p = strings.ReplaceAll(p, "{"+name+"}", v)
		}
		return p, vals
	}
	return ops, target
}

func TestValidateMatchesValidateRequest(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ops, target := validateCases(t)
	var samples []string
	for _, f := range []string{"customer_create.json", "pay_by_link_create.json", "payment_method.json"} {
		b, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, string(b))
	}
	for _, op := range ops {
		p, vals := target(op)
		for _, body := range append(samples, validateBodies...) {
			for _, ct := range []string{"application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", ""} {
				compare(t, s, op, p, ct, []byte(body), vals)
			}
		}
		// Parameters: a bad path value and bad query values.
		bad := map[string]string{}
		for k := range vals {
			bad[k] = "x"
		}
		compare(t, s, op, p+"?limit=-1&offset=abc", "application/json", []byte(`{}`), bad)
		compare(t, s, op, p+"?limit=10&offset=0", "application/json", nil, vals)
	}
}

// FuzzValidateMatchesValidateRequest compares the two checks on any body
// sent to the operations that take one.
func FuzzValidateMatchesValidateRequest(f *testing.F) {
	for _, b := range validateBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := New()
		if err != nil {
			t.Fatal(err)
		}
		ops, target := validateCases(t)
		for _, op := range ops {
			if op.hasBody {
				p, vals := target(op)
				compare(t, s, op, p, "application/json", body, vals)
			}
		}
	})
}

// The mock decodes bodies with decodeAny only while kin-openapi's own
// decoder is registered for application/json.
func TestDecodeJSONBodyUsesDecodeAnyForTheDefaultDecoder(t *testing.T) {
	dec := openapi3filter.RegisteredBodyDecoder("application/json")
	if dec == nil || reflect.ValueOf(dec).Pointer() != jsonBodyDecoder {
		t.Fatal("the registered application/json decoder is not openapi3filter.JSONBodyDecoder")
	}
}
