package monri_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
)

const cbBody = `{"order_number":"order-1","status":"approved","response_code":"0000","approval_code":"914783",` +
	`"amount":1024,"currency":"EUR","masked_pan":"411111******1111","pan_token":null,` +
	`"created_at":"2019-09-06T14:00:49.081+02:00","issuer":"xml-sim","custom_params":{"a":"b"}}`

// cbRecorder is an fn for CallbackHandler that records what it got and
// fails while failures > 0.
type cbRecorder struct {
	mu       sync.Mutex
	got      []monri.Callback
	failures int
}

func (r *cbRecorder) fn(_ context.Context, cb monri.Callback) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, cb)
	if r.failures > 0 {
		r.failures--
		return errors.New("database is down: password=" + secretKey)
	}
	return nil
}

func (r *cbRecorder) calls() []monri.Callback {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]monri.Callback(nil), r.got...)
}

type cbReply struct {
	status int
	header http.Header
	body   []byte
}

func cbPost(t *testing.T, h http.Handler, method string, header map[string][]string, body io.Reader, contentLength int64) cbReply {
	t.Helper()
	req := httptest.NewRequest(method, "http://shop.example/monri/callback", body)
	req.ContentLength = contentLength
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return cbReply{rec.Code, rec.Header(), rec.Body.Bytes()}
}

func signedHeader(key, body string) map[string][]string {
	return map[string][]string{"Authorization": {signer.CallbackScheme + " " + signer.CallbackDigest(key, []byte(body))}}
}

func TestCallbackHandler(t *testing.T) {
	goodDigest := signer.CallbackDigest(secretKey, []byte(cbBody))
	bad := func(s string) string { return strings.Replace(s, "order-1", "order-2", 1) }
	cases := []struct {
		name     string
		method   string
		header   map[string][]string
		body     string
		failures int
		status   int
		message  string // part of Monri's message, for error answers
		calls    int
	}{
		{"verified", http.MethodPost, signedHeader(secretKey, cbBody), cbBody, 0, 200, "", 1},
		{"unknown fields only", http.MethodPost, signedHeader(secretKey, `{"order_number":"o","status":"declined","x":1}`), `{"order_number":"o","status":"declined","x":1}`, 0, 200, "", 1},
		{"no Authorization", http.MethodPost, nil, cbBody, 0, 401, "missing", 0},
		{"tampered body", http.MethodPost, signedHeader(secretKey, cbBody), bad(cbBody), 0, 401, "does not match", 0},
		{"tampered header", http.MethodPost, map[string][]string{"Authorization": {signer.CallbackScheme + " " + strings.Replace(goodDigest, goodDigest[:2], "00", 1)}}, cbBody, 0, 401, "does not match", 0},
		{"wrong key", http.MethodPost, signedHeader("another-key", cbBody), cbBody, 0, 401, "does not match", 0},
		{"request scheme", http.MethodPost, map[string][]string{"Authorization": {"WP3-v2.1 tok 1 " + goodDigest}}, cbBody, 0, 401, "malformed", 0},
		{"two headers", http.MethodPost, map[string][]string{"Authorization": {signer.CallbackScheme + " " + goodDigest, signer.CallbackScheme + " " + goodDigest}}, cbBody, 0, 401, "more than one", 0},
		{"bad JSON", http.MethodPost, signedHeader(secretKey, `{"order_number":`), `{"order_number":`, 0, 400, "body: must be a JSON object", 0},
		{"array", http.MethodPost, signedHeader(secretKey, `[]`), `[]`, 0, 400, "body: must be a JSON object", 0},
		{"trailing data", http.MethodPost, signedHeader(secretKey, cbBody+"{}"), cbBody + "{}", 0, 400, "body", 0},
		{"wrong type", http.MethodPost, signedHeader(secretKey, `{"order_number":"o","status":"approved","amount":"ten"}`), `{"order_number":"o","status":"approved","amount":"ten"}`, 0, 400, "amount: must be an integer", 0},
		{"timestamp in another layout", http.MethodPost, signedHeader(secretKey, `{"order_number":"o","status":"approved","created_at":"`+secretKey+`"}`), `{"order_number":"o","status":"approved","created_at":"` + secretKey + `"}`, 0, 200, "", 1},
		{"no order_number", http.MethodPost, signedHeader(secretKey, `{"status":"approved"}`), `{"status":"approved"}`, 0, 400, "order_number: is required", 0},
		{"no status", http.MethodPost, signedHeader(secretKey, `{"order_number":"o"}`), `{"order_number":"o"}`, 0, 400, "status: is required", 0},
		{"null", http.MethodPost, signedHeader(secretKey, `null`), `null`, 0, 400, "body: must be a JSON object", 0},
		{"empty body", http.MethodPost, signedHeader(secretKey, ``), ``, 0, 400, "body", 0},
		{"fn fails", http.MethodPost, signedHeader(secretKey, cbBody), cbBody, 1, 500, "Monri will send it again", 1},
		{"GET", http.MethodGet, signedHeader(secretKey, ""), "", 0, 405, "must be POST", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &cbRecorder{failures: c.failures}
			h := monri.CallbackHandler(secretKey, rec.fn)
			r := cbPost(t, h, c.method, c.header, strings.NewReader(c.body), int64(len(c.body)))
			require.Equal(t, c.status, r.status, "%s", r.body)
			assert.Len(t, rec.calls(), c.calls)
			if c.status == 200 {
				assert.Empty(t, r.body)
				return
			}
			var e gen.MonriError
			dec := json.NewDecoder(bytes.NewReader(r.body))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&e), "%s", r.body)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			want := gen.MonriErrorStatusInvalidRequest
			if c.status >= 500 {
				want = gen.MonriErrorStatusError
			}
			assert.Equal(t, want, e.Status)
			assert.Contains(t, e.Message, c.message)
			out := string(r.body) + fmt.Sprint(r.header)
			assert.NotContains(t, out, secretKey, "the key (or fn's error) is echoed")
			assert.NotContains(t, out, goodDigest[:16], "a digest is echoed")
			if c.status == 405 {
				assert.Equal(t, "POST", r.header.Get("Allow"))
			}
		})
	}
}

func TestCallbackHandlerDecodesTheTypedCallback(t *testing.T) {
	rec := &cbRecorder{}
	r := cbPost(t, monri.CallbackHandler(secretKey, rec.fn), http.MethodPost, signedHeader(secretKey, cbBody), strings.NewReader(cbBody), int64(len(cbBody)))
	require.Equal(t, 200, r.status)
	got := rec.calls()
	require.Len(t, got, 1)
	cb := got[0]
	assert.Equal(t, "order-1", cb.OrderNumber)
	assert.Equal(t, monri.CallbackStatusApproved, cb.Status)
	assert.Equal(t, monri.ResponseCodeApproved, cb.ResponseCode)
	assert.Equal(t, "914783", *cb.ApprovalCode)
	assert.Equal(t, int64(1024), cb.Amount)
	assert.Equal(t, "EUR", cb.Currency)
	assert.Equal(t, "411111******1111", *cb.MaskedPan)
	assert.Nil(t, cb.PanToken)
	require.NotNil(t, cb.CreatedAt)
	assert.Equal(t, 2019, cb.CreatedAt.Year())
	assert.Equal(t, "xml-sim", cb.AdditionalProperties["issuer"], "unknown fields are kept")
	assert.Equal(t, map[string]any{"a": "b"}, cb.AdditionalProperties["custom_params"])
}

func TestCallbackHandlerPassesTheRequestContext(t *testing.T) {
	type key struct{}
	var got any
	h := monri.CallbackHandler(secretKey, func(ctx context.Context, _ monri.Callback) error {
		got = ctx.Value(key{})
		return nil
	})
	req := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(cbBody))
	req.Header.Set("Authorization", signedHeader(secretKey, cbBody)["Authorization"][0])
	req = req.WithContext(context.WithValue(req.Context(), key{}, "request"))
	h.ServeHTTP(httptest.NewRecorder(), req)
	assert.Equal(t, "request", got)
}

func TestCallbackHandlerLimitsTheBody(t *testing.T) {
	big := `{"order_number":"o","status":"approved","pad":"` + strings.Repeat("x", monri.MaxCallbackBytes) + `"}`
	rec := &cbRecorder{}
	h := monri.CallbackHandler(secretKey, rec.fn)

	// Declared too large: refused before reading.
	r := cbPost(t, h, http.MethodPost, signedHeader(secretKey, big), strings.NewReader(big), int64(len(big)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	// Unknown length (chunked): cut off at the limit.
	r = cbPost(t, h, http.MethodPost, signedHeader(secretKey, big), io.MultiReader(strings.NewReader(big)), -1)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, string(r.body), "at most 1048576 bytes")
	assert.Empty(t, rec.calls())

	// Exactly at the limit is read (and verified).
	pad := monri.MaxCallbackBytes - len(`{"order_number":"o","status":"approved","pad":""}`)
	exact := `{"order_number":"o","status":"approved","pad":"` + strings.Repeat("x", pad) + `"}`
	require.Len(t, exact, monri.MaxCallbackBytes)
	r = cbPost(t, h, http.MethodPost, signedHeader(secretKey, exact), io.MultiReader(strings.NewReader(exact)), -1)
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
}

func TestCallbackHandlerPrintsNoSecret(t *testing.T) {
	h := monri.CallbackHandler(secretKey, func(context.Context, monri.Callback) error { return nil })
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, h), secretKey)
		assert.NotContains(t, fmt.Sprintf(verb, struct{ H http.Handler }{h}), secretKey)
	}
}

// TestVerifySuccessRedirect runs the check where it belongs: in the handler
// of the success URL, on a real server, over plain HTTP and TLS.
func TestVerifySuccessRedirect(t *testing.T) {
	for _, newServer := range []func(http.Handler) *httptest.Server{httptest.NewServer, httptest.NewTLSServer} {
		results := make(chan error, 1)
		srv := newServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			results <- monri.VerifySuccessRedirect(secretKey, r)
		}))
		get := func(u string) error {
			t.Helper()
			resp, err := srv.Client().Get(u)
			require.NoError(t, err)
			resp.Body.Close()
			return <-results
		}
		for _, base := range []string{
			srv.URL + "/ok",
			srv.URL + "/ok?order_number=order-1&response_code=0000",
			srv.URL + "/shop/order%2F1%20a/ok?next=%2Fhome&x=a+b",
		} {
			signed, err := signer.SignSuccessURL(secretKey, base)
			require.NoError(t, err)
			assert.NoError(t, get(signed), base)
			assert.ErrorIs(t, get(strings.Replace(signed, "/ok", "/ok2", 1)), signer.ErrMismatch)
		}
		assert.ErrorIs(t, get(srv.URL+"/ok?order_number=1"), signer.ErrMissing)
		signed, err := signer.SignSuccessURL("another-key", srv.URL+"/ok?a=1")
		require.NoError(t, err)
		assert.ErrorIs(t, get(signed), signer.ErrMismatch)
		srv.Close()
	}
}

func TestVerifySuccessRedirectWithoutAServer(t *testing.T) {
	signed, err := signer.SignSuccessURL(secretKey, "https://shop.example/ok?order_number=1")
	require.NoError(t, err)

	// httptest.NewRequest keeps the target as given: the absolute form a
	// proxy receives, which is the whole URL.
	req := httptest.NewRequest(http.MethodGet, signed, nil)
	assert.NoError(t, monri.VerifySuccessRedirect(secretKey, req))

	// The origin form a server receives; httptest sets TLS for https.
	req.RequestURI = req.URL.RequestURI()
	assert.NoError(t, monri.VerifySuccessRedirect(secretKey, req))
	req.TLS = nil
	assert.ErrorIs(t, monri.VerifySuccessRedirect(secretKey, req), signer.ErrMismatch, "http is not https")

	// Behind a TLS-terminating proxy the request looks like plain HTTP and
	// forwarded headers are ignored: the caller rebuilds the public URL.
	req.Header.Set("X-Forwarded-Proto", "https")
	assert.ErrorIs(t, monri.VerifySuccessRedirect(secretKey, req), signer.ErrMismatch)
	assert.NoError(t, signer.VerifySuccessURL(secretKey, "https://"+req.Host+req.RequestURI))

	// No RequestURI (a request built for a client): r.URL is used.
	req.RequestURI = ""
	req.Host = ""
	assert.ErrorIs(t, monri.VerifySuccessRedirect(secretKey, req), signer.ErrMismatch)
	req.TLS = &tls.ConnectionState{}
	assert.NoError(t, monri.VerifySuccessRedirect(secretKey, req))

	assert.Error(t, monri.VerifySuccessRedirect(secretKey, nil))
}
