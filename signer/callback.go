package signer

import (
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"strings"
)

// What Monri sends back to the merchant (ERRATA 15 and 16), as opposed to
// the WP3-v2.1 requests the merchant sends to Monri:
//
//   - A callback is a POST to the merchant's callback URL with the header
//     "Authorization: WP3-callback <digest>", where digest is the lowercase
//     hex SHA-512 of merchant_key + the raw request body.
//   - A success redirect sends the buyer's browser to the merchant's success
//     URL with a digest query parameter appended last; digest is the hex
//     SHA-512 of merchant_key + the full URL without the digest part. See
//     VerifySuccessURL for exactly which bytes that is.
//
// Neither carries a timestamp or the authenticity token, so there is no
// window to check and no Signer is needed: the functions take the merchant
// key. Like the rest of the package they never put the key, a digest or the
// header in an error.

// CallbackScheme is the authorization scheme of Monri's callbacks, the first
// field of their Authorization header.
const CallbackScheme = "WP3-callback"

var errEmptyKey = errors.New("signer: empty merchant key")

// CallbackDigest returns the lowercase hex SHA-512 of merchantKey + body: the
// digest of a callback's "Authorization: WP3-callback <digest>" header.
func CallbackDigest(merchantKey string, body []byte) string {
	sum := callbackSum(merchantKey, body)
	return hex.EncodeToString(sum[:])
}

func callbackSum(merchantKey string, body []byte) [sha512.Size]byte {
	h := sha512.New()
	_, _ = io.WriteString(h, merchantKey)
	h.Write(body)
	var sum [sha512.Size]byte
	h.Sum(sum[:0])
	return sum
}

// VerifyCallback checks the Authorization header value of a callback
// against the raw body received, byte for byte as read from the request.
// It returns nil if the body was signed with merchantKey.
//
// The rules, each violation an error that errors.Is reports as:
//   - ErrMissing: the value is empty (after trimming the spaces and tabs
//     that HTTP allows around it).
//   - ErrMalformed: the value is not exactly "WP3-callback", one space and
//     128 lowercase hexadecimal characters. The scheme is case-sensitive.
//   - ErrMismatch: the digest is not the SHA-512 of merchantKey + body
//     (compared in constant time).
//
// An empty merchantKey is an error of its own: nothing can verify against it.
func VerifyCallback(merchantKey, authorization string, body []byte) error {
	if merchantKey == "" {
		return errEmptyKey
	}
	v := strings.Trim(authorization, " \t")
	if v == "" {
		return ErrMissing
	}
	scheme, digest, ok := strings.Cut(v, " ")
	if !ok {
		return malformed("expected " + CallbackScheme + " <digest>")
	}
	if scheme != CallbackScheme {
		return malformed("scheme must be " + CallbackScheme)
	}
	var got [sha512.Size]byte
	if !decodeDigest(got[:], digest) {
		return malformed("digest must be 128 lowercase hex characters")
	}
	want := callbackSum(merchantKey, body)
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return ErrMismatch
	}
	return nil
}

// decodeDigest decodes exactly 128 lowercase hex characters into dst.
func decodeDigest(dst []byte, s string) bool {
	if len(s) != digestHexLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	_, err := hex.Decode(dst, []byte(s))
	return err == nil
}

// urlError is an error about a success URL: its own message, and the
// sentinel it counts as for errors.Is. It never quotes the URL, which holds
// the digest.
type urlError struct {
	kind error
	msg  string
}

func (e *urlError) Error() string { return "signer: success URL: " + e.msg }
func (e *urlError) Unwrap() error { return e.kind }

func badURL(reason string) error { return &urlError{kind: ErrMalformed, msg: "malformed: " + reason} }

var (
	errURLNoDigest = &urlError{kind: ErrMissing, msg: "no digest query parameter"}
	errURLMismatch = &urlError{kind: ErrMismatch, msg: "digest mismatch"}
)

// digestName is the name of the success redirect's digest parameter.
const digestName = "digest"

// splitSuccessURL finds the digest parameter of fullURL and returns the
// signed part and the digest's value, or an error of the rules in
// VerifySuccessURL.
func splitSuccessURL(fullURL string) (signed, digest string, err error) {
	if err := checkAbsolute(fullURL); err != nil {
		return "", "", err
	}
	q := strings.IndexByte(fullURL, '?')
	if q < 0 {
		return "", "", errURLNoDigest
	}
	query := fullURL[q+1:]
	last, cut := query, q+1 // the last parameter, and where the signed part ends: after the "?" when digest is alone
	if amp := strings.LastIndexByte(query, '&'); amp >= 0 {
		last, cut = query[amp+1:], q+1+amp
	}
	earlier := query[:len(query)-len(last)]
	name, value, _ := strings.Cut(last, "=")
	if name != digestName {
		if hasParam(query, digestName) {
			return "", "", badURL("digest must be the last query parameter")
		}
		return "", "", errURLNoDigest
	}
	if hasParam(earlier, digestName) {
		return "", "", badURL("more than one digest parameter")
	}
	return fullURL[:cut], value, nil
}

// checkAbsolute requires an absolute http or https URL without a fragment.
func checkAbsolute(u string) error {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok || (!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https")) ||
		rest == "" || rest[0] == '/' || rest[0] == '?' {
		return badURL("must be an absolute http or https URL, as the browser requested it")
	}
	if strings.IndexByte(u, '#') >= 0 {
		return badURL("must not have a fragment: browsers do not send it")
	}
	return nil
}

// hasParam reports whether the query (parameters separated by &) has a
// parameter with the given name, exactly as written (not decoded).
func hasParam(query, name string) bool {
	for query != "" {
		var p string
		p, query, _ = strings.Cut(query, "&")
		if k, _, _ := strings.Cut(p, "="); k == name {
			return true
		}
	}
	return false
}

// VerifySuccessURL checks the digest of a success redirect: fullURL is the
// absolute URL the buyer's browser was sent to, exactly as requested
// (scheme, host, path and query, nothing decoded, re-encoded or reordered).
// It returns nil if the digest parameter was made with merchantKey.
//
// "The full URL without the &digest=… part", precisely:
//
//   - The digest must be the last query parameter, digest=<128 lowercase
//     hex>, so the URL ends with it.
//   - When other parameters precede it, the URL ends "&digest=<hex>" and
//     the signed part is everything before that "&". This is the rule of
//     Monri's WooCommerce and Magento plugins (they remove "&digest=<hex>"
//     and hash merchant_key + the rest), and every redirect Monri makes
//     carries other parameters (order_number, response_code, ...).
//   - When it is the only parameter, the URL ends "?digest=<hex>". The
//     plugins cannot verify such a URL at all: they only remove
//     "&digest=…", so what they hash still holds the digest. This package
//     then removes "digest=<hex>" and keeps the "?": the signed part ends
//     with "?", as SignSuccessURL signs it.
//
// digest must then be the hex SHA-512 of merchantKey + the signed part.
// For example, for https://shop.example/ok?order_number=1&digest=<hex> the
// signed part is https://shop.example/ok?order_number=1, and for
// https://shop.example/ok?digest=<hex> it is https://shop.example/ok?.
// [SignSuccessURL] appends a digest by these rules.
//
// Errors, for errors.Is:
//   - ErrMalformed: fullURL is not an absolute http or https URL, has a
//     fragment, has a digest parameter that is not the last one, has more
//     than one, or its value is not 128 lowercase hex characters.
//   - ErrMissing: there is no digest parameter.
//   - ErrMismatch: the digest does not match (compared in constant time).
//
// An empty merchantKey is an error of its own. Errors never quote the URL.
func VerifySuccessURL(merchantKey, fullURL string) error {
	if merchantKey == "" {
		return errEmptyKey
	}
	signed, digest, err := splitSuccessURL(fullURL)
	if err != nil {
		return err
	}
	var got [sha512.Size]byte
	if !decodeDigest(got[:], digest) {
		return badURL("digest must be 128 lowercase hex characters")
	}
	want := callbackSum(merchantKey, []byte(signed))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return errURLMismatch
	}
	return nil
}

// SignSuccessURL appends the digest parameter to rawURL as Monri does on a
// success redirect, so that VerifySuccessURL accepts the result: it adds
// "&digest=<hex>" when rawURL has a query (even an empty one:
// "https://shop.example/ok?" becomes "https://shop.example/ok?&digest=<hex>"),
// where hex is the SHA-512 of merchantKey + rawURL, which is what Monri's
// plugins check. When rawURL has no query it adds "?digest=<hex>" with hex
// the SHA-512 of merchantKey + rawURL + "?": a URL the plugins cannot
// verify (see VerifySuccessURL), so give a success URL with a query, or let
// Monri add its parameters first, when the plugins must read it. It is for
// servers that play Monri's part, such as package mock, and for tests.
//
// rawURL must be an absolute http or https URL without a fragment and
// without a digest parameter; merchantKey must not be empty.
func SignSuccessURL(merchantKey, rawURL string) (string, error) {
	if merchantKey == "" {
		return "", errEmptyKey
	}
	if err := checkAbsolute(rawURL); err != nil {
		return "", err
	}
	q := strings.IndexByte(rawURL, '?')
	if q < 0 {
		signed := rawURL + "?"
		return signed + digestName + "=" + CallbackDigest(merchantKey, []byte(signed)), nil
	}
	if hasParam(rawURL[q+1:], digestName) {
		return "", badURL("already has a digest parameter")
	}
	return rawURL + "&" + digestName + "=" + CallbackDigest(merchantKey, []byte(rawURL)), nil
}
