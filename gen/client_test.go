package gen_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/spectest"
	"github.com/monri-go/monri/wire"
)

const (
	merchantKey = "qwert1234"
	token       = "7db11ea5d4a1af32421b564c79b946d1ead3daf0"
)

// received is what the digest-checking server saw for one request.
type received struct {
	method, target string
	body           []byte
	verifyErr      error
}

// digestCheckingServer recomputes every request's digest over the bytes it
// received and answers with the fixture for the route.
func digestCheckingServer(t *testing.T, v *signer.Signer) (*httptest.Server, func() []received) {
	t.Helper()
	var mu sync.Mutex
	var seen []received
	fixture := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "spectest", "testdata", name))
		require.NoError(t, err)
		return b
	}
	routes := map[string][]byte{
		"POST /v2/customers":                         fixture("customer.json"),
		"GET /v2/customers":                          fixture("customer_list.json"),
		"GET /v2/customers/{uuid}":                   fixture("customer.json"),
		"POST /v2/customers/{uuid}":                  fixture("customer.json"),
		"DELETE /v2/customers/{uuid}":                fixture("customer_deleted.json"),
		"GET /v2/customers/{uuid}/payment-methods":   fixture("payment_methods.json"),
		"GET /v2/merchants/customers/{id}":           fixture("customer.json"),
		"POST /v2/terminal-entry/create-or-update":   fixture("pay_by_link_created.json"),
		"GET /v2/terminal-entry/{order_number}/show": fixture("pay_by_link_show.json"),
	}
	mux := http.NewServeMux()
	for pattern, answer := range routes {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			verifyErr := v.VerifyRequest(r, body)
			mu.Lock()
			seen = append(seen, received{r.Method, r.URL.RequestURI(), body, verifyErr})
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			if verifyErr != nil {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"status":"invalid-request","message":"bad signature"}`)
				return
			}
			_, _ = w.Write(answer)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), seen...)
	}
}

func ptr[T any](v T) *T { return &v }

// operationCalls drives each generated operation once, with every kind of
// input it takes: path parameters, query parameters and JSON bodies.
var operationCalls = map[string]func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error){
	"CreateCustomer": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.CreateCustomerWithResponse(ctx, gen.CreateCustomerJSONRequestBody{
			MerchantCustomerID: ptr("customer-id-1234"), Name: ptr("Test"), Country: ptr("BA"),
			Metadata: map[string]string{"key": "value"},
		})
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"GetCustomer": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.GetCustomerWithResponse(ctx, "4b281da4-d145-4233-b957-2018cf9aa0fb")
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"GetCustomerByMerchantCustomerID": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.GetCustomerByMerchantCustomerIDWithResponse(ctx, "customer-id-1234")
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"UpdateCustomer": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.UpdateCustomerWithResponse(ctx, "4b281da4-d145-4233-b957-2018cf9aa0fb", gen.UpdateCustomerJSONRequestBody{City: ptr("Mostar")})
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"DeleteCustomer": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.DeleteCustomerWithResponse(ctx, "4b281da4-d145-4233-b957-2018cf9aa0fb")
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"ListCustomers": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.ListCustomersWithResponse(ctx, &gen.ListCustomersParams{Limit: ptr(10), Offset: ptr(20)})
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"ListCustomerPaymentMethods": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.ListCustomerPaymentMethodsWithResponse(ctx, "4b281da4-d145-4233-b957-2018cf9aa0fb", &gen.ListCustomerPaymentMethodsParams{Limit: ptr(5)})
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"CreateOrUpdatePayByLink": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		expires := wire.NewTimestamp(time.Date(2021, 9, 26, 7, 58, 30, 996e6, time.FixedZone("", 7200)), wire.CompactOffset)
		r, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, gen.CreateOrUpdatePayByLinkJSONRequestBody{
			Amount: 30, Currency: "BAM", OrderNumber: "6638614b544b7058414b5467304146574c647841",
			TransactionType: gen.TransactionTypePurchase, OrderInfo: "Order info",
			NumberOfInstallments: ptr(wire.Installments(0)), Language: ptr(gen.LanguageHr),
			SupportedPaymentMethods: []wire.CardToken{wire.PaymentMethodCard}, ExpiresAt: &expires, Active: ptr(true),
		})
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
	"GetPayByLink": func(ctx context.Context, c *gen.ClientWithResponses) (int, any, error) {
		r, err := c.GetPayByLinkWithResponse(ctx, "order-42")
		return status(r, err), jsonOf(r, err, func() any { return r.JSON200 }), err
	},
}

type statusCoder interface{ StatusCode() int }

func status(r statusCoder, err error) int {
	if err != nil {
		return 0
	}
	return r.StatusCode()
}

func jsonOf(_ any, err error, get func() any) any {
	if err != nil {
		return nil
	}
	return get()
}

// TestEveryOperationIsCovered keeps operationCalls in step with the
// generated client: a new operation in the spec fails here until it is driven.
func TestEveryOperationIsCovered(t *testing.T) {
	var generated []string
	iface := reflect.TypeFor[gen.ClientWithResponsesInterface]()
	for i := range iface.NumMethod() {
		name := iface.Method(i).Name
		if strings.HasSuffix(name, "WithResponse") && !strings.HasSuffix(name, "WithBodyWithResponse") {
			generated = append(generated, strings.TrimSuffix(name, "WithResponse"))
		}
	}
	var driven []string
	for name := range operationCalls {
		driven = append(driven, name)
	}
	sort.Strings(generated)
	sort.Strings(driven)
	assert.Len(t, generated, 9)
	assert.Equal(t, generated, driven)
}

// TestEveryOperationSignsWhatTheServerReceives drives each generated
// operation through the signer against a server that recomputes the digest
// over the bytes it received, with spectest checking both directions.
func TestEveryOperationSignsWhatTheServerReceives(t *testing.T) {
	s, err := signer.New(merchantKey, token)
	require.NoError(t, err)
	srv, seen := digestCheckingServer(t, s)

	client := &http.Client{Transport: spectest.NewTransport(t, nil)}
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(client), gen.WithRequestEditorFn(s.Edit))
	require.NoError(t, err)

	for name, call := range operationCalls {
		t.Run(name, func(t *testing.T) {
			before := len(seen())
			code, decoded, err := call(t.Context(), c)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, code)
			assert.False(t, reflect.ValueOf(decoded).IsNil(), "JSON200 not decoded")

			got := seen()
			require.Len(t, got, before+1)
			last := got[len(got)-1]
			assert.NoError(t, last.verifyErr, "server's digest disagrees with the client's for %s %s", last.method, last.target)
			if last.method == http.MethodGet || last.method == http.MethodDelete {
				assert.Empty(t, last.body, "GET and DELETE sign an empty body")
			} else {
				assert.NotEmpty(t, last.body)
			}
		})
	}
}

func TestQueryStringIsSigned(t *testing.T) {
	s, err := signer.New(merchantKey, token)
	require.NoError(t, err)
	srv, seen := digestCheckingServer(t, s)

	// A proxy that rewrites the query after signing must break the signature.
	rewrite := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.RawQuery = "limit=11&offset=20"
		return http.DefaultTransport.RoundTrip(r)
	})
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(&http.Client{Transport: rewrite}), gen.WithRequestEditorFn(s.Edit))
	require.NoError(t, err)
	r, err := c.ListCustomersWithResponse(t.Context(), &gen.ListCustomersParams{Limit: ptr(10), Offset: ptr(20)})
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode())
	require.NotNil(t, r.JSON401)
	got := seen()
	require.Len(t, got, 1)
	assert.ErrorIs(t, got[0].verifyErr, signer.ErrMismatch)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
