package conformance_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/internal/conformance"
	"github.com/monri-go/monri/mock"
)

func config(m *mock.Running) conformance.Config {
	return conformance.Config{BaseURL: m.URL, MerchantKey: m.MerchantKey, AuthenticityToken: m.AuthenticityToken}
}

// assertNoLeftovers: every customer the run made is deleted and every link deactivated.
func assertNoLeftovers(t *testing.T, srv *mock.Server) {
	t.Helper()
	// Read the state as JSON, so that a regenerated gen does not break the test.
	for _, c := range asMaps(t, srv.Customers()) {
		assert.Equal(t, true, c["deleted"], "customer %v is not deleted", c["merchant_customer_id"])
	}
	for _, l := range asMaps(t, srv.PayByLinks()) {
		assert.Equal(t, false, l["active"], "link %v is still active", l["order_number"])
	}
}

func asMaps(t *testing.T, v any) []map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out []map[string]any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func TestMockConforms(t *testing.T) {
	m := mock.Start(t)
	results, err := conformance.Run(context.Background(), config(m))
	require.NoError(t, err)
	names := map[string]bool{}
	for _, r := range results {
		names[r.Name] = true
		assert.True(t, r.OK, "%s: %s", r.Name, r.Detail)
	}
	for _, n := range conformance.Names() {
		assert.True(t, names[n], "check %s did not run", n)
	}
	assert.NotEmpty(t, m.Server.Customers())
	assert.NotEmpty(t, m.Server.PayByLinks())
	assertNoLeftovers(t, m.Server)
}
