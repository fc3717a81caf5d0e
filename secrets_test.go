package monri_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
)

// TestNoFacadeCallLeaksASecret calls every facade method with debug logging
// on, once with the right credentials and once with a wrong key (401), and
// checks the log, every error string and %+v of every result and client.
func TestNoFacadeCallLeaksASecret(t *testing.T) {
	const key, token = "sk-LEAK-facade-merchant-91ac", "tok-LEAK-facade-auth-03be"
	clearEnv(t)
	m := mock.Start(t, mock.WithCredentials(key, token))
	var log bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	good, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(key, token), monri.WithLogger(logger))
	require.NoError(t, err)
	bad, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(key+"-wrong", token), monri.WithLogger(logger), monri.WithMaxRetries(0))
	require.NoError(t, err)

	var seen bytes.Buffer
	note := func(v any, err error) {
		fmt.Fprintf(&seen, "%+v %#v\n", v, v)
		if err != nil {
			fmt.Fprintf(&seen, "%v %+v\n", err, err)
		}
	}
	ctx := context.Background()
	for _, c := range []*monri.Client{good, bad} {
		cust, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("leak-facade"), Name: ptr("Ada")})
		note(cust, err)
		uuid := "00000000-0000-4000-8000-000000000000"
		if cust != nil {
			uuid = cust.UUID
			_, err := m.Server.AddPaymentMethod(uuid, gen.PaymentMethod{MaskedPan: "405840******0005"})
			require.NoError(t, err)
		}
		note(c.Customers.Get(ctx, uuid))
		note(c.Customers.GetByMerchantCustomerID(ctx, "leak-facade"))
		note(c.Customers.Update(ctx, uuid, monri.CustomerParams{City: ptr("Mostar")}))
		note(c.Customers.List(ctx, nil))
		for item, err := range c.Customers.ListAll(ctx, &monri.ListParams{Limit: ptr(1)}) {
			note(item, err)
		}
		note(c.Customers.ListPaymentMethods(ctx, uuid, nil))
		for item, err := range c.Customers.ListAllPaymentMethods(ctx, uuid, nil) {
			note(item, err)
		}
		note(c.PayByLink.CreateOrUpdate(ctx, link("leak-order")))
		note(c.PayByLink.Get(ctx, "leak-order"))
		note(c.PayByLink.Deactivate(ctx, link("leak-order")))
		note(c.PayByLink.Activate(ctx, link("leak-order")))
		note(c.Customers.Delete(ctx, uuid))
		note(c.Customers.Get(ctx, "00000000-0000-4000-8000-000000000001"))
		note(c, nil)
	}
	require.Contains(t, seen.String(), "401", "the wrong key was refused")
	require.Contains(t, log.String(), `"status":200`, "the log was on")

	for name, out := range map[string]string{"log": log.String(), "errors and values": seen.String()} {
		assert.NotContains(t, out, key, name)
		assert.NotContains(t, out, token, name)
		assert.NotContains(t, out, "WP3-v2.1", name)
		assert.NotRegexp(t, hex128, out, "%s: a digest leaked", name)
	}
}
