package conformance_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/internal/conformance"
	"github.com/monri-go/monri/mock"
)

// TestNothingLeaks: neither the Config's %v, the exchange log nor the
// results hold the merchant key, the authenticity token or a signature.
func TestNothingLeaks(t *testing.T) {
	const key, token = "sk-SECRET-conformance-key-9f2c", "tok-SECRET-conformance-0b7e1d"
	m := mock.Start(t, mock.WithCredentials(key, token))
	var log bytes.Buffer
	cfg := config(m)
	cfg.Log = &log
	results, err := conformance.Run(t.Context(), cfg)
	require.NoError(t, err)
	assert.True(t, conformance.Conforms(results), "%v", results)
	var out bytes.Buffer
	require.NoError(t, conformance.WriteTable(&out, results))
	require.NoError(t, conformance.WriteJSON(&out, results))
	fmt.Fprintf(&out, "%v %+v %#v %s", cfg, cfg, cfg, cfg)
	assert.Contains(t, log.String(), "createCustomer POST /v2/customers -> 200")
	for _, s := range []string{out.String(), log.String()} {
		assert.NotContains(t, s, key)
		assert.NotContains(t, s, token)
		assert.NotContains(t, s, "SECRET")
		assert.NotContains(t, s, "WP3-v2.1")
	}
}
