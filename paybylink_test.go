package monri_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
)

func link(order string) monri.PayByLinkParams {
	return monri.PayByLinkParams{
		OrderNumber: order, Amount: 1024, Currency: "EUR",
		TransactionType: gen.TransactionTypePurchase, OrderInfo: "Order " + order,
		ChFullName: ptr("John Doe"), Language: ptr(gen.LanguageEn),
	}
}

func TestPayByLinkLifecycle(t *testing.T) {
	c, m := newClient(t)
	ctx := t.Context()

	created, err := c.PayByLink.CreateOrUpdate(ctx, link("order-1"))
	require.NoError(t, err)
	assert.Equal(t, string(gen.SavedStatusCreated), created.Status)
	require.NotNil(t, created.PaymentURL)
	assert.Contains(t, created.PaymentURL, "order-1")

	again := link("order-1")
	again.Amount = 2048
	updated, err := c.PayByLink.CreateOrUpdate(ctx, again)
	require.NoError(t, err)
	assert.Equal(t, string(gen.SavedStatusUpdated), updated.Status)
	assert.Equal(t, int64(2048), updated.Amount)

	shown, err := c.PayByLink.Get(ctx, "order-1")
	require.NoError(t, err)
	assert.Equal(t, string(gen.ApprovedStatusApproved), shown.Status)
	assert.Equal(t, "John Doe", *shown.ChFullName)

	off, err := c.PayByLink.Deactivate(ctx, again)
	require.NoError(t, err)
	require.NotNil(t, off.Active)
	assert.False(t, off.Active)
	assert.Equal(t, int64(2048), off.Amount, "deactivating changes nothing else")
	assert.Equal(t, "John Doe", *off.ChFullName)
	stored, ok := m.Server.PayByLink("order-1")
	require.True(t, ok)
	assert.False(t, stored.Active)

	on, err := c.PayByLink.Activate(ctx, again)
	require.NoError(t, err)
	assert.True(t, on.Active)
	assert.Len(t, m.Server.PayByLinks(), 1)
}

func TestPayByLinkErrors(t *testing.T) {
	c, _ := newClient(t)
	ctx := t.Context()
	for name, call := range map[string]func() error{
		"get unknown": func() error { _, err := c.PayByLink.Get(ctx, "nope-1"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			assert.True(t, monri.IsNotFound(err), "%v", err)
		})
	}
	_, err := c.PayByLink.CreateOrUpdate(ctx, monri.PayByLinkParams{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "order_number is empty")
	_, err = c.PayByLink.Get(ctx, "")
	require.Error(t, err)
}
