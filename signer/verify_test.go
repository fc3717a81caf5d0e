package signer_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/monri-go/monri/signer"
)

var sentinels = []error{signer.ErrMissing, signer.ErrMalformed, signer.ErrUnknownToken, signer.ErrStale, signer.ErrMismatch}

// checkKind asserts err is want and none of the other sentinels.
func checkKind(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	for _, other := range sentinels {
		if other != want && errors.Is(err, other) { //nolint:errorlint // two sentinels compared, not a returned error
			t.Fatalf("err = %v is also %v", err, other)
		}
	}
}

// checkNoEcho asserts the error quotes none of the secrets or header fields.
func checkNoEcho(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range secrets {
		if len(s) >= 6 && strings.Contains(err.Error(), s) {
			t.Fatalf("error %q echoes %q", err, s)
		}
	}
}

func TestSentinelsAreDistinct(t *testing.T) {
	for i, a := range sentinels {
		for j, b := range sentinels {
			if i != j && (errors.Is(a, b) || a.Error() == b.Error()) {
				t.Fatalf("%v and %v are not distinct", a, b)
			}
		}
	}
}

func TestVerifyRoundTrip(t *testing.T) {
	const key, token = "round-trip-key", "round-trip-token-0123456789abcdef"
	s := mustNew(t, key, token, signer.WithClock(fixedClock(1700000000)))
	for _, tt := range []struct{ method, url, body string }{
		{http.MethodPost, baseURL + "/v2/customers", `{"name":"Test","email":"test@example.com"}`},
		{http.MethodGet, baseURL + "/v2/customers?limit=10&offset=20", ""},
		{http.MethodDelete, baseURL + "/v2/customers/abc", ""},
	} {
		t.Run(tt.method, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Sign(req); err != nil {
				t.Fatal(err)
			}
			checkKind(t, s.VerifyRequest(req, []byte(tt.body)), nil)
			checkKind(t, s.Verify(req.Header.Get("Authorization"), req.URL.RequestURI(), []byte(tt.body)), nil)
			// The same header with one more body byte must fail: Verify really checks.
			checkKind(t, s.VerifyRequest(req, []byte(tt.body+" ")), signer.ErrMismatch)
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	tok, ts, dg := v.AuthenticityToken, v.Timestamp, v.Digest
	join := func(f ...string) string { return strings.Join(f, " ") }
	tests := []struct{ name, header string }{
		{"wrong scheme", join("WP3-v2.0", tok, ts, dg)},
		{"other scheme", join("Bearer", tok, ts, dg)},
		{"lower-case scheme", join("wp3-v2.1", tok, ts, dg)},
		{"scheme only", "WP3-v2.1"},
		{"3 fields", join("WP3-v2.1", tok, ts)},
		{"3 fields without scheme", join(tok, ts, dg)},
		{"5 fields", join("WP3-v2.1", tok, ts, dg, "extra")},
		{"double space", "WP3-v2.1 " + tok + "  " + ts + " " + dg},
		{"tab separator", "WP3-v2.1\t" + tok + " " + ts + " " + dg},
		{"tab inside a field", join("WP3-v2.1", tok+"\tx", ts, dg)},
		{"token with non-ASCII", join("WP3-v2.1", "tökén", ts, dg)},
		{"non-digit timestamp", join("WP3-v2.1", tok, "15934571x2", dg)},
		{"negative timestamp", join("WP3-v2.1", tok, "-1593457122", dg)},
		{"fractional timestamp", join("WP3-v2.1", tok, "1593457122.5", dg)},
		{"millisecond-sized timestamp of 20 digits", join("WP3-v2.1", tok, "15934571220000000000", dg)},
		{"short digest", join("WP3-v2.1", tok, ts, dg[:127])},
		{"long digest", join("WP3-v2.1", tok, ts, dg+"0")},
		{"uppercase hex digest", join("WP3-v2.1", tok, ts, strings.ToUpper(dg))},
		{"non-hex digest", join("WP3-v2.1", tok, ts, "g"+dg[1:])},
		{"base64 digest", join("WP3-v2.1", tok, ts, strings.Repeat("A", 86)+"==")},
		{"comma-joined duplicate", v.Authorization + ", " + v.Authorization},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Verify(tt.header, v.Fullpath, []byte(v.Body))
			checkKind(t, err, signer.ErrMalformed)
			checkNoEcho(t, err, tt.header, tok, dg, strings.ToUpper(dg), ts, v.MerchantKey, "Bearer", "tökén")
		})
	}
}

func TestVerifyOutcomes(t *testing.T) {
	v := docsVector(t)
	const window = 90 * time.Second
	base := v.unix(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(base)), signer.WithWindow(window))
	// header signs fullpath and body at timestamp ts with the real key and token.
	header := func(ts, fullpath, body string) string {
		return "WP3-v2.1 " + v.AuthenticityToken + " " + ts + " " +
			signer.Digest(v.MerchantKey, ts, v.AuthenticityToken, fullpath, []byte(body))
	}
	otherToken := "0000000000000000000000000000000000000000"
	tests := []struct {
		name, header, fullpath, body string
		want                         error
	}{
		{"valid", v.Authorization, v.Fullpath, v.Body, nil},
		{"leading and trailing whitespace is ignored", " \t" + v.Authorization + " \t", v.Fullpath, v.Body, nil},
		{"leading zeros in timestamp", header("0"+v.Timestamp, v.Fullpath, v.Body), v.Fullpath, v.Body, nil},
		{"empty", "", v.Fullpath, v.Body, signer.ErrMissing},
		{"whitespace only", "  \t ", v.Fullpath, v.Body, signer.ErrMissing},
		{"wrong token", "WP3-v2.1 " + otherToken + " " + v.Timestamp + " " +
			signer.Digest(v.MerchantKey, v.Timestamp, otherToken, v.Fullpath, []byte(v.Body)), v.Fullpath, v.Body, signer.ErrUnknownToken},
		{"token prefix", "WP3-v2.1 " + v.AuthenticityToken[:39] + " " + v.Timestamp + " " + v.Digest, v.Fullpath, v.Body, signer.ErrUnknownToken},
		{"exactly window old", header(formatInt(base-90), v.Fullpath, v.Body), v.Fullpath, v.Body, nil},
		{"exactly window new", header(formatInt(base+90), v.Fullpath, v.Body), v.Fullpath, v.Body, nil},
		{"one second older than window", header(formatInt(base-91), v.Fullpath, v.Body), v.Fullpath, v.Body, signer.ErrStale},
		{"one second newer than window", header(formatInt(base+91), v.Fullpath, v.Body), v.Fullpath, v.Body, signer.ErrStale},
		{"zero timestamp", header("0", v.Fullpath, v.Body), v.Fullpath, v.Body, signer.ErrStale},
		{"milliseconds instead of seconds", header(v.Timestamp+"000", v.Fullpath, v.Body), v.Fullpath, v.Body, signer.ErrStale},
		{"19 digits beyond int64", header("9999999999999999999", v.Fullpath, v.Body), v.Fullpath, v.Body, signer.ErrStale},
		{"the largest int64", header("9223372036854775807", v.Fullpath, v.Body), v.Fullpath, v.Body, signer.ErrStale},
		{"body byte changed", v.Authorization, v.Fullpath, `{"example":"2"}`, signer.ErrMismatch},
		{"body empty", v.Authorization, v.Fullpath, "", signer.ErrMismatch},
		{"path byte changed", v.Authorization, "/v2/payment/neW", v.Body, signer.ErrMismatch},
		{"query added", v.Authorization, v.Fullpath + "?limit=1", v.Body, signer.ErrMismatch},
		{"query byte changed", header(v.Timestamp, "/v2/customers?limit=1", ""), "/v2/customers?limit=2", "", signer.ErrMismatch},
		{"query escape changed", header(v.Timestamp, "/v2/customers?q=a%20b", ""), "/v2/customers?q=a+b", "", signer.ErrMismatch},
		{"digest byte changed", "WP3-v2.1 " + v.AuthenticityToken + " " + v.Timestamp + " " + "0" + v.Digest[1:], v.Fullpath, v.Body, signer.ErrMismatch},
		{"timestamp changed within window", strings.Replace(v.Authorization, v.Timestamp, formatInt(base+1), 1), v.Fullpath, v.Body, signer.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Verify(tt.header, tt.fullpath, []byte(tt.body))
			checkKind(t, err, tt.want)
			_, tok, ts, dg := splitLoose(tt.header)
			checkNoEcho(t, err, strings.TrimSpace(tt.header), tok, ts, dg, v.AuthenticityToken, v.MerchantKey+v.Timestamp)
			if err != nil && len(v.MerchantKey) > 0 && strings.Contains(err.Error(), v.MerchantKey) {
				t.Fatalf("error %q echoes the merchant key", err)
			}
		})
	}
}

// A clock with a sub-second part still compares whole seconds.
func TestVerifyWindowWholeSeconds(t *testing.T) {
	v := docsVector(t)
	base := v.unix(t)
	clock := func() time.Time { return time.Unix(base+2, 999_999_999) }
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(clock), signer.WithWindow(2500*time.Millisecond))
	checkKind(t, s.Verify(v.Authorization, v.Fullpath, []byte(v.Body)), nil)
	s = mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(clock), signer.WithWindow(1999*time.Millisecond))
	checkKind(t, s.Verify(v.Authorization, v.Fullpath, []byte(v.Body)), signer.ErrStale)
}

// Staleness in both directions must not depend on the clock's sign.
func TestVerifyClockBeforeEpoch(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(-1<<62)))
	checkKind(t, s.Verify(v.Authorization, v.Fullpath, []byte(v.Body)), signer.ErrStale)
	const max19 = "9999999999999999999"
	h := "WP3-v2.1 " + v.AuthenticityToken + " " + max19 + " " + signer.Digest(v.MerchantKey, max19, v.AuthenticityToken, v.Fullpath, []byte(v.Body))
	checkKind(t, s.Verify(h, v.Fullpath, []byte(v.Body)), signer.ErrStale)
}

func TestVerifyRequestHeaders(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	mk := func(headers ...string) *http.Request {
		req, err := http.NewRequest(http.MethodPost, baseURL+v.Fullpath, strings.NewReader(v.Body))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range headers {
			req.Header.Add("Authorization", h)
		}
		return req
	}
	tests := []struct {
		name string
		req  *http.Request
		want error
	}{
		{"one valid header", mk(v.Authorization), nil},
		{"no header", mk(), signer.ErrMissing},
		{"nil header map", &http.Request{Method: http.MethodPost, URL: mk().URL}, signer.ErrMissing},
		{"empty header", mk(""), signer.ErrMissing},
		{"duplicate identical headers", mk(v.Authorization, v.Authorization), signer.ErrMalformed},
		{"valid and invalid headers", mk(v.Authorization, "Bearer x"), signer.ErrMalformed},
		{"query on the request", func() *http.Request { r := mk(v.Authorization); r.URL.RawQuery = "a=1"; return r }(), signer.ErrMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.VerifyRequest(tt.req, []byte(v.Body))
			checkKind(t, err, tt.want)
			checkNoEcho(t, err, v.Authorization, v.AuthenticityToken, v.Digest, v.Timestamp)
		})
	}
}

func TestVerifyInvalidInputs(t *testing.T) {
	v := docsVector(t)
	s := mustNew(t, v.MerchantKey, v.AuthenticityToken, signer.WithClock(fixedClock(v.unix(t))))
	var nilSigner *signer.Signer
	if err := s.VerifyRequest(nil, nil); err == nil {
		t.Fatal("VerifyRequest(nil) succeeded")
	}
	if err := s.VerifyRequest(&http.Request{Header: http.Header{"Authorization": {v.Authorization}}}, []byte(v.Body)); err == nil {
		t.Fatal("VerifyRequest with nil URL succeeded")
	}
	if err := nilSigner.Verify(v.Authorization, v.Fullpath, []byte(v.Body)); err == nil {
		t.Fatal("nil Signer verified")
	}
	if err := (&signer.Signer{}).Verify(v.Authorization, v.Fullpath, []byte(v.Body)); err == nil {
		t.Fatal("zero Signer verified")
	}
	if err := nilSigner.VerifyRequest(&http.Request{}, nil); err == nil {
		t.Fatal("nil Signer VerifyRequest succeeded")
	}
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// splitLoose returns the space-separated fields of a header, padding with "".
func splitLoose(h string) (a, b, c, d string) {
	f := append(strings.Split(strings.TrimSpace(h), " "), "", "", "", "")
	return f[0], f[1], f[2], f[3]
}
