package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/openapi"
	"github.com/monri-go/monri/signer"
)

// badCase is one request that breaks exactly one constraint of the contract.
type badCase struct {
	name   string // operation, field and rule
	field  string // what the 400 message must name
	method string
	path   string
	query  url.Values
	body   any // nil: no body
}

// informationalFormats carry no rule the mock enforces: the pattern next to
// them does (monri-timestamp, date), or they only describe (email, int64).
var informationalFormats = map[string]bool{"monri-timestamp": true, "email": true, "int64": true, "date": true}

// unreachable lists constraints no request can break: an empty path segment
// addresses another route, so minLength 1 on a path parameter is never seen.
var unreachable = map[string]string{
	"getCustomer path uuid minLength":                                     "empty segment is /v2/customers/, another route",
	"updateCustomer path uuid minLength":                                  "empty segment is /v2/customers/, another route",
	"deleteCustomer path uuid minLength":                                  "empty segment is /v2/customers/, another route",
	"listCustomerPaymentMethods path uuid minLength":                      "empty segment is /v2/customers//payment-methods, another route",
	"getCustomerByMerchantCustomerId path merchant_customer_id minLength": "empty segment is /v2/merchants/customers/, another route",
}

// TestEveryConstraintIsEnforced walks openapi/monri.yaml and, for every
// request field with a constraint (type, length, enum, pattern, range,
// required, no unknown fields), sends one signed request that violates it.
// Each must be a 400 invalid-request naming the field, and the store must
// not change. A constraint kind the walk cannot break fails the test, so a
// new kind in the spec cannot go untested.
func TestEveryConstraintIsEnforced(t *testing.T) {
	doc, err := openapi.Load()
	require.NoError(t, err)
	m := mock.Start(t)
	s, err := signer.New(m.MerchantKey, m.AuthenticityToken)
	require.NoError(t, err)

	// Something to address: a customer and a link, made by valid requests.
	valid := examples(t, doc)
	status, _ := do(t, m.URL, s, http.MethodPost, "/v2/customers", nil, valid["createCustomer"])
	require.Equal(t, http.StatusOK, status)
	status, _ = do(t, m.URL, s, http.MethodPost, "/v2/terminal-entry/create-or-update", nil, valid["createOrUpdatePayByLink"])
	require.Equal(t, http.StatusOK, status)
	uuid := m.Server.Customers()[0].UUID
	order := m.Server.PayByLinks()[0].OrderNumber
	pathValues := map[string]string{"uuid": uuid, "merchant_customer_id": "customer-id-1234", "order_number": order}

	var cases []badCase
	var gaps []string
	seenUnreachable := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := append(openapi3.Parameters{}, item.Parameters...)
			params = append(params, op.Parameters...)
			target := func(override map[string]string) string {
				p := path
				for name, v := range pathValues {
					if o, ok := override[name]; ok {
						v = o
					}
					p = strings.ReplaceAll(p, "{"+name+"}", url.PathEscape(v))
				}
				return p
			}
			for _, pr := range params {
				p := pr.Value
				for _, v := range violations(p.Schema.Value, &gaps, op.OperationID+" "+p.In+" "+p.Name) {
					key := op.OperationID + " " + p.In + " " + p.Name + " " + v.rule
					if p.In == "path" && v.rule == "type" {
						continue // every path segment is a string: no request breaks this
					}
					if _, skip := unreachable[key]; skip {
						seenUnreachable[key] = true
						continue
					}
					text := fmt.Sprint(v.value)
					c := badCase{name: key, field: p.Name, method: method, body: valid[op.OperationID]}
					switch p.In {
					case "path":
						c.path = target(map[string]string{p.Name: text})
					case "query":
						c.path = target(nil)
						c.query = url.Values{p.Name: {text}}
					}
					cases = append(cases, c)
				}
			}
			if op.RequestBody == nil {
				continue
			}
			schema := op.RequestBody.Value.Content.Get("application/json").Schema.Value
			base := valid[op.OperationID].(map[string]any)
			for _, req := range schema.Required {
				body := clone(base)
				delete(body, req)
				cases = append(cases, badCase{name: op.OperationID + " body " + req + " required", field: req, method: method, path: target(nil), body: body})
			}
			if schema.AdditionalProperties.Has != nil && !*schema.AdditionalProperties.Has {
				body := clone(base)
				body["not_a_field"] = "x"
				cases = append(cases, badCase{name: op.OperationID + " body additionalProperties", field: "not_a_field", method: method, path: target(nil), body: body})
			}
			names := make([]string, 0, len(schema.Properties))
			for name := range schema.Properties {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				for _, v := range violations(schema.Properties[name].Value, &gaps, op.OperationID+" body "+name) {
					body := clone(base)
					body[name] = v.value
					cases = append(cases, badCase{name: op.OperationID + " body " + name + " " + v.rule, field: name, method: method, path: target(nil), body: body})
				}
			}
		}
	}
	require.Empty(t, gaps, "constraints the test cannot break yet: add a case for each")
	for key := range unreachable {
		assert.True(t, seenUnreachable[key], "stale exemption %q: the spec no longer has it", key)
	}

	before := snapshot(m.Server)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, e := do(t, m.URL, s, c.method, c.path, c.query, c.body)
			require.Equal(t, http.StatusBadRequest, status, "%s %s: %s", c.method, c.path, e.Message)
			assert.Equal(t, gen.MonriErrorStatusInvalidRequest, e.Status)
			assert.Contains(t, e.Message, c.field, "the message must name the field")
		})
	}
	assert.Equal(t, before, snapshot(m.Server), "a refused request changed the store")
	t.Logf("%d constraint violations, each refused with 400 naming its field; %d exempt as unreachable", len(cases), len(unreachable))
	assert.Greater(t, len(cases), 80)
}

// violation is a value that breaks one rule of a schema.
type violation struct {
	rule  string
	value any
}

// violations returns one value per constraint of s, and records in gaps any
// constraint it does not know how to break.
func violations(s *openapi3.Schema, gaps *[]string, where string) []violation {
	var out []violation
	known := s.Type != nil && len(s.Type.Slice()) > 0
	if len(s.OneOf) > 0 {
		// Break the union: a type no alternative takes, then each
		// alternative's range and enum, which the other cannot rescue.
		out = append(out, violation{"oneOf type", true})
		for _, alt := range s.OneOf {
			for _, v := range violations(alt.Value, gaps, where+" oneOf") {
				if v.rule != "type" {
					out = append(out, violation{"oneOf " + v.rule, v.value})
				}
			}
		}
		known = true
	}
	if !known {
		*gaps = append(*gaps, where+": no type")
		return out
	}
	switch {
	case s.Type.Is("string"):
		out = append(out, violation{"type", 12345})
	case s.Type.Is("integer"):
		out = append(out, violation{"type", "not-a-number"})
	case s.Type.Is("boolean"):
		out = append(out, violation{"type", "yes"})
	case s.Type.Is("array"):
		out = append(out, violation{"type", "not-an-array"})
	case s.Type.Is("object"):
		out = append(out, violation{"type", "not-an-object"})
	}
	if s.MinLength > 0 {
		out = append(out, violation{"minLength", strings.Repeat("a", int(s.MinLength)-1)}) //nolint:gosec // G115: contract lengths are small
	}
	if s.MaxLength != nil {
		out = append(out, violation{"maxLength", strings.Repeat("A", int(*s.MaxLength)+1)}) //nolint:gosec // G115: contract lengths are small
	}
	if s.Pattern != "" {
		n := max(int(s.MinLength), 1) //nolint:gosec // G115: contract lengths are small
		bad := strings.Repeat("!", n)
		if regexp.MustCompile(s.Pattern).MatchString(bad) || (s.MaxLength != nil && uint64(n) > *s.MaxLength) {
			*gaps = append(*gaps, where+": pattern with no obvious counterexample")
		} else {
			out = append(out, violation{"pattern", bad})
		}
	}
	if len(s.Enum) > 0 {
		out = append(out, violation{"enum", "not-one-of-the-values"})
	}
	if s.Min != nil {
		out = append(out, violation{"minimum", int64(*s.Min) - 1})
	}
	if s.Max != nil {
		out = append(out, violation{"maximum", int64(*s.Max) + 1})
	}
	if s.Items != nil {
		for _, v := range violations(s.Items.Value, gaps, where+" items") {
			out = append(out, violation{"items " + v.rule, []any{v.value}})
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		for _, v := range violations(ap.Value, gaps, where+" values") {
			out = append(out, violation{"values " + v.rule, map[string]any{"k": v.value}})
		}
	}
	if s.Format != "" && !informationalFormats[s.Format] {
		*gaps = append(*gaps, where+": format "+s.Format)
	}
	for kw, present := range map[string]bool{
		"multipleOf": s.MultipleOf != nil, "exclusiveMinimum": s.ExclusiveMin.IsTrue(), "exclusiveMaximum": s.ExclusiveMax.IsTrue(),
		"minItems": s.MinItems > 0, "maxItems": s.MaxItems != nil, "uniqueItems": s.UniqueItems,
		"minProperties": s.MinProps > 0, "maxProperties": s.MaxProps != nil, "allOf": len(s.AllOf) > 0,
		"anyOf": len(s.AnyOf) > 0, "not": s.Not != nil, "required": len(s.Required) > 0 && !s.Type.Is("object"),
	} {
		if present {
			*gaps = append(*gaps, where+": "+kw)
		}
	}
	return out
}

// examples returns each operation's request body example, as JSON values.
func examples(t *testing.T, doc *openapi3.T) map[string]any {
	out := map[string]any{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil {
				continue
			}
			ex := op.RequestBody.Value.Content.Get("application/json").Example
			raw, err := json.Marshal(ex)
			require.NoError(t, err)
			var v map[string]any
			require.NoError(t, json.Unmarshal(raw, &v))
			out[op.OperationID] = v
		}
	}
	return out
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// do sends one signed request and returns its status and error body.
func do(t *testing.T, base string, s *signer.Signer, method, path string, query url.Values, body any) (int, gen.MonriError) {
	t.Helper()
	target := base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(t, err)
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, target, reader)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	require.NoError(t, s.Sign(req))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var e gen.MonriError
	if resp.StatusCode != http.StatusOK {
		require.NoError(t, json.Unmarshal(raw, &e), "%s", raw)
	}
	return resp.StatusCode, e
}
