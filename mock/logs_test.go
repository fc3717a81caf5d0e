package mock_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
)

func TestRequestLogIsBounded(t *testing.T) {
	run := mock.Start(t, mock.WithRequestLogSize(3))
	for i := range 5 {
		buyerDo(t, http.MethodGet, fmt.Sprintf("%s/openapi.yaml?n=%d", run.URL, i))
	}
	got := run.Server.Requests()
	require.Len(t, got, 3)
	for i, rec := range got {
		assert.Equal(t, fmt.Sprintf("/openapi.yaml?n=%d", i+2), rec.Path, "the newest three, oldest first")
	}
}

// TestLogLinesHoldNoSecrets writes every kind of line and looks for the
// credentials, Authorization values, digests and card tokens in them.
func TestLogLinesHoldNoSecrets(t *testing.T) {
	var mu sync.Mutex
	var logs bytes.Buffer
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) })
	srv, err := mock.New(fastCallbacks, mock.WithRequestLog(slog.New(slog.NewTextHandler(w, nil))))
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	run := &mock.Running{URL: ts.URL, MerchantKey: mock.DefaultMerchantKey, AuthenticityToken: mock.DefaultAuthenticityToken, Server: srv}
	merchant := newReceiver(t, run.MerchantKey, nil)
	sg := signerFor(t, run, nil)
	hr, err := http.NewRequest(http.MethodGet, run.URL+"/v2/customers", nil)
	require.NoError(t, err)
	require.NoError(t, sg.Sign(hr))
	auth := hr.Header.Get("Authorization")
	resp, err := http.DefaultClient.Do(hr)
	require.NoError(t, err)
	resp.Body.Close()
	send(t, run, request{method: http.MethodGet, target: "/v2/customers", header: map[string]string{"Authorization": auth + "0"}})

	createLink(t, run, nil, "secret-1", func(r *gen.PayByLinkRequest) {
		r.CallbackURLOverride = &merchant.URL
		r.TokenizePan = ptrTo(true)
	})
	p, err := run.Server.Pay(t.Context(), "secret-1")
	require.NoError(t, err)
	require.NotNil(t, p.Callback.PanToken)
	waitCallbacks(t, run.Server)
	buyerDo(t, http.MethodGet, p.RedirectURL)
	u, err := url.Parse(p.RedirectURL)
	require.NoError(t, err)
	digest := u.Query().Get("digest")
	require.NotEmpty(t, digest)

	ts.Close() // waits for every handler, so every line is written
	mu.Lock()
	out := logs.String()
	mu.Unlock()
	require.Contains(t, out, "msg=request")
	require.Contains(t, out, "msg=\"callback attempt\"")
	_, fields, _ := strings.Cut(auth, " ")
	tok, rest, _ := strings.Cut(fields, " ")
	_, authDigest, _ := strings.Cut(rest, " ")
	assert.Empty(t, leaks([]byte(out), run.MerchantKey, auth, authDigest, digest, p.Callback.PanToken.Reveal()), "%s", out)
	assert.NotContains(t, out, tok, "not even the authenticity token")
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
