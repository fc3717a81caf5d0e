package spectest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/spectest"
)

// operations is the contract's promise: exactly these operationIds, on these routes.
var operations = map[string]string{
	"createCustomer":                  "POST /v2/customers",
	"getCustomer":                     "GET /v2/customers/{uuid}",
	"getCustomerByMerchantCustomerId": "GET /v2/merchants/customers/{merchant_customer_id}",
	"updateCustomer":                  "POST /v2/customers/{uuid}",
	"deleteCustomer":                  "DELETE /v2/customers/{uuid}",
	"listCustomers":                   "GET /v2/customers",
	"listCustomerPaymentMethods":      "GET /v2/customers/{uuid}/payment-methods",
	"createOrUpdatePayByLink":         "POST /v2/terminal-entry/create-or-update",
	"getPayByLink":                    "GET /v2/terminal-entry/{order_number}/show",
}

// loaded is the contract parsed and validated once for this test binary:
// the tests only read it.
var loaded = sync.OnceValues(spectest.Load)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := loaded()
	require.NoError(t, err)
	return doc
}

func TestContractIsOpenAPI303WithTheNineOperations(t *testing.T) {
	doc := load(t)
	assert.Equal(t, "3.0.3", doc.OpenAPI)

	got := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			got[op.OperationID] = method + " " + path
		}
	}
	assert.Equal(t, operations, got)

	var servers []string
	for _, s := range doc.Servers {
		servers = append(servers, s.URL)
	}
	assert.Equal(t, []string{"https://ipgtest.monri.com", "https://ipg.monri.com"}, servers)

	scheme := doc.Components.SecuritySchemes["WP3"].Value
	assert.Equal(t, "apiKey", scheme.Type)
	assert.Equal(t, "header", scheme.In)
	assert.Equal(t, "Authorization", scheme.Name)
	assert.Contains(t, scheme.Description, "WP3-v2.1")
}

// TestEveryExampleValidates checks each example against its own schema and
// that every operation shows a request and a success response example.
func TestEveryExampleValidates(t *testing.T) {
	doc := load(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			t.Run(op.OperationID, func(t *testing.T) {
				requestExamples := 0
				params := append(openapi3.Parameters{}, item.Parameters...)
				params = append(params, op.Parameters...)
				for _, p := range params {
					if p.Value.Example != nil {
						requestExamples++
						assert.NoError(t, p.Value.Schema.Value.VisitJSON(p.Value.Example), "parameter %s", p.Value.Name)
					}
				}
				if op.RequestBody != nil {
					media := op.RequestBody.Value.Content.Get("application/json")
					require.NotNil(t, media.Example, "%s %s has no request body example", method, path)
					requestExamples++
					assert.NoError(t, media.Schema.Value.VisitJSON(media.Example))
				}
				assert.Positive(t, requestExamples, "no request example")

				for code, resp := range op.Responses.Map() {
					media := resp.Value.Content.Get("application/json")
					require.NotNil(t, media, "response %s has no JSON content", code)
					require.NotNil(t, media.Example, "response %s has no example", code)
					assert.NoError(t, media.Schema.Value.VisitJSON(media.Example), "response %s", code)
				}
				for _, code := range []string{"200", "400", "401", "404", "500"} {
					assert.NotNil(t, op.Responses.Value(code), "no %s response", code)
				}
			})
		}
	}
}

// TestErrorsShareOneSchema: 400, 401, 404 and 500 all answer Monri's error shape.
func TestErrorsShareOneSchema(t *testing.T) {
	doc := load(t)
	errSchema := doc.Components.Schemas["MonriError"].Value
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, code := range []string{"400", "401", "404", "500"} {
				media := op.Responses.Value(code).Value.Content.Get("application/json")
				assert.Same(t, errSchema, media.Schema.Value, "%s %s", op.OperationID, code)
			}
		}
	}
}

// fixtures are Monri's documented responses (errata fixed), each decoded
// into the gen model its operation answers with.
var fixtures = []struct {
	file      string
	operation string
	status    int
	model     func() any
}{
	{"customer.json", "getCustomer", 200, func() any { return new(gen.Customer) }},
	{"customer.json", "createCustomer", 200, func() any { return new(gen.Customer) }},
	{"customer_list.json", "listCustomers", 200, func() any { return new(gen.CustomerList) }},
	{"customer_deleted.json", "deleteCustomer", 200, func() any { return new(gen.DeletedCustomer) }},
	{"payment_methods.json", "listCustomerPaymentMethods", 200, func() any { return new(gen.PaymentMethodList) }},
	{"pay_by_link_created.json", "createOrUpdatePayByLink", 200, func() any { return new(gen.SavedPayByLink) }},
	{"pay_by_link_show.json", "getPayByLink", 200, func() any { return new(gen.PayByLink) }},
	{"error_invalid_request.json", "createOrUpdatePayByLink", 400, func() any { return new(gen.MonriError) }},
	{"error_server.json", "getCustomer", 500, func() any { return new(gen.MonriError) }},
}

func responseSchema(t *testing.T, doc *openapi3.T, operationID string, status int) *openapi3.Schema {
	t.Helper()
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == operationID {
				resp := op.Responses.Status(status)
				require.NotNil(t, resp, "%s has no %d response", operationID, status)
				return resp.Value.Content.Get("application/json").Schema.Value
			}
		}
	}
	t.Fatalf("no operation %s", operationID)
	return nil
}

func TestFixturesValidateAndDecode(t *testing.T) {
	doc := load(t)
	for _, fx := range fixtures {
		t.Run(fx.file+"/"+fx.operation, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", fx.file))
			require.NoError(t, err)
			schema := responseSchema(t, doc, fx.operation, fx.status)

			var generic any
			require.NoError(t, json.Unmarshal(raw, &generic))
			require.NoError(t, schema.VisitJSON(generic), "fixture violates the contract")

			model := fx.model()
			require.NoError(t, json.Unmarshal(raw, model), "fixture does not decode into %T", model)

			// What the model writes back must still be valid.
			again, err := json.Marshal(model)
			require.NoError(t, err)
			var regeneric any
			require.NoError(t, json.Unmarshal(again, &regeneric))
			require.NoError(t, schema.VisitJSON(regeneric), "re-encoded %T violates the contract: %s", model, again)
		})
	}
}

func TestFixtureTimestampsKeepTheirLayout(t *testing.T) {
	cases := []struct {
		file  string
		field string
		want  string
	}{
		{"customer.json", "created_at", "2019-02-12T11:22:33Z"},
		{"pay_by_link_created.json", "created_at", "2019-02-12 11:22:33 UTC"},
		{"pay_by_link_created.json", "expires_at", "2019-02-22 11:22:33 UTC"},
		{"pay_by_link_show.json", "expires_at", "2021-09-26T07:58:30.996+0200"},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+c.field, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", c.file))
			require.NoError(t, err)
			var fields map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &fields))
			var link gen.PayByLink // shares the timestamp type with Customer
			require.NoError(t, json.Unmarshal([]byte(`{"order_number":"ab","status":"approved","`+c.field+`":`+string(fields[c.field])+`}`), &link))
			var got any
			switch c.field {
			case "created_at":
				got = link.CreatedAt
			case "expires_at":
				got = link.ExpiresAt
			}
			out, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, strconv.Quote(c.want), string(out))
		})
	}
}

func TestInstallmentsAcceptIntegerAndEmptyString(t *testing.T) {
	doc := load(t)
	schema := doc.Components.Schemas["Installments"].Value
	for _, ok := range []any{"", float64(2), float64(12), nil} {
		assert.NoError(t, schema.VisitJSON(ok), "%#v", ok)
	}
	for _, bad := range []any{float64(1), float64(13), "3", float64(2.5)} {
		assert.Error(t, schema.VisitJSON(bad), "%#v", bad)
	}
}

func TestAmountBounds(t *testing.T) {
	doc := load(t)
	amount := doc.Components.Schemas["PayByLinkRequest"].Value.Properties["amount"].Value
	assert.NoError(t, amount.VisitJSON(float64(1)))
	assert.NoError(t, amount.VisitJSON(float64(99999999999)))
	assert.Error(t, amount.VisitJSON(float64(0)))
	assert.Error(t, amount.VisitJSON(float64(100000000000)))
	assert.Error(t, amount.VisitJSON(float64(10.24)))
}

func TestListParametersDefaults(t *testing.T) {
	doc := load(t)
	for name, want := range map[string]float64{"Limit": 50, "Offset": 0} {
		p := doc.Components.Parameters[name].Value
		assert.Equal(t, want, p.Schema.Value.Default, name)
		require.NotNil(t, p.Schema.Value.Min, name)
		assert.Equal(t, float64(0), *p.Schema.Value.Min, name)
		assert.Equal(t, "integer", p.Schema.Value.Type.Slice()[0], name)
	}
}

func TestEnums(t *testing.T) {
	doc := load(t)
	enum := func(name string) []string {
		var out []string
		for _, v := range doc.Components.Schemas[name].Value.Enum {
			out = append(out, v.(string))
		}
		sort.Strings(out)
		return out
	}
	assert.Equal(t, []string{"authorize", "purchase"}, enum("TransactionType"))
	assert.Equal(t, []string{"ba", "en", "es", "hr"}, enum("Language"))
	assert.Equal(t, []string{"approved", "expired", "pending"}, enum("TerminalEntryStatus"))
	assert.Equal(t, []string{"approved"}, enum("ApprovedStatus"))
	assert.Equal(t, []string{"created", "updated"}, enum("SavedStatus"))
}
