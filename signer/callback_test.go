package signer_test

import (
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/monri-go/monri/signer"
)

// Vectors computed independently with sha512sum:
//
//	printf '%s' 'qwert1234{"order_number":...}' | sha512sum
const (
	cbKey    = "qwert1234"
	cbBody   = `{"order_number":"order-1","status":"approved","response_code":"0000"}`
	cbDigest = "e5f5af728b7523c483ab097a9af15506cc583124864fa58c199a04b048d2890801999598becc3a19a7ae5fadb9e5f8a0f5fab9cf1c2a39ef6eb9c54ea76f5ef8"

	// qwert1234 + https://shop.example/ok?order_number=order-1
	urlWithQueryDigest = "3cf45774181c3d5065c291a276d3697f7039125da7cb72c703d976e6124f97c1915fe15851d123aa5a27c8910c15c15ec65dc050316f318617d39208a41514c8"
	// qwert1234 + https://shop.example/ok? (the "?" is kept when digest is alone)
	urlAloneDigest = "d924f166679967f8d6a25da31b1da32fb738fd8d151733bd613c74987348d98ff454df3d1c654922b4ce739622477c9f4ffc176afa0c476d7dfc03d2802fc6f8"
)

func TestCallbackDigestVector(t *testing.T) {
	if got := signer.CallbackDigest(cbKey, []byte(cbBody)); got != cbDigest {
		t.Fatalf("CallbackDigest = %s, want %s", got, cbDigest)
	}
	// An empty body signs the key alone.
	if got, want := signer.CallbackDigest(cbKey, nil), signer.CallbackDigest(cbKey, []byte{}); got != want {
		t.Fatalf("nil and empty body differ: %s, %s", got, want)
	}
}

func TestVerifyCallback(t *testing.T) {
	good := signer.CallbackScheme + " " + cbDigest
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == '0' {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
		return string(b)
	}
	cases := []struct {
		name   string
		key    string
		header string
		body   string
		want   error // nil, or the sentinel errors.Is must report
	}{
		{"valid", cbKey, good, cbBody, nil},
		{"valid with surrounding OWS", cbKey, " \t" + good + "\t ", cbBody, nil},
		{"empty header", cbKey, "", cbBody, signer.ErrMissing},
		{"only whitespace", cbKey, " \t ", cbBody, signer.ErrMissing},
		{"scheme only", cbKey, signer.CallbackScheme, cbBody, signer.ErrMalformed},
		{"digest only", cbKey, cbDigest, cbBody, signer.ErrMalformed},
		{"lower-case scheme", cbKey, "wp3-callback " + cbDigest, cbBody, signer.ErrMalformed},
		{"request scheme", cbKey, "WP3-v2.1 " + cbDigest, cbBody, signer.ErrMalformed},
		{"two spaces", cbKey, signer.CallbackScheme + "  " + cbDigest, cbBody, signer.ErrMalformed},
		{"tab separator", cbKey, signer.CallbackScheme + "\t" + cbDigest, cbBody, signer.ErrMalformed},
		{"third field", cbKey, good + " extra", cbBody, signer.ErrMalformed},
		{"upper-case hex", cbKey, signer.CallbackScheme + " " + strings.ToUpper(cbDigest), cbBody, signer.ErrMalformed},
		{"short digest", cbKey, good[:len(good)-1], cbBody, signer.ErrMalformed},
		{"long digest", cbKey, good + "0", cbBody, signer.ErrMalformed},
		{"non-hex digest", cbKey, good[:len(good)-1] + "g", cbBody, signer.ErrMalformed},
		{"tampered body", cbKey, good, strings.Replace(cbBody, "0000", "0001", 1), signer.ErrMismatch},
		{"body with a trailing newline", cbKey, good, cbBody + "\n", signer.ErrMismatch},
		{"empty body", cbKey, good, "", signer.ErrMismatch},
		{"tampered digest, first byte", cbKey, flip(good, len(signer.CallbackScheme)+1), cbBody, signer.ErrMismatch},
		{"tampered digest, last byte", cbKey, flip(good, len(good)-1), cbBody, signer.ErrMismatch},
		{"wrong key", "qwert12345", good, cbBody, signer.ErrMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := signer.VerifyCallback(c.key, c.header, []byte(c.body))
			if c.want == nil {
				if err != nil {
					t.Fatalf("VerifyCallback: %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("VerifyCallback = %v, want %v", err, c.want)
			}
			// Exactly one of the sentinels.
			n := 0
			for _, s := range []error{signer.ErrMissing, signer.ErrMalformed, signer.ErrMismatch, signer.ErrUnknownToken, signer.ErrStale} {
				if errors.Is(err, s) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%v matches %d sentinels", err, n)
			}
		})
	}
}

func TestVerifyCallbackEmptyKey(t *testing.T) {
	err := signer.VerifyCallback("", signer.CallbackScheme+" "+signer.CallbackDigest("", nil), nil)
	if err == nil || errors.Is(err, signer.ErrMismatch) || errors.Is(err, signer.ErrMalformed) {
		t.Fatalf("empty key: %v", err)
	}
}

func TestVerifyCallbackRoundTrip(t *testing.T) {
	for _, body := range []string{"", "{}", cbBody, strings.Repeat("é", 10000), "\x00\xff"} {
		h := signer.CallbackScheme + " " + signer.CallbackDigest(cbKey, []byte(body))
		if err := signer.VerifyCallback(cbKey, h, []byte(body)); err != nil {
			t.Fatalf("body %q: %v", body[:min(len(body), 10)], err)
		}
	}
}

func TestVerifySuccessURL(t *testing.T) {
	const (
		withQuery = "https://shop.example/ok?order_number=order-1&digest=" + urlWithQueryDigest
		alone     = "https://shop.example/ok?digest=" + urlAloneDigest
	)
	cases := []struct {
		name string
		url  string
		want error
	}{
		// The two forms of "the full URL without the &digest=… part".
		{"after other parameters: signed part ends before &digest=", withQuery, nil},
		{"the only parameter: signed part ends with the ?", alone, nil},

		// Tampering with any byte of the signed part.
		{"tampered parameter value", strings.Replace(withQuery, "order-1", "order-2", 1), signer.ErrMismatch},
		{"tampered host", strings.Replace(withQuery, "shop.example", "shop.evil", 1), signer.ErrMismatch},
		{"other scheme", strings.Replace(withQuery, "https:", "http:", 1), signer.ErrMismatch},
		{"tampered path", strings.Replace(withQuery, "/ok?", "/ok/?", 1), signer.ErrMismatch},
		{"added parameter", strings.Replace(withQuery, "&digest=", "&paid=1&digest=", 1), signer.ErrMismatch},
		{"dropped parameter", alone[:len("https://shop.example/ok?")] + "digest=" + urlWithQueryDigest, signer.ErrMismatch},
		{"percent-encoded differently", "https://shop.example/ok?order_number=order%2D1&digest=" + urlWithQueryDigest, signer.ErrMismatch},
		{"an empty query before &digest= signs the same bytes", "https://shop.example/ok?&digest=" + urlAloneDigest, nil},
		{"another digest", strings.Replace(withQuery, urlWithQueryDigest, urlAloneDigest, 1), signer.ErrMismatch},

		// Where the digest may be, and what it may look like.
		{"no query", "https://shop.example/ok", signer.ErrMissing},
		{"no digest parameter", "https://shop.example/ok?order_number=order-1", signer.ErrMissing},
		{"digest name is case-sensitive", "https://shop.example/ok?Digest=" + urlAloneDigest, signer.ErrMissing},
		{"a parameter ending in digest is another parameter", "https://shop.example/ok?xdigest=" + urlAloneDigest, signer.ErrMissing},
		{"digest not last", "https://shop.example/ok?digest=" + urlAloneDigest + "&order_number=order-1", signer.ErrMalformed},
		{"two digests", "https://shop.example/ok?digest=" + urlAloneDigest + "&digest=" + urlAloneDigest, signer.ErrMalformed},
		{"empty digest", "https://shop.example/ok?digest=", signer.ErrMalformed},
		{"bare digest name", "https://shop.example/ok?digest", signer.ErrMalformed},
		{"upper-case hex", "https://shop.example/ok?digest=" + strings.ToUpper(urlAloneDigest), signer.ErrMalformed},
		{"short digest", alone[:len(alone)-1], signer.ErrMalformed},
		{"fragment", alone + "#top", signer.ErrMalformed},
		{"relative URL", "/ok?digest=" + urlAloneDigest, signer.ErrMalformed},
		{"no host", "https:///ok?digest=" + urlAloneDigest, signer.ErrMalformed},
		{"other scheme", "ftp://shop.example/ok?digest=" + urlAloneDigest, signer.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := signer.VerifySuccessURL(cbKey, c.url)
			if c.want == nil {
				if err != nil {
					t.Fatalf("VerifySuccessURL: %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("VerifySuccessURL = %v, want %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "signer: success URL: ") {
				t.Fatalf("message %q does not say it is about the success URL", err)
			}
		})
	}
	if err := signer.VerifySuccessURL("qwert12345", withQuery); !errors.Is(err, signer.ErrMismatch) {
		t.Fatalf("wrong key: %v", err)
	}
	if err := signer.VerifySuccessURL("", withQuery); err == nil || errors.Is(err, signer.ErrMismatch) {
		t.Fatalf("empty key: %v", err)
	}
}

func TestSignSuccessURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://shop.example/ok", "https://shop.example/ok?digest=" + urlAloneDigest},
		{"https://shop.example/ok?order_number=order-1", "https://shop.example/ok?order_number=order-1&digest=" + urlWithQueryDigest},
	}
	for _, c := range cases {
		got, err := signer.SignSuccessURL(cbKey, c.in)
		if err != nil || got != c.want {
			t.Fatalf("SignSuccessURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	// Every URL it signs verifies, including the odd ones.
	for _, in := range []string{
		"http://127.0.0.1:8080/ok",
		"https://shop.example/ok?",
		"https://shop.example/ok?a=1&",
		"https://shop.example/ok?a=1&&b=",
		"https://shop.example/pay/order%2F1%20a/success?x=%26digest%3D",
		"HTTPS://Shop.Example:443/ok?a=b=c",
	} {
		out, err := signer.SignSuccessURL(cbKey, in)
		if err != nil {
			t.Fatalf("SignSuccessURL(%q): %v", in, err)
		}
		if !strings.HasPrefix(out, in) {
			t.Fatalf("SignSuccessURL(%q) = %q changed the URL", in, out)
		}
		if err := signer.VerifySuccessURL(cbKey, out); err != nil {
			t.Fatalf("VerifySuccessURL(SignSuccessURL(%q)): %v", in, err)
		}
	}
	for _, bad := range []string{"", "/ok", "https://shop.example/ok#top", "https://shop.example/ok?digest=1", "mailto:a@example.com"} {
		if _, err := signer.SignSuccessURL(cbKey, bad); !errors.Is(err, signer.ErrMalformed) {
			t.Fatalf("SignSuccessURL(%q) = %v, want ErrMalformed", bad, err)
		}
	}
	if _, err := signer.SignSuccessURL("", "https://shop.example/ok"); err == nil {
		t.Fatal("SignSuccessURL with an empty key succeeded")
	}
}

// The callback and success URL errors never quote the key, the header, the
// digest or the URL.
func TestCallbackErrorsKeepSecrets(t *testing.T) {
	body := []byte(`{"order_number":"o-1"}`)
	digest := signer.CallbackDigest(secretKey, body)
	var errs []error
	for _, h := range []string{
		"", "WP3-callback", "wp3-callback " + digest, "WP3-callback " + digest + " " + secretKey,
		"WP3-callback " + strings.ToUpper(digest), "WP3-callback " + secretKey, secretKey,
		"WP3-callback " + digest,
	} {
		errs = append(errs, signer.VerifyCallback(secretKey, h, append(body, '!')))
	}
	good, err := signer.SignSuccessURL(secretKey, "https://shop.example/ok?k="+secretKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{
		good + "x", good + "#" + secretKey, strings.Replace(good, "shop", "shap", 1),
		"https://shop.example/ok?digest=" + digest + "&k=" + secretKey, "/" + secretKey,
	} {
		errs = append(errs, signer.VerifySuccessURL(secretKey, u))
	}
	_, err = signer.SignSuccessURL(secretKey, "https://shop.example/ok?digest="+secretKey)
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("expected an error")
		}
		msg := err.Error() + fmt.Sprintf(" %+v", err)
		assertNoSecret(t, "error", msg)
		if strings.Contains(msg, digest[:16]) {
			t.Fatalf("error %q quotes the digest", msg)
		}
	}
}

func FuzzVerifySuccessURL(f *testing.F) {
	for _, s := range []string{
		"https://shop.example/ok",
		"https://shop.example/ok?a=1",
		"https://shop.example/ok?",
		"https://shop.example/ok?digest=1&a=2",
		"http://127.0.0.1:1/p%2Fq?x=&y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		signed, err := signer.SignSuccessURL(cbKey, u)
		verr := signer.VerifySuccessURL(cbKey, u) // must not panic on anything
		if err != nil {
			return
		}
		if verr == nil {
			t.Fatalf("%q verifies without a digest", u)
		}
		if err := signer.VerifySuccessURL(cbKey, signed); err != nil {
			t.Fatalf("VerifySuccessURL(SignSuccessURL(%q)) = %v", u, err)
		}
		if err := signer.VerifySuccessURL(cbKey+"x", signed); !errors.Is(err, signer.ErrMismatch) {
			t.Fatalf("another key: %v", err)
		}
	})
}

// pluginVerifies is the rule of Monri's WooCommerce and Magento plugins,
// written out from their description: take the digest parameter's value,
// remove every "&digest=<value>" from the URL and compare the digest with
// the hex SHA-512 of merchant_key + what is left.
func pluginVerifies(key, fullURL string) bool {
	i := strings.LastIndex(fullURL, "digest=")
	if i < 0 {
		return false
	}
	digest := fullURL[i+len("digest="):]
	rest := strings.ReplaceAll(fullURL, "&digest="+digest, "")
	sum := sha512.Sum512([]byte(key + rest))
	return hex.EncodeToString(sum[:]) == digest
}

// pluginSigns appends a digest the way the plugins' rule expects it:
// "&digest=" + SHA-512(key + url).
func pluginSigns(key, u string) string {
	sum := sha512.Sum512([]byte(key + u))
	return u + "&digest=" + hex.EncodeToString(sum[:])
}

// TestSuccessURLAgreesWithThePlugins checks SignSuccessURL and
// VerifySuccessURL against the plugins' rule on every URL shape the two
// can meet, and pins the one they cannot: digest as the only parameter.
func TestSuccessURLAgreesWithThePlugins(t *testing.T) {
	for _, u := range []string{
		"https://shop.example/ok?order_number=order-1",
		"https://shop.example/ok?order_number=order-1&approval_code=914783&response_code=0000",
		"https://shop.example/ok?",
		"https://shop.example/ok?a=1&",
		"https://shop.example/ok?a=1&&b=",
		"https://shop.example/?page_id=6&order-received=12&key=wc_order_x",
		"https://shop.example/pay/order%2F1%20a/success?x=%26digest%3D1",
		"https://shop.example/ok?xdigest=1&digestx=2",
		"http://127.0.0.1:8080/ok?a=b=c",
		"HTTPS://Shop.Example:443/ok?a=%20",
	} {
		t.Run(u, func(t *testing.T) {
			signed, err := signer.SignSuccessURL(cbKey, u)
			if err != nil {
				t.Fatalf("SignSuccessURL: %v", err)
			}
			if !pluginVerifies(cbKey, signed) {
				t.Errorf("the plugins' rule rejects SignSuccessURL's %q", signed)
			}
			if byPlugin := pluginSigns(cbKey, u); byPlugin != signed {
				t.Errorf("SignSuccessURL = %q, the plugins' rule signs %q", signed, byPlugin)
			}
			if err := signer.VerifySuccessURL(cbKey, pluginSigns(cbKey, u)); err != nil {
				t.Errorf("VerifySuccessURL rejects what the plugins' rule accepts: %v", err)
			}
			tampered := strings.Replace(signed, "/ok", "/ko", 1)
			tampered = strings.Replace(tampered, "shop.example/", "shop.evil/", 1)
			if pluginVerifies(cbKey, tampered) || signer.VerifySuccessURL(cbKey, tampered) == nil {
				t.Errorf("a tampered URL passes: %q", tampered)
			}
			if pluginVerifies("another-key", signed) || signer.VerifySuccessURL("another-key", signed) == nil {
				t.Error("another key passes")
			}
		})
	}

	// The one case they cannot agree on: no other query parameter. The
	// plugins only remove "&digest=", so no digest ever passes their rule;
	// this package signs the URL with its "?" kept, and both of its
	// functions agree with each other.
	signed, err := signer.SignSuccessURL(cbKey, "https://shop.example/ok")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://shop.example/ok?digest=" + urlAloneDigest; signed != want {
		t.Fatalf("SignSuccessURL = %q, want %q", signed, want)
	}
	if pluginVerifies(cbKey, signed) {
		t.Error("the plugins' rule now verifies a digest-only URL: update the docs")
	}
	if err := signer.VerifySuccessURL(cbKey, signed); err != nil {
		t.Errorf("VerifySuccessURL: %v", err)
	}
}
