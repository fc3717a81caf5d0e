package conformance_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/internal/conformance"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/wire"
)

// deviation changes what the mock does, the way a changed Monri might.
type deviation struct {
	// request may rewrite a verified request before the mock sees it.
	request func(r *http.Request)
	// response may rewrite an answer's decoded JSON body.
	response func(r *http.Request, status int, body map[string]any) map[string]any
	// status may replace an answer's status code.
	status func(r *http.Request, status int) int
}

// deviant serves the mock behind a proxy that applies d. The proxy checks
// signatures itself and re-signs a request it rewrote, so the mock still
// verifies every request.
func deviant(t *testing.T, d deviation) *mock.Running {
	t.Helper()
	m := mock.Start(t)
	s, err := signer.New(m.MerchantKey, m.AuthenticityToken)
	require.NoError(t, err)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if d.request != nil && s.VerifyRequest(r, body) == nil {
			d.request(r)
			r.RequestURI = r.URL.RequestURI()
			r.Body = io.NopCloser(bytes.NewReader(body))
			require.NoError(t, s.Sign(r))
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rec := httptest.NewRecorder()
		m.Server.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		var v map[string]any
		if d.response != nil && json.Unmarshal(out, &v) == nil {
			out, err = json.Marshal(d.response(r, rec.Code, v))
			require.NoError(t, err)
		}
		for k, vs := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = vs
			}
		}
		code := rec.Code
		if d.status != nil {
			code = d.status(r, code)
		}
		w.WriteHeader(code)
		_, _ = w.Write(out)
	}))
	t.Cleanup(proxy.Close)
	return &mock.Running{URL: proxy.URL, MerchantKey: m.MerchantKey, AuthenticityToken: m.AuthenticityToken, Server: m.Server}
}

func isList(r *http.Request) bool { return r.Method == "GET" && r.URL.Path == "/v2/customers" }

// fourthLayout writes every timestamp as 12.02.2019 11:22:33, which no wire layout reads.
func fourthLayout(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			if s, ok := c.(string); ok && strings.HasSuffix(k, "_at") {
				if ts, err := wire.ParseTimestamp(s); err == nil {
					t[k] = ts.Format("02.01.2006 15:04:05")
				}
			}
			fourthLayout(c)
		}
	case []any:
		for _, c := range t {
			fourthLayout(c)
		}
	}
}

func TestDeviationsAreNamed(t *testing.T) {
	tests := []struct {
		name      string
		deviation deviation
		check     string
	}{
		{"none", deviation{}, ""},
		{"oldest-first list", deviation{response: func(r *http.Request, _ int, b map[string]any) map[string]any {
			if data, ok := b["data"].([]any); ok && isList(r) {
				slices.Reverse(data)
			}
			return b
		}}, "list-newest-first"},
		{"create answers without uuid", deviation{response: func(r *http.Request, status int, b map[string]any) map[string]any {
			if r.Method == "POST" && r.URL.Path == "/v2/customers" && status == 200 {
				delete(b, "uuid")
			}
			return b
		}}, "create-returns-uuid"},
		{"a fourth timestamp layout", deviation{response: func(_ *http.Request, _ int, b map[string]any) map[string]any {
			fourthLayout(b)
			return b
		}}, "timestamps-parse"},
		{"errors in another shape", deviation{response: func(_ *http.Request, status int, b map[string]any) map[string]any {
			if status >= 400 {
				return map[string]any{"error": map[string]any{"code": status, "text": b["message"]}}
			}
			return b
		}}, "wrong-signature-401"},
		{"list ignores offset", deviation{request: func(r *http.Request) {
			if isList(r) {
				q := r.URL.Query()
				q.Del("offset")
				r.URL.RawQuery = q.Encode()
			}
		}}, "list-pages-limit-offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := deviant(t, tt.deviation)
			results, err := conformance.Run(t.Context(), config(m))
			require.NoError(t, err)
			defer assertNoLeftovers(t, m.Server)
			if tt.check == "" {
				for _, r := range results {
					assert.True(t, r.OK, "the proxy alone must conform: %s: %s", r.Name, r.Detail)
				}
				return
			}
			assert.False(t, conformance.Conforms(results), "a deviating server must not conform")
			i := slices.IndexFunc(results, func(r conformance.Result) bool { return r.Name == tt.check })
			require.GreaterOrEqual(t, i, 0, "check %s did not run", tt.check)
			assert.False(t, results[i].OK, "%s did not report the deviation", tt.check)
			assert.NotEmpty(t, results[i].Detail)
			for _, r := range results {
				if !r.OK {
					t.Logf("%s: %s", r.Name, r.Detail)
				}
			}
		})
	}
}

// TestCleanupFailureIsReported: what cleanup could not remove is a result
// of its own, naming the customer, and the run does not conform.
func TestCleanupFailureIsReported(t *testing.T) {
	m := deviant(t, deviation{status: func(r *http.Request, code int) int {
		if r.Method == "DELETE" {
			return http.StatusInternalServerError
		}
		return code
	}})
	results, err := conformance.Run(t.Context(), config(m))
	require.NoError(t, err)
	require.NotEmpty(t, results)
	last := results[len(results)-1]
	assert.Equal(t, "cleanup", last.Name)
	assert.False(t, last.OK)
	assert.Contains(t, last.Detail, "left behind: customer conformance-")
	assert.False(t, conformance.Conforms(results))
}
