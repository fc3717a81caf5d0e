package signer_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/monri-go/monri/signer"
)

// SignBytes and SignBody give the vectors' headers from the bytes alone.
func TestSignBytesVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
			var body []byte
			if v.Body != "" {
				body = []byte(v.Body)
			}
			got, err := s.SignBytes(v.Fullpath, body)
			if err != nil {
				t.Fatalf("SignBytes: %v", err)
			}
			if got != v.Authorization {
				t.Fatalf("SignBytes = %q, want %q", got, v.Authorization)
			}
			req, err := http.NewRequest(v.Method, baseURL+v.Fullpath, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SignBody(req, body); err != nil {
				t.Fatalf("SignBody: %v", err)
			}
			if got := req.Header.Get("Authorization"); got != v.Authorization {
				t.Fatalf("SignBody header = %q, want %q", got, v.Authorization)
			}
		})
	}
}

// A nil and an empty body both sign the empty string, as Sign
// does for a request without a body.
func TestSignBytesNilEqualsEmpty(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	a, err := s.SignBytes("/v2/customers", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.SignBytes("/v2/customers", []byte{})
	if err != nil {
		t.Fatal(err)
	}
	req := newReq(t, nil)
	req.URL.Path = "/v2/customers"
	if err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	if a != b || a != req.Header.Get("Authorization") {
		t.Fatalf("nil %q, empty %q, Sign %q: want all equal", a, b, req.Header.Get("Authorization"))
	}
}

// SignBody never reads the request's body or calls GetBody: the caller's
// bytes are what is signed, and the request is left as it was.
func TestSignBodyDoesNotTouchBody(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	req, err := http.NewRequest(http.MethodPost, baseURL+v.Fullpath, nil)
	if err != nil {
		t.Fatal(err)
	}
	body := &trackingBody{Reader: &failingReader{}}
	req.Body = body
	req.ContentLength = int64(len(v.Body))
	getBodyCalls := 0
	req.GetBody = func() (io.ReadCloser, error) {
		getBodyCalls++
		return nil, errors.New("GetBody must not be called")
	}
	if err := s.SignBody(req, []byte(v.Body)); err != nil {
		t.Fatalf("SignBody: %v", err)
	}
	if got := req.Header.Get("Authorization"); got != v.Authorization {
		t.Fatalf("Authorization = %q, want %q", got, v.Authorization)
	}
	if getBodyCalls != 0 || body.closed || req.Body != body || req.ContentLength != int64(len(v.Body)) {
		t.Fatalf("request changed: GetBody calls %d, closed %v, body replaced %v, ContentLength %d",
			getBodyCalls, body.closed, req.Body != body, req.ContentLength)
	}
}

func TestSignBytesInvalidInputs(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken)
	var nilSigner *signer.Signer
	tests := []struct {
		name     string
		s        *signer.Signer
		fullpath string
		want     string
	}{
		{"nil Signer", nilSigner, "/v2/customers", "New"},
		{"zero Signer", &signer.Signer{}, "/v2/customers", "New"},
		{"empty fullpath", s, "", "fullpath must start with /"},
		{"absolute URL", s, "https://ipg.monri.com/v2/customers", "fullpath must start with /"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.s.SignBytes(tt.fullpath, []byte("{}"))
			if err == nil || got != "" {
				t.Fatalf("SignBytes = %q, %v; want an error", got, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not say %q", err, tt.want)
			}
		})
	}
	reqTests := []struct {
		name string
		s    *signer.Signer
		req  *http.Request
	}{
		{"nil request", s, nil},
		{"nil URL", s, &http.Request{Method: http.MethodGet, Header: http.Header{}}},
		{"nil Signer", nilSigner, newReq(t, nil)},
	}
	for _, tt := range reqTests {
		t.Run("SignBody/"+tt.name, func(t *testing.T) {
			if err := tt.s.SignBody(tt.req, nil); err == nil {
				t.Fatal("SignBody succeeded")
			}
			if tt.req != nil && tt.req.Header.Get("Authorization") != "" {
				t.Fatal("Authorization set despite the error")
			}
		})
	}
}

// The header SignBytes returns holds the token, as the scheme requires, but
// never the merchant key.
func TestSignBytesNoMerchantKey(t *testing.T) {
	s := mustNew(t, secretKey, "tok", signer.WithClock(fixedClock(1)))
	got, err := s.SignBytes("/v2/customers", []byte("{}"))
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "SignBytes header", got)
	_, err = s.SignBytes("no-slash", nil)
	if err == nil {
		t.Fatal("SignBytes accepted a fullpath without /")
	}
	assertNoSecret(t, "SignBytes error", err.Error())
}
