package conformance_test

import (
	"context"
	"encoding/json"
	"net/http"
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

func resultNames(results []conformance.Result) []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i] = r.Name
	}
	return out
}

func TestSelection(t *testing.T) {
	tests := []struct {
		name        string
		cfg         func(*conformance.Config)
		want        []string
		createsData bool
	}{
		{"only two", func(c *conformance.Config) { c.Only = []string{"unknown-uuid-404", "wrong-signature-401"} },
			[]string{"wrong-signature-401", "unknown-uuid-404"}, false},
		{"only a contract check runs the checks that make its traffic", func(c *conformance.Config) { c.Only = []string{"contract/getPayByLink"} },
			[]string{"contract/getPayByLink"}, true},
		{"read-only creates nothing", func(c *conformance.Config) { c.ReadOnly = true },
			[]string{"list-items-carry-id", "wrong-signature-401", "unknown-uuid-404", "timestamps-parse", "contract/getCustomer", "contract/listCustomers"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mock.Start(t)
			cfg := config(m)
			tt.cfg(&cfg)
			results, err := conformance.Run(t.Context(), cfg)
			require.NoError(t, err)
			assert.Equal(t, tt.want, resultNames(results))
			assert.True(t, conformance.Conforms(results), "%v", results)
			assert.Equal(t, tt.createsData, len(m.Server.Customers()) > 0)
			if cfg.ReadOnly {
				// Read-only is what production gets without a second flag:
				// not one request that could change anything.
				for _, r := range m.Server.Requests() {
					assert.Equal(t, http.MethodGet, r.Method, "read-only sent %s %s", r.Method, r.Path)
				}
			}
			assertNoLeftovers(t, m.Server)
		})
	}
	t.Run("skip", func(t *testing.T) {
		m := mock.Start(t)
		cfg := config(m)
		cfg.Skip = []string{"timestamps-parse", "contract/listCustomers"}
		results, err := conformance.Run(t.Context(), cfg)
		require.NoError(t, err)
		assert.NotContains(t, resultNames(results), "timestamps-parse")
		assert.NotContains(t, resultNames(results), "contract/listCustomers")
		assert.Contains(t, resultNames(results), "list-newest-first")
	})
	t.Run("unknown name", func(t *testing.T) {
		cfg := config(mock.Start(t))
		cfg.Only = []string{"no-such-check"}
		_, err := conformance.Run(t.Context(), cfg)
		require.ErrorIs(t, err, conformance.ErrUnknownCheck)
		assert.Contains(t, err.Error(), "no-such-check")
	})
}
