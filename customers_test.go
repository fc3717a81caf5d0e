package monri_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
)

func TestCustomersLifecycle(t *testing.T) {
	c, m := newClient(t)
	ctx := t.Context()

	created, err := c.Customers.Create(ctx, monri.CustomerParams{
		MerchantCustomerID: ptr("cust-1"), Name: ptr("Ada"), Email: ptr("ada@example.com"),
		Country: ptr("BA"), Metadata: map[string]string{"tier": "gold"},
	})
	require.NoError(t, err)
	require.NotEmpty(t, created.UUID)
	assert.Equal(t, "Ada", *created.Name)
	uuid := created.UUID

	got, err := c.Customers.Get(ctx, uuid)
	require.NoError(t, err)
	assert.Equal(t, "ada@example.com", *got.Email)

	byMerchant, err := c.Customers.GetByMerchantCustomerID(ctx, "cust-1")
	require.NoError(t, err)
	assert.Equal(t, uuid, byMerchant.UUID)

	updated, err := c.Customers.Update(ctx, uuid, monri.CustomerParams{City: ptr("Mostar")})
	require.NoError(t, err)
	assert.Equal(t, "Mostar", *updated.City)
	assert.Equal(t, "Ada", *updated.Name, "fields not sent keep their values")

	list, err := c.Customers.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, uuid, list[0].UUID, "list items carry id; the facade returns it as uuid")

	_, err = m.Server.AddPaymentMethod(uuid, gen.PaymentMethod{MaskedPan: "405840******0005"})
	require.NoError(t, err)
	methods, err := c.Customers.ListPaymentMethods(ctx, uuid, nil)
	require.NoError(t, err)
	require.Len(t, methods, 1)
	assert.Equal(t, "405840******0005", methods[0].MaskedPan)

	deleted, err := c.Customers.Delete(ctx, uuid)
	require.NoError(t, err)
	assert.True(t, deleted.Deleted)
	assert.Equal(t, uuid, deleted.ID)
}

func TestCustomersErrors(t *testing.T) {
	c, _ := newClient(t)
	ctx := t.Context()
	const unknown = "00000000-0000-4000-8000-000000000000"
	cases := []struct {
		name string
		call func() error
		is   func(error) bool
	}{
		{"get unknown", func() error { _, err := c.Customers.Get(ctx, unknown); return err }, monri.IsNotFound},
		{"get by unknown merchant id", func() error { _, err := c.Customers.GetByMerchantCustomerID(ctx, "nobody"); return err }, monri.IsNotFound},
		{"update unknown", func() error {
			_, err := c.Customers.Update(ctx, unknown, monri.CustomerParams{Name: ptr("x")})
			return err
		}, monri.IsNotFound},
		{"delete unknown", func() error { _, err := c.Customers.Delete(ctx, unknown); return err }, monri.IsNotFound},
		{"payment methods of unknown", func() error { _, err := c.Customers.ListPaymentMethods(ctx, unknown, nil); return err }, monri.IsNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			assert.True(t, tc.is(err), "%v", err)
		})
	}
	for name, call := range map[string]func() error{
		"get":             func() error { _, err := c.Customers.Get(ctx, ""); return err },
		"get by merchant": func() error { _, err := c.Customers.GetByMerchantCustomerID(ctx, ""); return err },
		"update":          func() error { _, err := c.Customers.Update(ctx, "", monri.CustomerParams{}); return err },
		"delete":          func() error { _, err := c.Customers.Delete(ctx, ""); return err },
		"payment methods": func() error { _, err := c.Customers.ListPaymentMethods(ctx, "", nil); return err },
	} {
		t.Run("empty id/"+name, func(t *testing.T) {
			err := call()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is empty")
		})
	}
}

func TestListAllWalksPagesWithoutTouchingParams(t *testing.T) {
	c, m := newClient(t)
	ctx := t.Context()
	for i := range 7 {
		_, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr(fmt.Sprintf("c-%d", i))})
		require.NoError(t, err)
	}

	// Count the list requests the mock serves.
	var lists atomic.Int32
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/v2/customers" {
			lists.Add(1)
		}
		m.Server.ServeHTTP(w, r)
	}))
	defer counting.Close()
	pager, err := monri.NewClient(monri.WithBaseURL(counting.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	require.NoError(t, err)

	params := &monri.ListParams{Limit: ptr(3)}
	var ids []string
	for cust, err := range pager.Customers.ListAll(ctx, params) {
		require.NoError(t, err)
		ids = append(ids, *cust.MerchantCustomerID)
	}
	assert.Equal(t, []string{"c-6", "c-5", "c-4", "c-3", "c-2", "c-1", "c-0"}, ids, "newest first, none lost or repeated")
	assert.Equal(t, int32(4), lists.Load(), "pages of 3, 3 and 1, and the empty page that ends the walk")
	assert.Equal(t, 3, *params.Limit)
	assert.Nil(t, params.Offset, "the caller's params are never changed")

	// Breaking off early stops paging.
	lists.Store(0)
	for _, err := range pager.Customers.ListAll(ctx, params) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, int32(1), lists.Load())

	// An offset skips the newest.
	var skipped []string
	for cust, err := range pager.Customers.ListAll(ctx, &monri.ListParams{Limit: ptr(50), Offset: ptr(5)}) {
		require.NoError(t, err)
		skipped = append(skipped, *cust.MerchantCustomerID)
	}
	assert.Equal(t, []string{"c-1", "c-0"}, skipped)
}

func TestListAllRejectsZeroLimit(t *testing.T) {
	c, _ := newClient(t)
	n := 0
	for _, err := range c.Customers.ListAll(t.Context(), &monri.ListParams{Limit: ptr(0)}) {
		n++
		require.Error(t, err)
		assert.Contains(t, err.Error(), "limit must be positive")
	}
	assert.Equal(t, 1, n)
}

func TestListAllPaymentMethods(t *testing.T) {
	c, m := newClient(t)
	ctx := t.Context()
	cust, err := c.Customers.Create(ctx, monri.CustomerParams{Name: ptr("Ada")})
	require.NoError(t, err)
	for i := range 5 {
		_, err := m.Server.AddPaymentMethod(cust.UUID, gen.PaymentMethod{MaskedPan: fmt.Sprintf("405840******000%d", i)})
		require.NoError(t, err)
	}
	var pans []string
	for pm, err := range c.Customers.ListAllPaymentMethods(ctx, cust.UUID, &monri.PaymentMethodListParams{Limit: monri.Int(2)}) {
		require.NoError(t, err)
		pans = append(pans, pm.MaskedPan)
	}
	assert.Len(t, pans, 5)
	assert.ElementsMatch(t, []string{"405840******0000", "405840******0001", "405840******0002", "405840******0003", "405840******0004"}, pans)

	// An error ends the walk and is yielded once.
	var errs int
	for _, err := range c.Customers.ListAllPaymentMethods(ctx, "00000000-0000-4000-8000-000000000000", nil) {
		require.Error(t, err)
		errs++
	}
	assert.Equal(t, 1, errs)
}
