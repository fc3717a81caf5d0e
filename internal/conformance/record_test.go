package conformance_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/conformance"
	"github.com/monri-go/monri/mock"
)

// TestRecordRedacts: a recorded run writes one fixture per exchange, and no
// fixture holds the merchant key, the authenticity token, a digest, a pan
// token or an email address.
func TestRecordRedacts(t *testing.T) {
	m := mock.Start(t)
	var (
		mu      sync.Mutex
		digests []string
		tokens  []string
	)
	hook := &hookTransport{
		before: func(_ int, r *http.Request) {
			f := strings.Fields(r.Header.Get("Authorization"))
			require.Len(t, f, 4)
			mu.Lock()
			digests = append(digests, f[3])
			mu.Unlock()
		},
		// Give each new customer a saved card, so pan tokens reach the answers.
		after: func(r *http.Request, resp *http.Response) {
			if r.Method != "POST" || r.URL.Path != "/v2/customers" || resp.StatusCode != 200 {
				return
			}
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			var c struct{ UUID string }
			require.NoError(t, json.Unmarshal(body, &c))
			pm, err := m.Server.AddPaymentMethod(c.UUID, gen.PaymentMethod{})
			require.NoError(t, err)
			b, err := json.Marshal(pm)
			require.NoError(t, err)
			var fields map[string]any
			require.NoError(t, json.Unmarshal(b, &fields))
			mu.Lock()
			tokens = append(tokens, fields["token"].(string))
			mu.Unlock()
		},
	}
	dir := t.TempDir()
	rec, err := conformance.NewRecorder(dir)
	require.NoError(t, err)
	cfg := config(m)
	cfg.HTTPClient = &http.Client{Transport: hook}
	cfg.Record = rec
	results, err := conformance.Run(t.Context(), cfg)
	require.NoError(t, err)
	require.NoError(t, rec.Err())
	assert.True(t, conformance.Conforms(results), "%v", results)

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	assert.Len(t, files, hook.n, "one fixture per exchange")
	require.NotEmpty(t, tokens)
	forbidden := append([]string{m.MerchantKey, m.AuthenticityToken, "@example.com\"", "WP3-v2.1"}, digests...)
	forbidden = append(forbidden, tokens...)
	sawPaymentMethod := false
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		text := strings.ReplaceAll(string(raw), "masked@example.com", "")
		for _, secret := range forbidden {
			assert.NotContains(t, text, secret, "%s leaks", filepath.Base(f))
		}
		var fx map[string]any
		require.NoError(t, json.Unmarshal(raw, &fx), filepath.Base(f))
		for _, k := range []string{"operation", "method", "path", "status", "request_headers", "response_headers"} {
			assert.Contains(t, fx, k, filepath.Base(f))
		}
		assert.NotContains(t, fx["request_headers"], "Authorization")
		if fx["operation"] == "listCustomerPaymentMethods" && strings.Contains(text, `"token": "<masked-token>"`) {
			sawPaymentMethod = true
		}
	}
	assert.True(t, sawPaymentMethod, "no recorded payment method: the pan token check proved nothing")
}
