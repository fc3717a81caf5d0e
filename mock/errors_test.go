package mock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// seeded starts a mock holding one customer (with a payment method) and one
// payment link, so that bad requests have state to leave alone.
func seeded(t *testing.T, opts ...mock.Option) (*mock.Running, *clock, string) {
	t.Helper()
	clk := newClock()
	run := mock.Start(t, append([]mock.Option{mock.WithClock(clk.Now)}, opts...)...)
	c := client(t, run, clk)
	ctx := context.Background()
	cr, err := c.CreateCustomerWithResponse(ctx, decodeFixture[gen.CustomerRequest](t, "customer_create.json"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, cr.StatusCode())
	_, err = run.Server.AddPaymentMethod(cr.JSON200.UUID, decodeFixture[gen.PaymentMethod](t, "payment_method.json"))
	require.NoError(t, err)
	pr, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, decodeFixture[gen.PayByLinkRequest](t, "pay_by_link_create.json"))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, pr.StatusCode())
	clk.Add(time.Minute) // a change made by a bad request would show in updated_at
	return run, clk, cr.JSON200.UUID
}

// authorization returns the header a signer puts on a request.
func authorization(t *testing.T, s *signer.Signer, method, url string, body []byte) string {
	t.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, s.Sign(r))
	return r.Header.Get("Authorization")
}

func TestUnauthorized(t *testing.T) {
	run, clk, _ := seeded(t)
	good := signerFor(t, run, clk)
	body := []byte(`{"name":"Mallory"}`)
	otherToken, err := signer.New(run.MerchantKey, "0000000000000000000000000000000000000000", signer.WithClock(clk.Now))
	require.NoError(t, err)
	otherKey, err := signer.New("not-the-key", run.AuthenticityToken, signer.WithClock(clk.Now))
	require.NoError(t, err)
	stale, err := signer.New(run.MerchantKey, run.AuthenticityToken, signer.WithClock(func() time.Time { return clk.Now().Add(-time.Hour) }))
	require.NoError(t, err)

	tests := []struct {
		name   string
		target string
		body   []byte
		header func() string // the Authorization header; "" sends none
		want   string
	}{
		{"missing", "/v2/customers", body, func() string { return "" },
			"authorization: the Authorization header is missing"},
		{"malformed", "/v2/customers", body, func() string { return "WP3-v2.1 " + run.AuthenticityToken },
			"authorization: the Authorization header is malformed (want WP3-v2.1 <authenticity_token> <timestamp> <digest>): expected 4 fields separated by single spaces"},
		{"wrong scheme", "/v2/customers", body, func() string {
			return strings.Replace(authorization(t, good, "POST", run.URL+"/v2/customers", body), "WP3-v2.1", "WP3-v2", 1)
		}, "authorization: the Authorization header is malformed (want WP3-v2.1 <authenticity_token> <timestamp> <digest>): scheme must be WP3-v2.1"},
		{"unknown token", "/v2/customers", body, func() string { return authorization(t, otherToken, "POST", run.URL+"/v2/customers", body) },
			"authorization: unknown authenticity token"},
		{"wrong merchant key", "/v2/customers", body, func() string { return authorization(t, otherKey, "POST", run.URL+"/v2/customers", body) },
			"authorization: digest does not match the request"},
		{"stale by the server's clock", "/v2/customers", body, func() string { return authorization(t, stale, "POST", run.URL+"/v2/customers", body) },
			"authorization: the timestamp is outside the allowed window: timestamp is too old"},
		{"tampered body", "/v2/customers", []byte(`{"name":"Eve"}`), func() string { return authorization(t, good, "POST", run.URL+"/v2/customers", body) },
			"authorization: digest does not match the request"},
		{"tampered query", "/v2/customers?limit=2", nil, func() string { return authorization(t, good, "GET", run.URL+"/v2/customers?limit=1", nil) },
			"authorization: digest does not match the request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(run.Server)
			method := http.MethodPost
			if tt.body == nil {
				method = http.MethodGet
			}
			auth := tt.header()
			hdr := map[string]string{}
			if auth != "" {
				hdr["Authorization"] = auth
			}
			r := send(t, run, request{method: method, target: tt.target, body: tt.body, contentType: "application/json", header: hdr})
			require.Equal(t, http.StatusUnauthorized, r.status, "%s", r.body)
			assert.Equal(t, tt.want, r.monriError(t).Message)
			secrets := []string{run.MerchantKey, run.AuthenticityToken, "0000000000000000000000000000000000000000", "not-the-key", auth}
			if f := strings.Fields(auth); len(f) == 4 {
				secrets = append(secrets, f[3]) // the digest
			}
			assert.Empty(t, leaks(r.body, secrets...), "the 401 body reveals a secret, the digest or the header")
			assert.Equal(t, before, snapshot(run.Server), "a rejected request changed the store")
		})
	}
}

// pblWith returns the Pay By Link fixture changed by edit.
func pblWith(t *testing.T, edit func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(fixture(t, "pay_by_link_create.json"), &m))
	edit(m)
	return mustJSON(t, m)
}

func TestBadRequest(t *testing.T) {
	run, clk, id := seeded(t)
	s := signerFor(t, run, clk)
	const pbl = "/v2/terminal-entry/create-or-update"
	tests := []struct {
		name        string
		method      string
		target      string
		body        []byte
		contentType string // default application/json when there is a body
		want        string
	}{
		{"order_info too short", "POST", pbl, pblWith(t, func(m map[string]any) { m["order_info"] = "ab" }),
			"", "order_info: length must be 3-100"},
		{"amount zero", "POST", pbl, pblWith(t, func(m map[string]any) { m["amount"] = 0 }),
			"", "amount: must be at least 1"},
		{"amount too large", "POST", pbl, pblWith(t, func(m map[string]any) { m["amount"] = 100000000000 }),
			"", "amount: must be at most 99999999999"},
		{"amount a string", "POST", pbl, pblWith(t, func(m map[string]any) { m["amount"] = "30" }),
			"", "amount: must be an integer"},
		{"transaction_type unknown", "POST", pbl, pblWith(t, func(m map[string]any) { m["transaction_type"] = "sell" }),
			"", "transaction_type: must be one of authorize, purchase"},
		{"currency lower case", "POST", pbl, pblWith(t, func(m map[string]any) { m["currency"] = "bam" }),
			"", "currency: must match ^[A-Z]{3}$"},
		{"order_number missing", "POST", pbl, pblWith(t, func(m map[string]any) { delete(m, "order_number") }),
			"", "order_number: is required"},
		{"unknown field", "POST", pbl, pblWith(t, func(m map[string]any) { m["nickname"] = "x" }),
			"", "nickname: is not allowed"},
		{"installments out of range", "POST", pbl, pblWith(t, func(m map[string]any) { m["number_of_installments"] = 13 }),
			"", `number_of_installments: must be an integer 2-12 or ""`},
		{"empty payment method", "POST", pbl, pblWith(t, func(m map[string]any) { m["supported_payment_methods"] = []string{""} }),
			"", "supported_payment_methods[0]: length must be at least 1"},
		{"expires_at shape", "POST", pbl, pblWith(t, func(m map[string]any) { m["expires_at"] = "tomorrow" }),
			"", `expires_at: must match ^\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}| UTC)$`},
		{"expires_at no such date", "POST", pbl, pblWith(t, func(m map[string]any) { m["expires_at"] = "2021-13-45T07:58:30.996+0200" }),
			"", "expires_at: must be a timestamp like 2021-09-26T07:58:30.996+0200, 2019-02-12T11:22:33Z or 2019-02-12 11:22:33 UTC"},
		{"two problems", "POST", pbl, pblWith(t, func(m map[string]any) { m["amount"] = 0; m["currency"] = "bam" }),
			"", "amount: must be at least 1; currency: must match ^[A-Z]{3}$"},
		{"everything missing", "POST", pbl, []byte(`{}`),
			"", "amount: is required; currency: is required; order_number: is required; transaction_type: is required; order_info: is required"},
		{"customer metadata value", "POST", "/v2/customers", []byte(`{"metadata":{"tier":1}}`),
			"", "metadata.tier: must be a string"},
		{"customer country", "POST", "/v2/customers/" + id, []byte(`{"country":"ba"}`),
			"", "country: must match ^[A-Z]{2}$"},
		{"customer city", "POST", "/v2/customers/" + id, []byte(`{"city":"ab"}`),
			"", "city: length must be 3-30"},
		{"customer uuid field", "POST", "/v2/customers/" + id, []byte(`{"uuid":"x"}`),
			"", "uuid: is not allowed"},
		{"body an array", "POST", "/v2/customers", []byte(`[]`),
			"", "body: must be an object"},
		{"malformed JSON", "POST", "/v2/customers", []byte(`{"name":`),
			"", "body: is not valid JSON"},
		{"empty body", "POST", "/v2/customers", nil,
			"", "body: is required"},
		{"wrong Content-Type", "POST", "/v2/customers", []byte(`{"name":"Test"}`),
			"text/plain", "Content-Type: must be application/json"},
		{"form Content-Type", "POST", pbl, fixture(t, "pay_by_link_create.json"),
			"application/x-www-form-urlencoded", "Content-Type: must be application/json"},
		{"limit not a number", "GET", "/v2/customers?limit=abc", nil, "", "limit: must be an integer"},
		{"limit a fraction", "GET", "/v2/customers?limit=1.5", nil, "", "limit: must be an integer"},
		{"limit empty", "GET", "/v2/customers?limit=", nil, "", "limit: must be an integer"},
		{"offset negative", "GET", "/v2/customers?offset=-1", nil, "", "offset: must be at least 0"},
		{"both bad", "GET", "/v2/customers/" + id + "/payment-methods?limit=x&offset=-5", nil, "",
			"limit: must be an integer; offset: must be at least 0"},
		{"uuid too long", "GET", "/v2/customers/" + strings.Repeat("a", 37), nil, "", "uuid: length must be 1-36"},
		{"order_number too short", "GET", "/v2/terminal-entry/a/show", nil, "", "order_number: length must be 2-40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(run.Server)
			ct := tt.contentType
			if ct == "" && tt.body != nil {
				ct = "application/json"
			}
			if tt.method == "POST" && tt.body == nil {
				tt.body = []byte{}
			}
			r := send(t, run, request{method: tt.method, target: tt.target, body: tt.body, contentType: ct, sign: s})
			require.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
			assert.Equal(t, tt.want, r.monriError(t).Message)
			assert.Equal(t, before, snapshot(run.Server), "a rejected request changed the store")
		})
	}
}

func TestNotFound(t *testing.T) {
	run, clk, id := seeded(t)
	c := client(t, run, clk)
	ctx := context.Background()
	const unknown = "00000000-0000-4000-8000-000000000000"
	check := func(t *testing.T, status int, e *gen.MonriError, want string) {
		t.Helper()
		require.Equal(t, http.StatusNotFound, status)
		require.NotNil(t, e)
		assert.Equal(t, gen.MonriErrorStatusInvalidRequest, e.Status)
		assert.Equal(t, want, e.Message)
	}
	tests := []struct {
		name string
		call func(t *testing.T)
	}{
		{"get", func(t *testing.T) {
			r, err := c.GetCustomerWithResponse(ctx, unknown)
			require.NoError(t, err)
			check(t, r.StatusCode(), r.JSON404, "uuid: no customer with this uuid")
		}},
		{"update", func(t *testing.T) {
			r, err := c.UpdateCustomerWithResponse(ctx, unknown, gen.CustomerRequest{Name: strp("Nobody")})
			require.NoError(t, err)
			check(t, r.StatusCode(), r.JSON404, "uuid: no customer with this uuid")
		}},
		{"delete", func(t *testing.T) {
			r, err := c.DeleteCustomerWithResponse(ctx, unknown)
			require.NoError(t, err)
			check(t, r.StatusCode(), r.JSON404, "uuid: no customer with this uuid")
		}},
		{"payment methods", func(t *testing.T) {
			r, err := c.ListCustomerPaymentMethodsWithResponse(ctx, unknown, nil)
			require.NoError(t, err)
			check(t, r.StatusCode(), r.JSON404, "uuid: no customer with this uuid")
		}},
		{"merchant_customer_id", func(t *testing.T) {
			r, err := c.GetCustomerByMerchantCustomerIDWithResponse(ctx, "no such id")
			require.NoError(t, err)
			check(t, r.StatusCode(), r.JSON404, "merchant_customer_id: no customer with this merchant_customer_id")
		}},
		{"order_number", func(t *testing.T) {
			r, err := c.GetPayByLinkWithResponse(ctx, "no-such-order")
			require.NoError(t, err)
			check(t, r.StatusCode(), r.JSON404, "order_number: no payment link with this order number")
		}},
		{"uuid in another case", func(t *testing.T) {
			r, err := c.GetCustomerWithResponse(ctx, strings.ToUpper(id))
			require.NoError(t, err)
			check(t, r.StatusCode(), r.JSON404, "uuid: no customer with this uuid")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(run.Server)
			tt.call(t)
			assert.Equal(t, before, snapshot(run.Server))
		})
	}
}

func TestBodyTooLarge(t *testing.T) {
	run, clk, _ := seeded(t)
	s := signerFor(t, run, clk)
	big := append([]byte(`{"name":"`), bytes.Repeat([]byte("a"), mock.MaxBodyBytes)...)
	big = append(big, `"}`...)
	tests := []struct {
		name    string
		chunked bool
	}{
		{"Content-Length", false},
		{"chunked", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(run.Server)
			var body io.Reader = bytes.NewReader(big)
			if tt.chunked {
				body = io.MultiReader(bytes.NewReader(big)) // length unknown to net/http
			}
			req, err := http.NewRequest(http.MethodPost, run.URL+"/v2/customers", body)
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			require.NoError(t, s.Sign(req))
			if tt.chunked {
				req.ContentLength = -1
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			r := reply{status: resp.StatusCode, header: resp.Header, body: b}
			require.Equal(t, http.StatusRequestEntityTooLarge, r.status)
			assert.Equal(t, "body: must be at most 1048576 bytes", r.monriError(t).Message)
			assert.Equal(t, before, snapshot(run.Server))
		})
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	run, clk, id := seeded(t)
	s := signerFor(t, run, clk)
	tests := []struct {
		method, target string
		status         int
		allow          string
		want           string
	}{
		{"GET", "/nope", 404, "", "path: no operation at this path"},
		{"GET", "/v2/customers/", 404, "", "path: no operation at this path"},
		{"GET", "//v2/customers", 404, "", "path: no operation at this path"},
		{"GET", "/v2/customers/" + id + "/payment-methods/", 404, "", "path: no operation at this path"},
		{"GET", "/v2/terminal-entry//show", 404, "", "path: no operation at this path"},
		{"GET", "/v2/terminal-entry/create-or-update", 405, "POST", "method: must be one of POST"},
		{"PUT", "/v2/customers", 405, "GET, HEAD, POST", "method: must be one of GET, HEAD, POST"},
		{"PATCH", "/v2/customers/" + id, 405, "DELETE, GET, HEAD, POST", "method: must be one of DELETE, GET, HEAD, POST"},
		{"DELETE", "/openapi.yaml", 405, "GET, HEAD", "method: must be one of GET, HEAD"},
		{"POST", "/v2/terminal-entry/x1/show", 405, "GET, HEAD", "method: must be one of GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			before := snapshot(run.Server)
			var body []byte
			if tt.method == "POST" || tt.method == "PUT" || tt.method == "PATCH" {
				body = []byte(`{}`)
			}
			r := send(t, run, request{method: tt.method, target: tt.target, body: body, contentType: "application/json", sign: s})
			require.Equal(t, tt.status, r.status, "%s", r.body)
			assert.Equal(t, tt.want, r.monriError(t).Message)
			assert.Equal(t, tt.allow, r.header.Get("Allow"))
			assert.Equal(t, before, snapshot(run.Server))
		})
	}
}
