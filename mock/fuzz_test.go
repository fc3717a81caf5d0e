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
)

// FuzzServeHTTP sends arbitrary requests (signatures off, so the input
// reaches validation and the handlers) to a validating and a non-validating
// mock. Nothing may panic; every non-200 answer must be Monri's error shape
// and leave the state as it was; every answer with a documented status from
// the validating mock must match the contract.
func FuzzServeHTTP(f *testing.F) {
	pbl := `{"amount":30,"currency":"BAM","order_number":"o-1","transaction_type":"purchase","order_info":"Order info","expires_at":"2021-09-26T07:58:30.996+0200","number_of_installments":""}`
	seeds := []struct {
		method     uint8
		target, ct string
		body       string
	}{
		{1, "/v2/customers", "application/json", `{"name":"Test","merchant_customer_id":"m1","metadata":{"k":"v"}}`},
		{1, "/v2/customers", "application/json", `{"name":`},
		{1, "/v2/customers", "text/plain", `{}`},
		{0, "/v2/customers?limit=2&offset=1", "", ``},
		{0, "/v2/customers?limit=-1&offset=x", "", ``},
		{0, "/v2/merchants/customers/m1", "", ``},
		{0, "/v2/merchants/customers/a%2Fb", "", ``},
		{2, "/v2/customers/00000000-0000-4000-8000-000000000000", "", ``},
		{1, "/v2/terminal-entry/create-or-update", "application/json", pbl},
		{1, "/v2/terminal-entry/create-or-update", "application/json", `{"amount":"1","number_of_installments":99,"expires_at":"2021-13-45 07:58:30 UTC"}`},
		{0, "/v2/terminal-entry/o-1/show", "", ``},
		{0, "/pay/o-1", "", ``},
		{1, "/pay/o-1/pay", "application/x-www-form-urlencoded", ``},
		{1, "/pay/o-1/cancel", "", ``},
		{0, "/pay/o-1/success?order_number=o-1&digest=00", "", ``},
		{0, "/pay/o-1/cancelled", "", ``},
		{1, "/__mock/customers/x/payment-methods", "application/json", `{"expired":true}`},
		{3, "/v2/customers/../openapi.yaml", "", ``},
		{4, "/openapi.yaml", "", ``},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.ct, []byte(s.body))
	}
	// A link the fuzzer creates and pays may have a callback URL: one short
	// attempt, and Close stops what is left.
	quick := mock.WithCallbackPolicy(mock.CallbackPolicy{Attempts: 1, AttemptTimeout: 100 * time.Millisecond})
	validating, err := mock.New(mock.WithoutVerification(), quick)
	require.NoError(f, err)
	lenient, err := mock.New(mock.WithoutVerification(), mock.WithoutValidation(), quick)
	require.NoError(f, err)
	f.Cleanup(func() {
		_ = validating.Close()
		_ = lenient.Close()
	})
	methods := []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodHead}

	f.Fuzz(func(t *testing.T, m uint8, target, contentType string, body []byte) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		method := methods[int(m)%len(methods)]
		for _, srv := range []*mock.Server{validating, lenient} {
			req, err := http.NewRequest(method, "http://mock.test"+target, bytes.NewReader(body))
			if err != nil {
				return // not a request a server can receive
			}
			req.RequestURI = req.URL.RequestURI()
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			before := snapshot(srv)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)

			if rec.Code == http.StatusSeeOther {
				// The buyer's Pay (which may have paid a link) and Cancel buttons.
				require.Equal(t, http.MethodPost, method)
				require.True(t, strings.HasPrefix(target, "/pay/"), target)
				require.NotEmpty(t, rec.Header().Get("Location"))
			} else if rec.Code != http.StatusOK {
				var e gen.MonriError
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), "status %d: %s", rec.Code, rec.Body)
				require.True(t, e.Status.Valid(), "%s", rec.Body)
				require.NotEmpty(t, e.Message)
				require.Equal(t, before, snapshot(srv), "a %d answer changed the state", rec.Code)
			}
			if srv == validating {
				checkResponse(t, req, body, rec.Code, rec.Header(), rec.Body.Bytes())
			}
		}
	})
}
