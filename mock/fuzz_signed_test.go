package mock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// FuzzServeHTTPSigned drives the real handler with verification on: random
// methods, targets, bodies, an arbitrary extra header and either a correct
// signature or an arbitrary Authorization value. Nothing may panic; an
// unsigned request never succeeds on an API route; every failure is Monri's
// error shape and leaves the state as it was.
func FuzzServeHTTPSigned(f *testing.F) {
	pbl := `{"amount":30,"currency":"BAM","order_number":"o-1","transaction_type":"purchase","order_info":"Order info"}`
	seeds := []struct {
		method        uint8
		target        string
		hName, hValue string
		auth          string
		sign          bool
		body          string
	}{
		{1, "/v2/customers", "Content-Type", "application/json", "", true, `{"name":"Test","merchant_customer_id":"m1"}`},
		{1, "/v2/customers", "Content-Type", "application/json", "WP3-v2.1 x 1 " + strings.Repeat("a", 128), false, `{}`},
		{0, "/v2/customers?limit=2", "Accept", "application/json", "", true, ``},
		{0, "/v2/customers?limit=2", "Authorization", "WP3-v2.1 a 1 b", "wp3-v2.1 a b c", false, ``},
		{1, "/v2/terminal-entry/create-or-update", "Content-Type", "application/json; charset=utf-8", "", true, pbl},
		{1, "/v2/terminal-entry/create-or-update", "Content-Type", "text/plain", "", true, pbl},
		{2, "/v2/customers/00000000-0000-4000-8000-000000000000", "X-Forwarded-For", "127.0.0.1", "", true, ``},
		{0, "/v2/terminal-entry/o-1/show", "Content-Length", "5", "", true, ``},
		{0, "/openapi.json", "", "", "", false, ``},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.hName, s.hValue, s.auth, s.sign, []byte(s.body))
	}
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	s, err := signer.New(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken, signer.WithClock(clock))
	require.NoError(f, err)
	methods := []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodPatch}

	f.Fuzz(func(t *testing.T, m uint8, target, hName, hValue, auth string, sign bool, body []byte) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		method := methods[int(m)%len(methods)]
		// A fresh server per input keeps each run independent and the
		// before/after snapshots small, however long the fuzzer runs.
		srv, err := mock.New(mock.WithClock(clock))
		require.NoError(t, err)
		defer func() { require.NoError(t, srv.Close()) }()
		req, err := http.NewRequest(method, "http://mock.test"+target, bytes.NewReader(body))
		if err != nil {
			return // not a request a server can receive
		}
		req.RequestURI = req.URL.RequestURI()
		if hName != "" && validHeader(hName, hValue) {
			req.Header.Add(hName, hValue)
		}
		if sign {
			if err := s.Sign(req); err != nil {
				t.Fatalf("sign: %v", err)
			}
		} else if auth != "" && validHeader("Authorization", auth) {
			req.Header.Set("Authorization", auth)
		}
		before := snapshot(srv)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)

		apiRoute := strings.HasPrefix(req.URL.Path, "/v2/")
		if apiRoute && !sign && rec.Code < 300 {
			t.Fatalf("unsigned %s %s answered %d", method, target, rec.Code)
		}
		if rec.Code >= 400 {
			var e gen.MonriError
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), "status %d: %s", rec.Code, rec.Body)
			require.True(t, e.Status.Valid(), "%s", rec.Body)
			require.NotEmpty(t, e.Message)
			require.Equal(t, before, snapshot(srv), "a %d answer changed the state", rec.Code)
			require.NotContains(t, rec.Body.String(), mock.DefaultMerchantKey)
		}
	})
}

// validHeader reports whether net/http would send this header at all.
func validHeader(name, value string) bool {
	if name == "" || strings.ContainsAny(value, "\r\n\x00") {
		return false
	}
	for _, c := range name {
		if c <= ' ' || c >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", c) {
			return false
		}
	}
	return true
}
