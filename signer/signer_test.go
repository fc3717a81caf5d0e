package signer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monri-go/monri/signer"
)

const baseURL = "https://ipg.monri.com"

func TestDigestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			got := signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, v.Fullpath, []byte(v.Body))
			if got != v.Digest {
				t.Fatalf("Digest = %s, want %s", got, v.Digest)
			}
		})
	}
}

func TestSignVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
			var body io.Reader
			if v.Body != "" {
				body = strings.NewReader(v.Body)
			}
			req, err := http.NewRequest(v.Method, baseURL+v.Fullpath, body)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Sign(req); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if got := req.Header.Get("Authorization"); got != v.Authorization {
				t.Fatalf("Authorization = %q, want %q", got, v.Authorization)
			}
			if err := s.Verify(v.Authorization, v.Fullpath, []byte(v.Body)); err != nil {
				t.Fatalf("Verify of the vector: %v", err)
			}
		})
	}
}

// The docs' example, spelled out, so the vector cannot silently change.
func TestSignDocsExample(t *testing.T) {
	s := mustNew(t, "qwert1234", "7db11ea5d4a1af32421b564c79b946d1ead3daf0", signer.WithClock(fixedClock(1593457122)))
	req, err := http.NewRequest(http.MethodPost, baseURL+"/v2/payment/new", strings.NewReader(`{"example":"1"}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	const want = "WP3-v2.1 7db11ea5d4a1af32421b564c79b946d1ead3daf0 1593457122 bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea"
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization = %q, want %q", got, want)
	}
}

func TestSignQueryIsSigned(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	sign := func(rawURL string) string {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, rawURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Sign(req); err != nil {
			t.Fatal(err)
		}
		_, _, _, d := fields(t, req.Header.Get("Authorization"))
		return d
	}
	without := sign(baseURL + "/v2/customers")
	with := sign(baseURL + "/v2/customers?limit=1")
	if with == without {
		t.Fatal("the query string did not change the digest")
	}
	if want := signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, "/v2/customers?limit=1", nil); with != want {
		t.Fatalf("digest = %s, want Digest over path and query %s", with, want)
	}
	if want := signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, "/v2/customers", nil); without != want {
		t.Fatalf("digest = %s, want %s", without, want)
	}
	// The query is signed as sent, escapes included, not re-encoded.
	if got, want := sign(baseURL+"/v2/customers?q=a%20b&x=%2F"),
		signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, "/v2/customers?q=a%20b&x=%2F", nil); got != want {
		t.Fatalf("escaped query: digest = %s, want %s", got, want)
	}
}

func TestSignEmptyBodies(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	const path = "/v2/customers/abc"
	want := signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, path, nil)
	if want != signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, path, []byte{}) {
		t.Fatal("nil and empty bodies digest differently")
	}
	tests := []struct {
		name   string
		method string
		body   io.Reader
	}{
		{"GET nil body", http.MethodGet, nil},
		{"GET NoBody", http.MethodGet, http.NoBody},
		{"DELETE nil body", http.MethodDelete, nil},
		{"DELETE NoBody", http.MethodDelete, http.NoBody},
		{"POST empty bytes.Reader", http.MethodPost, bytes.NewReader(nil)},
		{"POST empty reader without GetBody", http.MethodPost, io.NopCloser(strings.NewReader(""))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, baseURL+path, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Sign(req); err != nil {
				t.Fatal(err)
			}
			if _, _, _, got := fields(t, req.Header.Get("Authorization")); got != want {
				t.Fatalf("digest = %s, want digest over an empty body %s", got, want)
			}
		})
	}
}

// oneByteReader has no WriterTo, so Sign must copy it through a buffer.
type oneByteReader struct{ r io.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}

// trackingBody records whether it was closed.
type trackingBody struct {
	io.Reader
	closed bool
}

func (b *trackingBody) Close() error { b.closed = true; return nil }

func TestSignDoesNotConsumeBody(t *testing.T) {
	const payload = `{"order_number":"ord-1","amount":100,"currency":"EUR"}`
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	want := signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, "/v2/customers", []byte(payload))

	tracked := &trackingBody{Reader: &oneByteReader{strings.NewReader(payload)}}
	tests := []struct {
		name string
		make func(t *testing.T) *http.Request
		// original, when set, must be closed by Sign (it was replaced).
		original *trackingBody
	}{
		{name: "bytes.Reader with GetBody", make: func(t *testing.T) *http.Request {
			return newReq(t, bytes.NewReader([]byte(payload)))
		}},
		{name: "strings.Reader with GetBody", make: func(t *testing.T) *http.Request {
			return newReq(t, strings.NewReader(payload))
		}},
		{name: "GetBody without WriterTo", make: func(t *testing.T) *http.Request {
			req := newReq(t, strings.NewReader(payload))
			req.GetBody = func() (io.ReadCloser, error) {
				return io.NopCloser(&oneByteReader{strings.NewReader(payload)}), nil
			}
			return req
		}},
		{name: "NopCloser without GetBody", make: func(t *testing.T) *http.Request {
			return newReq(t, io.NopCloser(strings.NewReader(payload)))
		}},
		{name: "ReadCloser without GetBody is closed and replaced", original: tracked, make: func(t *testing.T) *http.Request {
			req := newReq(t, nil)
			req.Body = tracked
			req.ContentLength = -1
			return req
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.make(t)
			if err := s.Sign(req); err != nil {
				t.Fatal(err)
			}
			if _, _, _, got := fields(t, req.Header.Get("Authorization")); got != want {
				t.Fatalf("digest = %s, want %s", got, want)
			}
			got, err := io.ReadAll(req.Body)
			if err != nil || string(got) != payload {
				t.Fatalf("after Sign, req.Body read %q, %v; want the full body", got, err)
			}
			if req.GetBody == nil {
				t.Fatal("GetBody is nil after Sign")
			}
			for i := 0; i < 2; i++ {
				rc, err := req.GetBody()
				if err != nil {
					t.Fatal(err)
				}
				again, err := io.ReadAll(rc)
				if err != nil || string(again) != payload {
					t.Fatalf("GetBody copy %d read %q, %v", i, again, err)
				}
			}
			if req.ContentLength != int64(len(payload)) {
				t.Fatalf("ContentLength = %d, want %d", req.ContentLength, len(payload))
			}
			if tt.original != nil && !tt.original.closed {
				t.Fatal("the replaced original body was not closed")
			}
		})
	}
}

func newReq(t *testing.T, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, baseURL+"/v2/customers", body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// failingReader yields some bytes and then fails.
type failingReader struct {
	data string
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestSignUnreadableBody(t *testing.T) {
	errBoom := errors.New("boom: disk on fire")
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	tests := []struct {
		name    string
		make    func(t *testing.T) *http.Request
		wantErr error // if set, errors.Is must hold
	}{
		{"read error without GetBody", func(t *testing.T) *http.Request {
			return newReq(t, io.NopCloser(&failingReader{data: `{"a":`, err: errBoom}))
		}, errBoom},
		{"GetBody returns an error", func(t *testing.T) *http.Request {
			req := newReq(t, strings.NewReader(`{"a":1}`))
			req.GetBody = func() (io.ReadCloser, error) { return nil, errBoom }
			return req
		}, errBoom},
		{"GetBody returns nil", func(t *testing.T) *http.Request {
			req := newReq(t, strings.NewReader(`{"a":1}`))
			req.GetBody = func() (io.ReadCloser, error) { return nil, nil }
			return req
		}, nil},
		{"GetBody copy fails to read", func(t *testing.T) *http.Request {
			req := newReq(t, strings.NewReader(`{"a":1}`))
			req.GetBody = func() (io.ReadCloser, error) {
				return io.NopCloser(&failingReader{data: `{"a"`, err: errBoom}), nil
			}
			return req
		}, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.make(t)
			err := s.Sign(req)
			if err == nil {
				t.Fatal("Sign succeeded on an unreadable body")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want it to wrap %v", err, tt.wantErr)
			}
			if h, ok := req.Header["Authorization"]; ok {
				t.Fatalf("Authorization set despite the error: %q", h)
			}
		})
	}
}

func TestSignReplacesAuthorization(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	req := newReq(t, strings.NewReader(v.Body))
	req.URL.Path = v.Fullpath
	req.Header.Add("Authorization", "Bearer old")
	req.Header.Add("Authorization", "Basic older")
	if err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Values("Authorization"); len(got) != 1 || got[0] != v.Authorization {
		t.Fatalf("Authorization = %q, want exactly [%q]", got, v.Authorization)
	}
}

func TestSignCreatesHeaderMap(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/v2/customers"}}
	if err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	want := "WP3-v2.1 " + v.AuthenticityToken + " " + v.Timestamp + " " +
		signer.Digest(v.MerchantKey, v.Timestamp, v.AuthenticityToken, "/v2/customers", nil)
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization = %q, want %q", got, want)
	}
}

func TestSignTimestampIsUnixSeconds(t *testing.T) {
	v := docsVector(t)
	clock := func() time.Time { return time.Unix(1593457122, 987654321).In(time.FixedZone("x", 5*3600)) }
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(clock))
	req := newReq(t, nil)
	if err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	if _, _, ts, _ := fields(t, req.Header.Get("Authorization")); ts != "1593457122" {
		t.Fatalf("timestamp = %q, want Unix seconds 1593457122", ts)
	}
}

func TestSignInvalidInputs(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken)
	var nilSigner *signer.Signer
	tests := []struct {
		name string
		s    *signer.Signer
		req  *http.Request
	}{
		{"nil request", s, nil},
		{"nil URL", s, &http.Request{Method: http.MethodGet, Header: http.Header{}}},
		{"nil Signer", nilSigner, newReq(t, nil)},
		{"zero Signer", &signer.Signer{}, newReq(t, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.s.Sign(tt.req); err == nil {
				t.Fatal("Sign succeeded")
			}
			if tt.req != nil && tt.req.Header.Get("Authorization") != "" {
				t.Fatal("Authorization set despite the error")
			}
		})
	}
}

// Edit must fit oapi-codegen's RequestEditorFn and behave like Sign.
func TestEditIsRequestEditorFn(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	var editor func(ctx context.Context, req *http.Request) error = s.Edit //nolint:staticcheck // the declared type is the test: Edit fits oapi-codegen's RequestEditorFn
	req, err := http.NewRequest(http.MethodPost, baseURL+v.Fullpath, strings.NewReader(v.Body))
	if err != nil {
		t.Fatal(err)
	}
	if err := editor(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != v.Authorization {
		t.Fatalf("Authorization = %q, want %q", got, v.Authorization)
	}
	if err := editor(context.Background(), nil); err == nil {
		t.Fatal("Edit(nil) succeeded")
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name, key, token string
		opts             []signer.Option
		wantInErr        string
	}{
		{"empty key", "", "tok", nil, "merchant key"},
		{"empty token", "key", "", nil, "authenticity token"},
		{"token with a space", "key", "tok en", nil, "authenticity token"},
		{"token with a newline", "key", "tok\r\nX-Evil: 1", nil, "authenticity token"},
		{"zero window", "key", "tok", []signer.Option{signer.WithWindow(0)}, "window"},
		{"negative window", "key", "tok", []signer.Option{signer.WithWindow(-time.Second)}, "window"},
		{"nil clock", "key", "tok", []signer.Option{signer.WithClock(nil)}, "clock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := signer.New(tt.key, tt.token, tt.opts...)
			if err == nil {
				t.Fatalf("New succeeded: %v", s)
			}
			if s != nil {
				t.Fatal("New returned a Signer with its error")
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Fatalf("error %q does not name %q", err, tt.wantInErr)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	v := docsVector(t)
	// Default clock is time.Now: a fresh signature verifies.
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken)
	req := newReq(t, strings.NewReader(v.Body))
	if err := s.Sign(req); err != nil {
		t.Fatal(err)
	}
	_, _, ts, _ := fields(t, req.Header.Get("Authorization"))
	now := time.Now().Unix()
	if got := mustParseInt(t, ts); got < now-5 || got > now+5 {
		t.Fatalf("timestamp %d is not near now %d", got, now)
	}
	// Default window is 15 minutes.
	at := func(sec int64) *signer.Signer {
		return mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(sec)))
	}
	base := v.unix(t)
	if err := at(base+15*60).Verify(v.Authorization, v.Fullpath, []byte(v.Body)); err != nil {
		t.Fatalf("15 minutes late: %v", err)
	}
	if err := at(base+15*60+1).Verify(v.Authorization, v.Fullpath, []byte(v.Body)); !errors.Is(err, signer.ErrStale) {
		t.Fatalf("15 minutes 1 second late: err = %v, want ErrStale", err)
	}
	if signer.DefaultWindow != 15*time.Minute {
		t.Fatalf("DefaultWindow = %v", signer.DefaultWindow)
	}
}

// Run with -race: one Signer shared by many goroutines.
func TestSignConcurrent(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				req, err := http.NewRequest(http.MethodPost, baseURL+v.Fullpath, strings.NewReader(v.Body))
				if err != nil {
					errs <- err
					return
				}
				if err := s.Sign(req); err != nil {
					errs <- err
					return
				}
				if got := req.Header.Get("Authorization"); got != v.Authorization {
					errs <- errors.New("concurrent Sign produced a different header")
					return
				}
				if err := s.VerifyRequest(req, []byte(v.Body)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
