package signer

import (
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// Errors returned by Verify and VerifyRequest; test for them with errors.Is.
// Errors wrapping them may add a reason, but never the header value, the
// token, the timestamp or digest sent, or the merchant key.
var (
	// ErrMissing means there is no Authorization header, or it is empty.
	ErrMissing = errors.New("signer: missing Authorization header")
	// ErrMalformed means the header does not follow the WP3-v2.1 syntax.
	ErrMalformed = errors.New("signer: malformed Authorization header")
	// ErrUnknownToken means the header names another authenticity token.
	ErrUnknownToken = errors.New("signer: unknown authenticity token")
	// ErrStale means the timestamp is further from the clock than the window
	// allows, in either direction.
	ErrStale = errors.New("signer: timestamp outside the allowed window")
	// ErrMismatch means the digest does not match the path, query and body
	// received.
	ErrMismatch = errors.New("signer: digest mismatch")
)

const digestHexLen = 2 * 64 // hex SHA-512

// maxTimestampDigits keeps every accepted timestamp within uint64, so parsing
// cannot overflow.
const maxTimestampDigits = 19

// header is a parsed WP3-v2.1 Authorization value.
type header struct {
	token     string
	timestamp string // as sent: the digest covers these exact bytes
	unix      uint64
	digest    [64]byte
}

// malformed wraps ErrMalformed with a reason that must not quote the input.
func malformed(reason string) error { return fmt.Errorf("%w: %s", ErrMalformed, reason) }

func parseHeader(v string) (header, error) {
	var h header
	// RFC 9110 optional whitespace (SP, HTAB) around a field value is not
	// part of it; net/http strips it on the server, so strip it here too.
	v = strings.Trim(v, " \t")
	if v == "" {
		return h, ErrMissing
	}
	var f [4]string
	rest := v
	for i := 0; i < 3; i++ {
		var ok bool
		f[i], rest, ok = strings.Cut(rest, " ")
		if !ok {
			return h, malformed("expected 4 fields separated by single spaces")
		}
	}
	f[3] = rest
	if strings.IndexByte(rest, ' ') >= 0 || f[0] == "" || f[1] == "" || f[2] == "" || f[3] == "" {
		return h, malformed("expected 4 fields separated by single spaces")
	}
	if f[0] != Scheme {
		return h, malformed("scheme must be " + Scheme)
	}
	if !validToken(f[1]) {
		return h, malformed("token must be visible ASCII")
	}
	ts := f[2]
	if len(ts) > maxTimestampDigits {
		return h, malformed("timestamp must be 1-19 ASCII digits")
	}
	for i := 0; i < len(ts); i++ {
		c := ts[i]
		if c < '0' || c > '9' {
			return h, malformed("timestamp must be 1-19 ASCII digits")
		}
		h.unix = h.unix*10 + uint64(c-'0')
	}
	d := f[3]
	if len(d) != digestHexLen {
		return h, malformed("digest must be 128 lowercase hex characters")
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return h, malformed("digest must be 128 lowercase hex characters")
		}
	}
	if _, err := hex.Decode(h.digest[:], []byte(d)); err != nil {
		return h, malformed("digest must be 128 lowercase hex characters")
	}
	h.token, h.timestamp = f[1], ts
	return h, nil
}

// Verify checks a WP3-v2.1 Authorization header value against the request
// target (fullpath: path plus query, exactly as received) and the body bytes
// received. It returns nil if the request was signed with this Signer's
// merchant key and token within the window.
//
// Parsing rules; a violation is ErrMalformed unless stated otherwise:
//   - Leading and trailing spaces and tabs (HTTP optional whitespace) are
//     ignored, as net/http does; a value that is then empty is ErrMissing.
//   - The value is exactly four fields separated by single ASCII spaces:
//     no double spaces, no tabs or other separators, no fifth field.
//   - The scheme is exactly "WP3-v2.1", case-sensitive ("wp3-v2.1" is malformed).
//   - The token is visible ASCII (0x21-0x7E).
//   - The timestamp is 1-19 ASCII digits of Unix seconds; leading zeros are
//     allowed and are part of what the digest covers.
//   - The digest is exactly 128 lowercase hexadecimal characters.
//
// Then, in this order: a token other than this Signer's is ErrUnknownToken
// (compared in constant time); a timestamp more than the window older or
// newer than the clock, to the second, is ErrStale (exactly at the window is
// accepted); a digest other than the one recomputed over fullpath and body is
// ErrMismatch (compared in constant time).
func (s *Signer) Verify(authorization, fullpath string, body []byte) error {
	if !s.ready() {
		return errNilSigner
	}
	h, err := parseHeader(authorization)
	if err != nil {
		return err
	}
	creds := s.creds()
	if subtle.ConstantTimeCompare([]byte(h.token), []byte(creds.authenticityToken)) != 1 {
		return ErrUnknownToken
	}
	if err := s.checkFresh(h.unix); err != nil {
		return err
	}

	st := getState()
	defer putState(st)
	st.writePrefix(creds.merchantKey, h.timestamp, h.token, fullpath)
	st.h.Write(body)
	if subtle.ConstantTimeCompare(st.h.Sum(st.sum[:0]), h.digest[:]) != 1 {
		return ErrMismatch
	}
	return nil
}

// checkFresh compares in whole seconds, the timestamp's resolution. Both
// times are kept in [0, MaxInt64], so neither difference can overflow
// whatever the input.
func (s *Signer) checkFresh(ts uint64) error {
	if ts > math.MaxInt64 {
		return fmt.Errorf("%w: timestamp is in the future", ErrStale)
	}
	t := int64(ts)
	now := max(s.clock().Unix(), 0) // a clock before 1970 reads as 1970
	limit := int64(s.window / time.Second)
	if t > now {
		if t-now > limit {
			return fmt.Errorf("%w: timestamp is in the future", ErrStale)
		}
		return nil
	}
	if now-t > limit {
		return fmt.Errorf("%w: timestamp is too old", ErrStale)
	}
	return nil
}

// VerifyRequest verifies a request received by a server: the Authorization
// header comes from req.Header and fullpath from req.URL.RequestURI(); body is
// the bytes the server read from req.Body. See Verify for the rules. No
// Authorization header is ErrMissing; more than one is ErrMalformed, since it
// is ambiguous which one counts.
//
// fullpath is rebuilt from req.URL, so call it before anything rewrites the
// URL (http.StripPrefix does); after such a rewrite, use Verify with
// req.RequestURI, the request target as received.
func (s *Signer) VerifyRequest(req *http.Request, body []byte) error {
	if !s.ready() {
		return errNilSigner
	}
	if req == nil {
		return errNilRequest
	}
	if req.URL == nil {
		return errNilURL
	}
	vals := req.Header.Values("Authorization")
	switch len(vals) {
	case 0:
		return ErrMissing
	case 1:
		return s.Verify(vals[0], req.URL.RequestURI(), body)
	default:
		return malformed("more than one Authorization header")
	}
}
