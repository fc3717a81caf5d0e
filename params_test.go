package monri_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
)

// recordBodies serves a minimal valid answer and keeps each request's body.
func recordBodies(t *testing.T, answer string) (*monri.Client, func() map[string]json.RawMessage) {
	t.Helper()
	var last []byte
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(ts.Close)
	clearEnv(t)
	c, err := monri.NewClient(monri.WithBaseURL(ts.URL), monri.WithCredentials(secretKey, secretToken), monri.WithMaxRetries(0))
	require.NoError(t, err)
	return c, func() map[string]json.RawMessage {
		var fields map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(last, &fields), "request body %s", last)
		return fields
	}
}

// Every optional Pay By Link field set with monri's helpers reaches the
// wire, false and other zero values included; left nil, it is absent.
func TestPayByLinkOptionalFieldsOnTheWire(t *testing.T) {
	tests := []struct {
		field string
		set   func(*monri.PayByLinkParams)
		want  string // the JSON sent when set
	}{
		{"active", func(p *monri.PayByLinkParams) { p.Active = monri.Bool(false) }, `false`},
		{"tokenize_pan", func(p *monri.PayByLinkParams) { p.TokenizePan = monri.Bool(false) }, `false`},
		{"tokenize_pan_offered", func(p *monri.PayByLinkParams) { p.TokenizePanOffered = monri.Bool(false) }, `false`},
		{"language", func(p *monri.PayByLinkParams) { p.Language = monri.Ptr(monri.LanguageHr) }, `"hr"`},
		{"number_of_installments", func(p *monri.PayByLinkParams) { p.NumberOfInstallments = monri.Installments(6) }, `6`},
		{"ch_full_name", func(p *monri.PayByLinkParams) { p.ChFullName = monri.String("Ada Lovelace") }, `"Ada Lovelace"`},
		{"comment", func(p *monri.PayByLinkParams) { p.Comment = monri.String("") }, `""`},
		{"success_url_override", func(p *monri.PayByLinkParams) { p.SuccessURLOverride = monri.String("https://shop.example/ok") }, `"https://shop.example/ok"`},
	}
	base := monri.PayByLinkParams{OrderNumber: "o-1", Amount: 1024, Currency: "EUR", TransactionType: monri.TransactionTypePurchase, OrderInfo: "o"}
	c, sent := recordBodies(t, `{"status":"created","order_number":"o-1"}`)
	for _, tt := range tests {
		t.Run(tt.field+"/set", func(t *testing.T) {
			p := base
			tt.set(&p)
			_, err := c.PayByLink.CreateOrUpdate(t.Context(), p)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(sent()[tt.field]))
		})
		t.Run(tt.field+"/unset", func(t *testing.T) {
			_, err := c.PayByLink.CreateOrUpdate(t.Context(), base)
			require.NoError(t, err)
			assert.NotContains(t, sent(), tt.field)
		})
	}
}

// The same for the customer fields and the list params.
func TestCustomerOptionalFieldsOnTheWire(t *testing.T) {
	c, sent := recordBodies(t, `{"status":"approved","uuid":"u-1"}`)
	_, err := c.Customers.Update(t.Context(), "u-1", monri.CustomerParams{Name: monri.String(""), City: monri.String("Mostar")})
	require.NoError(t, err)
	got := sent()
	assert.JSONEq(t, `""`, string(got["name"]), "an empty string that was set is sent")
	assert.JSONEq(t, `"Mostar"`, string(got["city"]))
	assert.NotContains(t, got, "email")
}

func TestListParamsOnTheWire(t *testing.T) {
	var query string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"approved","data":[]}`)
	}))
	defer ts.Close()
	clearEnv(t)
	c, err := monri.NewClient(monri.WithBaseURL(ts.URL), monri.WithCredentials(secretKey, secretToken))
	require.NoError(t, err)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"customers, offset 0 is sent", func() error {
			_, err := c.Customers.List(t.Context(), &monri.ListParams{Limit: monri.Int(5), Offset: monri.Int(0)})
			return err
		}, "limit=5&offset=0"},
		{"customers, none", func() error { _, err := c.Customers.List(t.Context(), nil); return err }, ""},
		{"payment methods", func() error {
			_, err := c.Customers.ListPaymentMethods(t.Context(), "u-1", &monri.PaymentMethodListParams{Offset: monri.Int(2)})
			return err
		}, "offset=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.call())
			assert.Equal(t, tt.want, query)
		})
	}
}

// The helpers return a fresh pointer to a copy each time.
func TestHelpersCopy(t *testing.T) {
	s := "a"
	p := monri.String(s)
	*p = "b"
	assert.Equal(t, "a", s, "the helper points to a copy")
	assert.NotSame(t, monri.Bool(false), monri.Bool(false))
	assert.Equal(t, int64(1<<40), *monri.Int64(1 << 40))
	assert.Equal(t, 3, int(*monri.Installments(3)))
	assert.Equal(t, monri.LanguageEn, *monri.Ptr(monri.LanguageEn))
}
