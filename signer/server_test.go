package signer_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/monri-go/monri/signer"
)

// A loopback server verifies, over the bytes it actually received, what a
// real http.Client sent after Sign.
func TestSignAgreesWithServer(t *testing.T) {
	const key, token = "loopback-merchant-key", "loopback-token-5f1e2d3c4b5a69788796"
	server := mustNew(t, key, token)

	type seen struct {
		requestURI, authorization string
		body                      []byte
		verifyErr                 error
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			got <- seen{verifyErr: err} // never leave the test waiting
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		verr := server.VerifyRequest(r, body)
		got <- seen{r.RequestURI, r.Header.Get("Authorization"), body, verr}
		if verr != nil {
			http.Error(w, verr.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	const jsonBody = `{"name":"Test Buyer","email":"test@example.com","merchant_customer_id":"c-1"}`
	tests := []struct {
		name      string
		signer    *signer.Signer
		method    string
		target    string // path and query
		body      func() io.Reader
		tamper    func(*http.Request) // after Sign, before sending
		want      error
		wantCode  int
		wantBytes string
	}{
		{name: "POST JSON", signer: mustNew(t, key, token), method: http.MethodPost, target: "/v2/customers",
			body: func() io.Reader { return bytes.NewReader([]byte(jsonBody)) }, wantCode: http.StatusNoContent, wantBytes: jsonBody},
		{name: "POST JSON without GetBody", signer: mustNew(t, key, token), method: http.MethodPost, target: "/v2/customers",
			body: func() io.Reader { return io.NopCloser(strings.NewReader(jsonBody)) }, wantCode: http.StatusNoContent, wantBytes: jsonBody},
		{name: "GET with query", signer: mustNew(t, key, token), method: http.MethodGet, target: "/v2/customers?limit=10&offset=20",
			wantCode: http.StatusNoContent},
		{name: "GET with escaped query", signer: mustNew(t, key, token), method: http.MethodGet, target: "/v2/customers?q=a%20b%2Fc&x=",
			wantCode: http.StatusNoContent},
		{name: "DELETE", signer: mustNew(t, key, token), method: http.MethodDelete, target: "/v2/customers/0d1e6e4b",
			wantCode: http.StatusNoContent},
		{name: "body changed after signing", signer: mustNew(t, key, token), method: http.MethodPost, target: "/v2/customers",
			body: func() io.Reader { return strings.NewReader(jsonBody) },
			tamper: func(r *http.Request) {
				changed := strings.Replace(jsonBody, "c-1", "c-2", 1)
				r.Body = io.NopCloser(strings.NewReader(changed))
				r.GetBody = nil
			},
			want: signer.ErrMismatch, wantCode: http.StatusUnauthorized, wantBytes: strings.Replace(jsonBody, "c-1", "c-2", 1)},
		{name: "query changed after signing", signer: mustNew(t, key, token), method: http.MethodGet, target: "/v2/customers?limit=10",
			tamper: func(r *http.Request) { r.URL.RawQuery = "limit=11" },
			want:   signer.ErrMismatch, wantCode: http.StatusUnauthorized},
		{name: "wrong merchant key", signer: mustNew(t, "another-merchant-key", token), method: http.MethodGet, target: "/v2/customers",
			want: signer.ErrMismatch, wantCode: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != nil {
				body = tt.body()
			}
			req, err := http.NewRequest(tt.method, srv.URL+tt.target, body)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.signer.Sign(req); err != nil {
				t.Fatal(err)
			}
			sent := req.Header.Get("Authorization")
			if tt.tamper != nil {
				tt.tamper(req)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			s := <-got
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("status = %d, want %d (server: %v)", resp.StatusCode, tt.wantCode, s.verifyErr)
			}
			if !errors.Is(s.verifyErr, tt.want) || (tt.want == nil) != (s.verifyErr == nil) {
				t.Fatalf("server Verify = %v, want %v", s.verifyErr, tt.want)
			}
			if s.authorization != sent {
				t.Fatalf("server saw Authorization %q, client signed %q", s.authorization, sent)
			}
			if string(s.body) != tt.wantBytes {
				t.Fatalf("server received body %q, want %q", s.body, tt.wantBytes)
			}
			if tt.tamper == nil && s.requestURI != tt.target {
				t.Fatalf("server saw target %q, client meant %q", s.requestURI, tt.target)
			}
		})
	}
}
