package mock_test

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/wire"
)

func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  mock.Option
		want string
	}{
		{"error rate above 1", mock.WithErrorRate(1.5), "mock: WithErrorRate: rate 1.5 is outside [0, 1]"},
		{"error rate negative", mock.WithErrorRate(-0.1), "mock: WithErrorRate: rate -0.1 is outside [0, 1]"},
		{"error rate NaN", mock.WithErrorRate(math.NaN()), "mock: WithErrorRate: rate NaN is outside [0, 1]"},
		{"drop rate above 1", mock.WithDropRate(2), "mock: WithDropRate: rate 2 is outside [0, 1]"},
		{"negative latency", mock.WithLatency(-time.Second), "mock: WithLatency: negative latency -1s"},
		{"empty merchant key", mock.WithCredentials("", "token"), "mock: WithCredentials: empty merchant key"},
		{"empty token", mock.WithCredentials("key", ""), "mock: WithCredentials: empty authenticity token"},
		{"token with a space", mock.WithCredentials("key", "a b"), "mock: WithCredentials: signer: authenticity token holds a character other than visible ASCII (0x21-0x7E)"},
		{"nil clock", mock.WithClock(nil), "mock: WithClock: nil clock"},
		{"unknown phase", mock.WithFaultPhase(7), "mock: WithFaultPhase: unknown phase FaultPhase(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := mock.New(tt.opt)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.Equal(t, tt.want, err.Error())
		})
	}
	t.Run("every bad option is reported", func(t *testing.T) {
		_, err := mock.New(mock.WithErrorRate(2), mock.WithDropRate(-1))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "WithErrorRate")
		assert.Contains(t, err.Error(), "WithDropRate")
	})
	t.Run("edge values are accepted", func(t *testing.T) {
		_, err := mock.New(mock.WithErrorRate(0), mock.WithDropRate(1), mock.WithLatency(0), nil)
		require.NoError(t, err)
	})
}

func TestWithCredentials(t *testing.T) {
	run := mock.Start(t, mock.WithCredentials("my-key", "my-token"))
	assert.Equal(t, "my-key", run.MerchantKey)
	assert.Equal(t, "my-token", run.AuthenticityToken)
	ok, err := client(t, run, nil).ListCustomersWithResponse(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, ok.StatusCode())

	defaults, err := signer.New(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken)
	require.NoError(t, err)
	r := send(t, run, request{method: http.MethodGet, target: "/v2/customers", sign: defaults})
	require.Equal(t, http.StatusUnauthorized, r.status)
	assert.Equal(t, "authorization: unknown authenticity token", r.monriError(t).Message)
}

func TestDefaultCredentialsAreTheDocsExample(t *testing.T) {
	run := mock.Start(t)
	assert.Equal(t, "qwert1234", run.MerchantKey)
	assert.Equal(t, "7db11ea5d4a1af32421b564c79b946d1ead3daf0", run.AuthenticityToken)
}

func TestWithoutVerification(t *testing.T) {
	run := mock.Start(t, mock.WithoutVerification())
	r := send(t, run, request{method: http.MethodPost, target: "/v2/customers", body: []byte(`{"name":"Anon"}`), contentType: "application/json"})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Len(t, run.Server.Customers(), 1)
}

// TestWithoutValidation checks that with the contract check off, handlers
// still refuse what they cannot store, without panicking or changing state.
func TestWithoutValidation(t *testing.T) {
	run := mock.Start(t, mock.WithoutValidation())
	s := signerFor(t, run, nil)
	const pbl = "/v2/terminal-entry/create-or-update"
	tests := []struct {
		name   string
		method string
		target string
		body   string
		status int
		want   string // message of a 400
	}{
		{"negative limit", "GET", "/v2/customers?limit=-1", "", 400, "limit: must be at least 0"},
		{"negative offset", "GET", "/v2/customers?offset=-1", "", 400, "offset: must be at least 0"},
		{"limit not a number", "GET", "/v2/customers?limit=x", "", 400, "limit: must be an integer"},
		{"malformed JSON", "POST", "/v2/customers", `{"name":`, 400, "body: is not valid JSON"},
		{"empty body", "POST", "/v2/customers", ``, 400, "body: is not valid JSON"},
		{"wrong type", "POST", pbl, `{"order_number":"o1","amount":"x"}`, 400, "amount: must be an integer"},
		{"nested wrong type", "POST", "/v2/customers", `{"metadata":{"a":1}}`, 400, "metadata: must be a string"},
		{"bad timestamp", "POST", pbl, `{"order_number":"o1","expires_at":"soon"}`, 400,
			"expires_at: must be a timestamp like 2021-09-26T07:58:30.996+0200, 2019-02-12T11:22:33Z or 2019-02-12 11:22:33 UTC"},
		{"bad installments", "POST", pbl, `{"order_number":"o1","number_of_installments":"many"}`, 400, `number_of_installments: must be an integer 2-12 or ""`},
		{"no order number", "POST", pbl, `{"amount":1}`, 400, "order_number: is required"},
		{"unknown field is ignored", "POST", "/v2/customers", `{"nickname":"x"}`, 200, ""},
		{"rule broken but storable", "POST", pbl, `{"order_number":"o1","amount":0,"currency":"bam"}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(run.Server)
			var body []byte
			if tt.method == "POST" {
				body = []byte(tt.body)
			}
			r := send(t, run, request{method: tt.method, target: tt.target, body: body, contentType: "application/json", sign: s, garbageIn: true})
			require.Equal(t, tt.status, r.status, "%s", r.body)
			if tt.status == 400 {
				assert.Equal(t, tt.want, r.monriError(t).Message)
				assert.Equal(t, before, snapshot(run.Server))
			} else {
				assert.NotEqual(t, before, snapshot(run.Server))
			}
		})
	}
}

func TestClose(t *testing.T) {
	run := mock.Start(t)
	require.NoError(t, run.Server.Close())
	require.NoError(t, run.Server.Close(), "Close is idempotent")
	r := send(t, run, request{method: http.MethodGet, target: "/v2/customers", sign: signerFor(t, run, nil)})
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "mock: the server is closed", r.monriError(t).Message)
}

func TestAddPaymentMethod(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	ctx := context.Background()
	ids := createCustomers(t, c, clk, 2, 1)
	id := ids[0]
	card := decodeFixture[gen.PaymentMethod](t, "payment_method.json")

	t.Run("fills in what is missing", func(t *testing.T) {
		got, err := run.Server.AddPaymentMethod(id, card)
		require.NoError(t, err)
		assert.Equal(t, got.ID, got.Token)
		assert.Regexp(t, `^[0-9a-f]{64}$`, got.ID.Reveal())
		assert.Equal(t, id, got.CustomerUUID)
		assert.Equal(t, gen.ApprovedStatusApproved, got.Status)
		assert.Equal(t, "2024-05-06T07:08:10Z", got.CreatedAt.String())
		assert.Equal(t, got.CreatedAt, got.UpdatedAt)
		assert.False(t, got.Expired)
	})
	t.Run("keeps what is given", func(t *testing.T) {
		pm := card
		pm.Token = "tok-1"
		pm.Expired = true
		got, err := run.Server.AddPaymentMethod(id, pm)
		require.NoError(t, err)
		assert.Equal(t, wire.CardToken("tok-1"), got.ID)
		assert.Equal(t, wire.CardToken("tok-1"), got.Token)
		assert.True(t, got.Expired)
	})
	t.Run("expired follows expiration_date by the clock", func(t *testing.T) {
		pm := card
		pm.ID = "short-lived"
		require.NoError(t, pm.ExpirationDate.UnmarshalText([]byte("2024-05-31")))
		got, err := run.Server.AddPaymentMethod(ids[1], pm)
		require.NoError(t, err)
		assert.False(t, got.Expired)
		clk.Set(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
		list, _ := run.Server.PaymentMethods(ids[1])
		require.Len(t, list, 1)
		assert.True(t, list[0].Expired)
		clk.Set(t0.Add(time.Second))
	})

	tests := []struct {
		name     string
		customer string
		pm       gen.PaymentMethod
		want     string
	}{
		{"unknown customer", "00000000-0000-4000-8000-000000000000", card, "mock: AddPaymentMethod: uuid: no customer with this uuid"},
		{"another customer's uuid", id, gen.PaymentMethod{CustomerUUID: ids[1]},
			"mock: AddPaymentMethod: customer_uuid: must be the uuid of the customer the payment method is added to"},
		{"duplicate id", id, gen.PaymentMethod{ID: "tok-1"}, "mock: AddPaymentMethod: id: already exists for this customer"},
		{"against the contract", id, gen.PaymentMethod{Status: gen.ApprovedStatus("bogus")},
			"mock: AddPaymentMethod: status: must be one of approved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(run.Server)
			_, err := run.Server.AddPaymentMethod(tt.customer, tt.pm)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.Equal(t, before, snapshot(run.Server))
		})
	}

	t.Run("listed newest first, paged", func(t *testing.T) {
		other := ids[1]
		for i, at := range []time.Duration{time.Hour, -time.Hour, 2 * time.Hour} {
			pm := card
			pm.ID = wire.CardToken(string(rune('a' + i)))
			created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(at)
			pm.CreatedAt = wireTS(created)
			_, err := run.Server.AddPaymentMethod(other, pm)
			require.NoError(t, err)
		}
		list, err := c.ListCustomerPaymentMethodsWithResponse(ctx, other, &gen.ListCustomerPaymentMethodsParams{Limit: ptrTo(3)})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, list.StatusCode())
		var got []string
		for _, pm := range list.JSON200.Data {
			got = append(got, pm.ID.Reveal())
		}
		assert.Equal(t, []string{"short-lived", "c", "a"}, got)
		page2, err := c.ListCustomerPaymentMethodsWithResponse(ctx, other, &gen.ListCustomerPaymentMethodsParams{Offset: ptrTo(3)})
		require.NoError(t, err)
		require.Len(t, page2.JSON200.Data, 1)
		assert.Equal(t, wire.CardToken("b"), page2.JSON200.Data[0].ID)
	})

	t.Run("the accessor returns copies", func(t *testing.T) {
		list, _ := run.Server.PaymentMethods(id)
		list[0].MaskedPan = "changed"
		again, _ := run.Server.PaymentMethods(id)
		assert.NotEqual(t, "changed", again[0].MaskedPan)
		cs := run.Server.Customers()
		cs[0].Name = ptrTo("changed")
		assert.NotEqual(t, run.Server.Customers()[0].Name, cs[0].Name)
	})
}

func TestSeedRoute(t *testing.T) {
	run := mock.Start(t)
	c := client(t, run, nil)
	ids := createCustomers(t, c, newClock(), 1, 1)
	s := signerFor(t, run, nil)
	body := fixture(t, "payment_method.json")
	target := "/__mock/customers/" + ids[0] + "/payment-methods"
	tests := []struct {
		name   string
		req    request
		status int
		want   string
	}{
		{"unsigned", request{method: "POST", target: target, body: body, contentType: "application/json"}, 401, "authorization: the Authorization header is missing"},
		{"unknown field", request{method: "POST", target: target, body: []byte(`{"pan":"4111111111111111"}`), contentType: "application/json", sign: s}, 400, "body: could not be decoded"},
		{"unknown customer", request{method: "POST", target: "/__mock/customers/nobody/payment-methods", body: body, contentType: "application/json", sign: s}, 404, "uuid: no customer with this uuid"},
		{"wrong Content-Type", request{method: "POST", target: target, body: body, contentType: "text/plain", sign: s}, 400, "Content-Type: must be application/json"},
		{"GET", request{method: "GET", target: target, sign: s}, 405, "method: must be one of POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(run.Server)
			r := send(t, run, tt.req)
			require.Equal(t, tt.status, r.status, "%s", r.body)
			assert.Equal(t, tt.want, r.monriError(t).Message)
			assert.Equal(t, before, snapshot(run.Server))
		})
	}
	r := send(t, run, request{method: "POST", target: target, body: body, contentType: "application/json", sign: s})
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	list, err := c.ListCustomerPaymentMethodsWithResponse(context.Background(), ids[0], nil)
	require.NoError(t, err)
	require.Len(t, list.JSON200.Data, 1)
	assert.Equal(t, "405840******0005", list.JSON200.Data[0].MaskedPan)
}
