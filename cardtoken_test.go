package monri_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
)

// seededToken is shaped like Monri's example (64 hex digits, id == token).
const seededToken = "00c1eb1a4a0b61d1c2921c8d3a3f4570801da3f3f087c280e832cb4876a5e633"

// TestPaymentMethodsNeverPrintTheirToken lists a saved card through the
// facade and prints it, a slice of it and the list result with every common
// verb: the token (id and token alike) never appears, the JSON round trip
// keeps it exact, and sending it back in SupportedPaymentMethods reaches
// the server unchanged.
func TestPaymentMethodsNeverPrintTheirToken(t *testing.T) {
	c, m := newClient(t)
	ctx := context.Background()
	cust, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("tok-1"), Name: ptr("Ada")})
	require.NoError(t, err)
	_, err = m.Server.AddPaymentMethod(cust.UUID, monri.PaymentMethod{Token: seededToken, MaskedPan: "405840******0005"})
	require.NoError(t, err)

	list, err := c.Customers.ListPaymentMethods(ctx, cust.UUID, nil)
	require.NoError(t, err)
	require.Len(t, list, 1)
	pm := list[0]
	require.Equal(t, seededToken, pm.Token.Reveal())
	require.Equal(t, seededToken, pm.ID.Reveal(), "the mock, like Monri's example, gives id == token")

	var walked []monri.PaymentMethod
	for item, err := range c.Customers.ListAllPaymentMethods(ctx, cust.UUID, nil) {
		require.NoError(t, err)
		walked = append(walked, item)
	}
	values := map[string]any{
		"PaymentMethod":             pm,
		"*PaymentMethod":            &pm,
		"[]PaymentMethod":           []monri.PaymentMethod{pm, pm},
		"ListPaymentMethods result": list,
		"ListAllPaymentMethods":     walked,
		"wrapped in an error":       fmt.Errorf("could not charge %v", pm),
		"PayByLinkParams":           monri.PayByLinkParams{SupportedPaymentMethods: []monri.CardToken{pm.Token, monri.PaymentMethodCard}},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			t.Run(name+" "+verb, func(t *testing.T) {
				out := fmt.Sprintf(verb, v)
				assert.NotContains(t, out, seededToken)
				assert.NotContains(t, out, seededToken[:16])
			})
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", pm), "405840******0005", "the rest still prints")
	assert.Contains(t, fmt.Sprintf("%+v", pm), "card-token[…e633]")

	t.Run("JSON round trip keeps the token exact", func(t *testing.T) {
		b, err := json.Marshal(pm)
		require.NoError(t, err)
		var fields map[string]any
		require.NoError(t, json.Unmarshal(b, &fields))
		assert.Equal(t, seededToken, fields["token"])
		assert.Equal(t, seededToken, fields["id"])
		var back monri.PaymentMethod
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, pm, back)
	})

	t.Run("a token sent back reaches the server exact", func(t *testing.T) {
		p := link("tok-order")
		p.SupportedPaymentMethods = []monri.CardToken{pm.Token, monri.PaymentMethodCard}
		_, err := c.PayByLink.CreateOrUpdate(ctx, p)
		require.NoError(t, err)
		stored, ok := m.Server.PayByLink("tok-order")
		require.True(t, ok)
		assert.Equal(t, []monri.CardToken{seededToken, "card"}, stored.SupportedPaymentMethods)
	})
}

// TestAPIErrorsNeverPrintATokenSent: an error answer to a call that sent a
// token names neither the token nor its prefix.
func TestAPIErrorsNeverPrintATokenSent(t *testing.T) {
	c, _ := newClient(t)
	p := link("")
	p.SupportedPaymentMethods = []monri.CardToken{seededToken}
	_, err := c.PayByLink.CreateOrUpdate(context.Background(), p)
	require.Error(t, err)
	var apiErr *monri.Error
	if errors.As(err, &apiErr) {
		assert.NotContains(t, fmt.Sprintf("%+v %#v", apiErr, apiErr), seededToken)
	}
	assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), seededToken)
}

// TestCallbackPanTokenNeverPrints: a callback's pan_token, and the value
// behind the pointer, print redacted; JSON keeps it exact.
func TestCallbackPanTokenNeverPrints(t *testing.T) {
	tok := monri.CardToken(seededToken)
	cb := monri.Callback{OrderNumber: "o-1", Status: "approved", PanToken: &tok}
	raw := gen.Callback{OrderNumber: "o-1", PanToken: &tok}
	for name, v := range map[string]any{"monri.Callback": cb, "gen.Callback": raw, "*PanToken": *cb.PanToken} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			assert.NotContains(t, fmt.Sprintf(verb, v), seededToken, "%s %s", name, verb)
		}
	}
	b, err := json.Marshal(raw)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"pan_token":"`+seededToken+`"`)
}
