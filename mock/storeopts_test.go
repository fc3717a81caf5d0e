package mock_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
)

func TestStoreOptionsRejectBadValues(t *testing.T) {
	tests := []struct {
		name string
		opt  mock.Option
		want string
	}{
		{"unknown link updates", mock.WithLinkUpdates(9), "mock: WithLinkUpdates: unknown mode LinkUpdates(9)"},
		{"nil gate", mock.WithCreateCommitGate(nil), "mock: WithCreateCommitGate: nil gate"},
		{"page size 0", mock.WithMaxPageSize(0), "mock: WithMaxPageSize: 0 is below 1"},
		{"page size negative", mock.WithMaxPageSize(-3), "mock: WithMaxPageSize: -3 is below 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mock.New(tt.opt)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestParseLinkUpdates(t *testing.T) {
	for _, u := range []mock.LinkUpdates{mock.Merge, mock.Replace} {
		got, err := mock.ParseLinkUpdates(u.String())
		require.NoError(t, err)
		assert.Equal(t, u, got)
	}
	_, err := mock.ParseLinkUpdates("patch")
	assert.EqualError(t, err, `mock: link updates "patch" is not merge or replace`)
}

// TestLinkUpdates: an update that sends fewer fields keeps the others under
// Merge and drops them under Replace; the id, payment_url and created_at
// survive either way.
func TestLinkUpdates(t *testing.T) {
	first := gen.PayByLinkRequest{
		OrderNumber: "modes-1", Amount: 1000, Currency: "EUR", TransactionType: gen.TransactionTypePurchase,
		OrderInfo: "first body", Active: ptrTo(false), Comment: strp("gift wrap"),
		CallbackURLOverride: strp("https://shop.example/cb"), SuccessURLOverride: strp("https://shop.example/ok"),
		CancelURLOverride: strp("https://shop.example/no"), ChFullName: strp("Ada Lovelace"),
	}
	second := gen.PayByLinkRequest{
		OrderNumber: "modes-1", Amount: 2000, Currency: "EUR", TransactionType: gen.TransactionTypePurchase,
		OrderInfo: "second body",
	}
	tests := []struct {
		name string
		opts []mock.Option
		want gen.PayByLinkRequest
	}{
		{"merge is the default", nil, func() gen.PayByLinkRequest {
			w := first
			w.Amount, w.OrderInfo = 2000, "second body"
			return w
		}()},
		{"merge", []mock.Option{mock.WithLinkUpdates(mock.Merge)}, func() gen.PayByLinkRequest {
			w := first
			w.Amount, w.OrderInfo = 2000, "second body"
			return w
		}()},
		{"replace", []mock.Option{mock.WithLinkUpdates(mock.Replace)}, second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := mock.Start(t, tt.opts...)
			c := client(t, run, nil)
			created, err := c.CreateOrUpdatePayByLinkWithResponse(t.Context(), first)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, created.StatusCode(), string(created.Body))
			updated, err := c.CreateOrUpdatePayByLinkWithResponse(t.Context(), second)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, updated.StatusCode(), string(updated.Body))
			assert.EqualValues(t, gen.SavedStatusUpdated, updated.JSON200.Status)
			assert.Equal(t, created.JSON200.ID, updated.JSON200.ID)
			assert.Equal(t, created.JSON200.PaymentURL, updated.JSON200.PaymentURL)
			assert.Equal(t, created.JSON200.CreatedAt.Time, updated.JSON200.CreatedAt.Time)

			stored, ok := run.Server.PayByLinkRequest("modes-1")
			require.True(t, ok)
			assert.Equal(t, tt.want, stored)
			assert.Equal(t, tt.want.Active == nil || *tt.want.Active, updated.JSON200.Active)
		})
	}
}

func TestPayByLinkRequestIsACopy(t *testing.T) {
	run := mock.Start(t)
	c := client(t, run, nil)
	_, err := c.CreateOrUpdatePayByLinkWithResponse(t.Context(), gen.PayByLinkRequest{
		OrderNumber: "copy-1", Amount: 1000, Currency: "EUR", TransactionType: gen.TransactionTypePurchase,
		OrderInfo: "a copy", Comment: strp("keep"),
	})
	require.NoError(t, err)
	got, ok := run.Server.PayByLinkRequest("copy-1")
	require.True(t, ok)
	*got.Comment = "changed"
	again, _ := run.Server.PayByLinkRequest("copy-1")
	assert.Equal(t, "keep", *again.Comment)
	_, ok = run.Server.PayByLinkRequest("nope-1")
	assert.False(t, ok)
}

// TestCreateCommitGate: the create is stored only once the gate returns,
// after the client has gone.
func TestCreateCommitGate(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	gone := make(chan struct{})
	srv, err := mock.New(mock.WithCreateCommitGate(func(ctx context.Context) {
		close(entered)
		<-ctx.Done()
		close(gone)
		<-release
	}))
	require.NoError(t, err)
	served := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r)
		if r.Method == http.MethodPost {
			close(served)
		}
	}))
	defer ts.Close()
	run := &mock.Running{URL: ts.URL, MerchantKey: mock.DefaultMerchantKey, AuthenticityToken: mock.DefaultAuthenticityToken, Server: srv}

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := plainClient(t, run, nil, nil).CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: strp("gated-1")})
		done <- err
	}()
	<-entered
	assert.Empty(t, srv.Customers(), "nothing is stored while the gate holds")
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	<-gone
	assert.Empty(t, srv.Customers())
	close(release)
	<-served
	custs := srv.Customers()
	require.Len(t, custs, 1, "the create committed after its client had gone")
	assert.Equal(t, "gated-1", *custs[0].MerchantCustomerID)
}

func TestMaxPageSize(t *testing.T) {
	run := mock.Start(t, mock.WithMaxPageSize(10))
	c := client(t, run, nil)
	var uuid string
	for i := range 12 {
		rsp, err := c.CreateCustomerWithResponse(t.Context(), gen.CustomerRequest{MerchantCustomerID: strp(fmt.Sprintf("cap-%d", i))})
		require.NoError(t, err)
		uuid = rsp.JSON200.UUID
	}
	for i := range 12 {
		_, err := run.Server.AddPaymentMethod(uuid, gen.PaymentMethod{MaskedPan: fmt.Sprintf("405840******%04d", i)})
		require.NoError(t, err)
	}
	tests := []struct {
		limit, offset, want int
	}{
		{50, 0, 10}, {10, 0, 10}, {3, 0, 3}, {50, 10, 2}, {50, 12, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("limit %d offset %d", tt.limit, tt.offset), func(t *testing.T) {
			custs, err := c.ListCustomersWithResponse(t.Context(), &gen.ListCustomersParams{Limit: &tt.limit, Offset: &tt.offset})
			require.NoError(t, err)
			assert.Len(t, custs.JSON200.Data, tt.want)
			methods, err := c.ListCustomerPaymentMethodsWithResponse(t.Context(), uuid, &gen.ListCustomerPaymentMethodsParams{Limit: &tt.limit, Offset: &tt.offset})
			require.NoError(t, err)
			assert.Len(t, methods.JSON200.Data, tt.want)
		})
	}
}
