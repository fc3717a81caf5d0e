package mock_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/wire"
)

// createCustomers creates n customers named c0..c<n-1> through the client,
// with the clock moving one second every `perSecond` creations, and returns
// their uuids in creation order.
func createCustomers(t *testing.T, c *gen.ClientWithResponses, clk *clock, n, perSecond int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		if i > 0 && i%perSecond == 0 {
			clk.Add(time.Second)
		}
		r, err := c.CreateCustomerWithResponse(context.Background(), gen.CustomerRequest{Name: ptrTo(fmt.Sprintf("c%d", i))})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, r.StatusCode())
		ids[i] = r.JSON200.UUID
	}
	return ids
}

func TestListCustomersOrderAndPaging(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	ids := createCustomers(t, c, clk, 60, 3) // three per second: ties are ordered newest first too
	newestFirst := make([]string, len(ids))
	for i, id := range ids {
		newestFirst[len(ids)-1-i] = id
	}

	tests := []struct {
		name          string
		limit, offset *int
		want          []string
	}{
		{"defaults: limit 50, offset 0", nil, nil, newestFirst[:50]},
		{"second page", nil, ptrTo(50), newestFirst[50:]},
		{"limit and offset", ptrTo(5), ptrTo(3), newestFirst[3:8]},
		{"limit 0", ptrTo(0), nil, []string{}},
		{"offset at the end", nil, ptrTo(60), []string{}},
		{"offset past the end", ptrTo(10), ptrTo(1000), []string{}},
		{"limit past the end", ptrTo(1000), ptrTo(55), newestFirst[55:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := c.ListCustomersWithResponse(context.Background(), &gen.ListCustomersParams{Limit: tt.limit, Offset: tt.offset})
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, r.StatusCode())
			got := make([]string, len(r.JSON200.Data))
			for i, item := range r.JSON200.Data {
				got[i] = item.ID
			}
			assert.Equal(t, tt.want, got)
			assert.Contains(t, string(r.Body), `"data":[`, "data is an array, never null")
		})
	}
}

func TestListCustomersFollowsCreatedAtWhenTheClockGoesBack(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	clk.Set(t0.Add(time.Hour))
	later := createCustomers(t, c, clk, 1, 1)[0]
	clk.Set(t0) // created after, but with an earlier created_at
	earlier := createCustomers(t, c, clk, 1, 1)[0]
	clk.Set(t0.Add(time.Hour))
	tie := createCustomers(t, c, clk, 1, 1)[0] // same second as later, created after it

	r, err := c.ListCustomersWithResponse(context.Background(), nil)
	require.NoError(t, err)
	var got []string
	for _, item := range r.JSON200.Data {
		got = append(got, item.ID)
	}
	assert.Equal(t, []string{tie, later, earlier}, got)
}

func TestSoftDelete(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	ctx := context.Background()
	cr, err := c.CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: ptrTo("m-1"), Name: ptrTo("Ann")})
	require.NoError(t, err)
	id := cr.JSON200.UUID
	keep := createCustomers(t, c, clk, 1, 1)[0]

	clk.Add(time.Minute)
	del, err := c.DeleteCustomerWithResponse(ctx, id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, del.StatusCode())
	assert.Equal(t, &gen.DeletedCustomer{Status: gen.ApprovedStatusApproved, ID: id, Deleted: true}, del.JSON200)
	assert.JSONEq(t, fmt.Sprintf(`{"status":"approved","id":%q,"deleted":true}`, id), string(del.Body))

	// Still readable by uuid, with its data, marked deleted.
	got, err := c.GetCustomerWithResponse(ctx, id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, got.StatusCode())
	assert.True(t, got.JSON200.Deleted)
	assert.Equal(t, "2024-05-06T07:09:09Z", got.JSON200.DeletedAt.String())
	assert.Equal(t, "Ann", *got.JSON200.Name)
	deletedAt := got.JSON200.DeletedAt

	// Gone from lists and merchant_customer_id lookups; not updatable.
	list, err := c.ListCustomersWithResponse(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.JSON200.Data, 1)
	assert.Equal(t, keep, list.JSON200.Data[0].ID)
	byMID, err := c.GetCustomerByMerchantCustomerIDWithResponse(ctx, "m-1")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, byMID.StatusCode())
	upd, err := c.UpdateCustomerWithResponse(ctx, id, gen.CustomerRequest{Name: ptrTo("Bob")})
	require.NoError(t, err)
	require.Equal(t, http.StatusNotFound, upd.StatusCode())
	assert.Equal(t, "uuid: the customer is deleted", upd.JSON404.Message)
	pms, err := c.ListCustomerPaymentMethodsWithResponse(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, pms.StatusCode())
	_, err = run.Server.AddPaymentMethod(id, gen.PaymentMethod{})
	assert.ErrorContains(t, err, "uuid: the customer is deleted")

	// Deleting again is safe and keeps the first deleted_at.
	clk.Add(time.Minute)
	again, err := c.DeleteCustomerWithResponse(ctx, id)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, again.StatusCode())
	got, err = c.GetCustomerWithResponse(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, deletedAt, got.JSON200.DeletedAt)

	// The merchant_customer_id is free again.
	re, err := c.CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: ptrTo("m-1")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, re.StatusCode(), "%s", re.Body)
	assert.NotEqual(t, id, re.JSON200.UUID)
	byMID, err = c.GetCustomerByMerchantCustomerIDWithResponse(ctx, "m-1")
	require.NoError(t, err)
	assert.Equal(t, re.JSON200.UUID, byMID.JSON200.UUID)
	assert.Len(t, run.Server.Customers(), 3, "the deleted customer is kept")
}

func TestDuplicateMerchantCustomerID(t *testing.T) {
	run := mock.Start(t)
	c := client(t, run, nil)
	ctx := context.Background()
	a, err := c.CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: ptrTo("dup")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, a.StatusCode())
	b, err := c.CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: ptrTo("other")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, b.StatusCode())

	before := snapshot(run.Server)
	again, err := c.CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: ptrTo("dup"), Name: ptrTo("Twin")})
	require.NoError(t, err)
	require.Equal(t, http.StatusBadRequest, again.StatusCode())
	assert.Equal(t, "merchant_customer_id: already exists", again.JSON400.Message)
	steal, err := c.UpdateCustomerWithResponse(ctx, b.JSON200.UUID, gen.CustomerRequest{MerchantCustomerID: ptrTo("dup"), Name: ptrTo("Thief")})
	require.NoError(t, err)
	require.Equal(t, http.StatusBadRequest, steal.StatusCode())
	assert.Equal(t, "merchant_customer_id: already exists", steal.JSON400.Message)
	assert.Equal(t, before, snapshot(run.Server))

	// Sending its own merchant_customer_id is fine; renaming moves the lookup.
	own, err := c.UpdateCustomerWithResponse(ctx, a.JSON200.UUID, gen.CustomerRequest{MerchantCustomerID: ptrTo("dup")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, own.StatusCode())
	moved, err := c.UpdateCustomerWithResponse(ctx, a.JSON200.UUID, gen.CustomerRequest{MerchantCustomerID: ptrTo("renamed")})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, moved.StatusCode())
	old, err := c.GetCustomerByMerchantCustomerIDWithResponse(ctx, "dup")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotFound, old.StatusCode())
	renamed, err := c.GetCustomerByMerchantCustomerIDWithResponse(ctx, "renamed")
	require.NoError(t, err)
	assert.Equal(t, a.JSON200.UUID, renamed.JSON200.UUID)
}

func TestUpdateChangesOnlyFieldsSent(t *testing.T) {
	clk := newClock()
	run := mock.Start(t, mock.WithClock(clk.Now))
	c := client(t, run, clk)
	ctx := context.Background()
	full := decodeFixture[gen.CustomerRequest](t, "customer_create.json")
	cr, err := c.CreateCustomerWithResponse(ctx, full)
	require.NoError(t, err)
	id := cr.JSON200.UUID
	tests := []struct {
		name string
		send gen.CustomerRequest
		edit func(*gen.Customer)
	}{
		{"nothing", gen.CustomerRequest{}, func(*gen.Customer) {}},
		{"email", gen.CustomerRequest{Email: ptrTo("new@example.com")}, func(c *gen.Customer) { c.Email = ptrTo("new@example.com") }},
		{"metadata replaced whole", gen.CustomerRequest{Metadata: map[string]string{"tier": "gold"}},
			func(c *gen.Customer) { c.Metadata = map[string]string{"tier": "gold"} }},
		{"two fields", gen.CustomerRequest{Phone: ptrTo("+38762000000"), ZipCode: ptrTo("88000")},
			func(c *gen.Customer) { c.Phone, c.ZipCode = ptrTo("+38762000000"), ptrTo("88000") }},
	}
	want := *cr.JSON200
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk.Add(time.Second)
			r, err := c.UpdateCustomerWithResponse(ctx, id, tt.send)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, r.StatusCode(), "%s", r.Body)
			tt.edit(&want)
			want.UpdatedAt = wire.NewTimestamp(clk.Now(), wire.RFC3339)
			assert.Equal(t, &want, r.JSON200)
			assert.Equal(t, "2024-05-06T07:08:09Z", r.JSON200.CreatedAt.String())
		})
	}
}

// TestMerchantCustomerIDWithSlash uses a plain client: spectest's router
// cannot match an escaped slash in a path parameter, the mock's can.
func TestMerchantCustomerIDWithSlash(t *testing.T) {
	run := mock.Start(t)
	c := plainClient(t, run, nil, nil)
	ctx := context.Background()
	for _, mid := range []string{"shop/42", "a b?c#d", "ünïcode", "%2F"} {
		cr, err := c.CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: ptrTo(mid)})
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, cr.StatusCode(), "%s", cr.Body)
		got, err := c.GetCustomerByMerchantCustomerIDWithResponse(ctx, mid)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, got.StatusCode(), "%q: %s", mid, got.Body)
		assert.Equal(t, cr.JSON200.UUID, got.JSON200.UUID)
	}
}
