package mock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// The bodies bench/loadgen sends: the docs' examples.
const (
	routesCustomerBody = `{"merchant_customer_id":"customer-id-%d","description":"Customer","email":"test@example.com",` +
		`"name":"Test","phone":"+38761000000","metadata":{"key":"value"},"zip_code":"71000","city":"Sarajevo",` +
		`"address":"Zmaja od Bosne 1","country":"BA"}`
	routesLinkBody = `{"transaction_type":"purchase","amount":30,"currency":"BAM","number_of_installments":"",` +
		`"order_number":"order-%d","order_info":"Order info","language":"hr","ch_full_name":"John Doe",` +
		`"ch_address":"Elm street 22","ch_city":"Orgrimmar","ch_zip":"q123abc99","ch_country":"US",` +
		`"ch_phone":"123456","ch_email":"test@example.com","comment":"","supported_payment_methods":["card"],` +
		`"success_url_override":"","cancel_url_override":"","callback_url_override":"",` +
		`"expires_at":"2031-09-26T07:58:30.996+0200"}`
)

// BenchmarkRoutes is the in-process half of make bench's load test: the
// three routes bench/loadgen drives, each request signed afresh, through
// ServeHTTP with the checks on and off. Profile the mock's hot path with
//
//	go test -run '^$' -bench Routes -cpuprofile cpu.prof ./mock && go tool pprof -top mock.test cpu.prof
func BenchmarkRoutes(b *testing.B) {
	sg, err := signer.New(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken)
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		opts []mock.Option
	}{
		{"checks=on", nil},
		{"checks=off", []mock.Option{mock.WithoutVerification(), mock.WithoutValidation()}},
	} {
		srv, err := mock.New(mode.opts...)
		if err != nil {
			b.Fatal(err)
		}
		serve := func(b *testing.B, method, target string, body []byte) *httptest.ResponseRecorder {
			var rd *bytes.Reader
			if body != nil {
				rd = bytes.NewReader(body)
			}
			req := httptest.NewRequest(method, target, nil)
			if rd != nil {
				req = httptest.NewRequest(method, target, rd)
				req.Header.Set("Content-Type", "application/json")
			}
			if err := sg.Sign(req); err != nil {
				b.Fatal(err)
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%s %s: %d %s", method, target, w.Code, w.Body)
			}
			return w
		}
		var created struct {
			UUID string `json:"uuid"`
		}
		w := serve(b, http.MethodPost, "/v2/customers", []byte(`{"name":"Test"}`))
		if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil {
			b.Fatal(err)
		}
		b.Run(mode.name+"/route=get-customer", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				serve(b, http.MethodGet, "/v2/customers/"+created.UUID, nil)
			}
		})
		n := 0
		b.Run(mode.name+"/route=create-customer", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n++
				serve(b, http.MethodPost, "/v2/customers", fmtBody(routesCustomerBody, n))
			}
		})
		b.Run(mode.name+"/route=create-or-update", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				serve(b, http.MethodPost, "/v2/terminal-entry/create-or-update", fmtBody(routesLinkBody, i%64))
			}
		})
	}
}

// fmtBody puts n where the body has %d.
func fmtBody(tmpl string, n int) []byte {
	i := bytes.Index([]byte(tmpl), []byte("%d"))
	out := append([]byte(nil), tmpl[:i]...)
	out = strconv.AppendInt(out, int64(n), 10)
	return append(out, tmpl[i+2:]...)
}
