// Package signer signs and verifies Monri WP3-v2.1 Authorization headers.
//
// That is its one job. A request carries
//
//	Authorization: WP3-v2.1 <authenticity_token> <timestamp> <digest>
//
// where timestamp is Unix seconds and digest is the lowercase hex SHA-512 of
// merchant_key + timestamp + authenticity_token + fullpath + body. fullpath is
// the request target as sent (path plus query string) and body is the exact
// bytes sent; a request without a body signs the empty string.
//
// A [Signer] holds the merchant key and authenticity token. It never prints,
// logs or returns them in an error.
package signer

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Scheme is the authorization scheme, the first field of the header.
const Scheme = "WP3-v2.1"

// DefaultWindow is how far a timestamp may be from the verifier's clock, in
// either direction, unless [WithWindow] says otherwise.
const DefaultWindow = 15 * time.Minute

// redacted replaces secrets wherever a Signer is printed or logged.
const redacted = "[redacted]"

// Signer signs outgoing requests and verifies incoming ones with one merchant
// key and authenticity token. Create it with [New]. It is immutable and safe
// for concurrent use.
//
// The secrets are captured by a closure rather than stored in a field: fmt
// and other reflection-based printers can walk into pointers and structs,
// even unexported ones (for example a Signer value inside another struct
// printed with %s), but a func prints as an address and its captured
// variables are out of reflection's reach.
type Signer struct {
	creds  func() *credentials
	clock  func() time.Time
	window time.Duration
}

type credentials struct {
	merchantKey       string
	authenticityToken string
}

// Option configures a Signer in [New].
type Option func(*config)

type config struct {
	clock  func() time.Time
	window time.Duration
}

// WithClock sets the clock used for the timestamp in Sign and as "now" in
// Verify. The default is time.Now. A nil clock makes New fail.
func WithClock(clock func() time.Time) Option {
	return func(c *config) { c.clock = clock }
}

// WithWindow sets how far, in either direction, a timestamp may be from the
// clock for Verify to accept it. The default is [DefaultWindow]. Timestamps
// have one-second resolution, so the window is effectively rounded down to
// whole seconds. A non-positive window makes New fail.
func WithWindow(window time.Duration) Option {
	return func(c *config) { c.window = window }
}

// New returns a Signer for the given merchant key and authenticity token.
//
// It fails if either is empty, if the token holds a byte that cannot appear
// in the header's token field (anything but visible ASCII 0x21-0x7E), if the
// clock is nil or if the window is not positive. Errors name the problem but
// never include the key or token.
func New(merchantKey, authenticityToken string, opts ...Option) (*Signer, error) {
	if merchantKey == "" {
		return nil, errors.New("signer: empty merchant key")
	}
	if authenticityToken == "" {
		return nil, errors.New("signer: empty authenticity token")
	}
	if !validToken(authenticityToken) {
		// Such a token would yield a header that no verifier can parse.
		return nil, errors.New("signer: authenticity token holds a character other than visible ASCII (0x21-0x7E)")
	}
	c := config{clock: time.Now, window: DefaultWindow}
	for _, opt := range opts {
		if opt != nil {
			opt(&c)
		}
	}
	if c.clock == nil {
		return nil, errors.New("signer: WithClock: nil clock")
	}
	if c.window <= 0 {
		return nil, errors.New("signer: WithWindow: window must be positive")
	}
	creds := &credentials{merchantKey: merchantKey, authenticityToken: authenticityToken}
	return &Signer{
		creds:  func() *credentials { return creds },
		clock:  c.clock,
		window: c.window,
	}, nil
}

// validToken reports whether tok is non-empty visible ASCII, the alphabet
// both New and Verify accept for the token field.
func validToken(tok string) bool {
	if tok == "" {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < 0x21 || tok[i] > 0x7e {
			return false
		}
	}
	return true
}

var (
	errNilSigner  = errors.New("signer: nil or zero Signer; create one with New")
	errNilRequest = errors.New("signer: nil request")
	errNilURL     = errors.New("signer: request has nil URL")
	errNilGetBody = errors.New("signer: request GetBody returned a nil body")
	errFullpath   = errors.New("signer: SignBytes: fullpath must start with /")
)

func (s *Signer) ready() bool { return s != nil && s.creds != nil && s.clock != nil }

// Digest returns the lowercase hex SHA-512 of
// merchantKey + timestamp + authenticityToken + fullpath + body, the digest
// field of a WP3-v2.1 header.
func Digest(merchantKey, timestamp, authenticityToken, fullpath string, body []byte) string {
	st := getState()
	defer putState(st)
	st.writePrefix(merchantKey, timestamp, authenticityToken, fullpath)
	st.h.Write(body)
	var out [2 * sha512.Size]byte
	hex.Encode(out[:], st.h.Sum(st.sum[:0]))
	return string(out[:])
}

// Sign sets the request's Authorization header to
// "WP3-v2.1 <token> <unix seconds> <digest>", replacing any existing one.
//
// fullpath is req.URL.RequestURI(), the target net/http writes on the request
// line. The body is hashed without being consumed:
//   - a nil body or http.NoBody signs the empty string;
//   - if req.GetBody is set, Sign hashes a fresh copy from it;
//   - otherwise Sign reads req.Body in full, closes it and replaces it with a
//     replayable copy, setting req.GetBody (and ContentLength, if it was
//     unknown) as http.NewRequest does for in-memory bodies. If that read
//     fails, the half-read body is closed too, as net/http would.
//
// A body that cannot be read (GetBody or read error) is an error, never a
// signature over an empty body; on error the headers are left untouched.
// A caller that holds the body's bytes signs with [Signer.SignBody] instead,
// which replays nothing.
func (s *Signer) Sign(req *http.Request) error {
	if !s.ready() {
		return errNilSigner
	}
	if req == nil {
		return errNilRequest
	}
	if req.URL == nil {
		return errNilURL
	}
	return s.setHeader(req, req.URL.RequestURI(), nil, req)
}

// SignBody sets req's Authorization header like [Signer.Sign], but signs
// body, the bytes the caller already holds and sends as req's body, instead
// of reading req.Body or calling req.GetBody. A transport that keeps the
// body it marshalled signs each attempt with it without replaying the
// request; body must be exactly the bytes sent (nil or empty for none).
// fullpath is req.URL.RequestURI(). req.Body, req.GetBody and
// req.ContentLength are left as they are.
func (s *Signer) SignBody(req *http.Request, body []byte) error {
	if !s.ready() {
		return errNilSigner
	}
	if req == nil {
		return errNilRequest
	}
	if req.URL == nil {
		return errNilURL
	}
	return s.setHeader(req, req.URL.RequestURI(), body, nil)
}

// SignBytes returns the Authorization header value,
// "WP3-v2.1 <token> <unix seconds> <digest>", for a request to fullpath
// (the path plus query string, as on the request line) whose body is
// exactly body (nil or empty for none). It is [Signer.SignBody] for callers
// that build the request themselves.
func (s *Signer) SignBytes(fullpath string, body []byte) (string, error) {
	if !s.ready() {
		return "", errNilSigner
	}
	if !strings.HasPrefix(fullpath, "/") {
		return "", errFullpath
	}
	st := getState()
	defer putState(st)
	return string(s.authorization(st, fullpath, body)), nil
}

// setHeader signs fullpath and the body, read from hashReq when it is set
// and taken from body otherwise, and sets req's header: one allocation for
// the string, one for the []string.
func (s *Signer) setHeader(req *http.Request, fullpath string, body []byte, hashReq *http.Request) error {
	st := getState()
	defer putState(st)
	var v []byte
	if hashReq != nil {
		b := s.prefix(st, fullpath)
		if err := st.hashBody(hashReq); err != nil {
			return err
		}
		v = s.finish(st, b)
	} else {
		v = s.authorization(st, fullpath, body)
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	// Header.Set with a key already in canonical form, minus the key check.
	req.Header["Authorization"] = []string{string(v)}
	return nil
}

// authorization hashes the prefix and body and returns the header value in
// st's scratch buffer, valid until st goes back to the pool.
func (s *Signer) authorization(st *hashState, fullpath string, body []byte) []byte {
	b := s.prefix(st, fullpath)
	st.h.Write(body)
	return s.finish(st, b)
}

// prefix resets st's hash, writes merchant key, timestamp, token and
// fullpath into it, and leaves the timestamp at st.ts.
func (s *Signer) prefix(st *hashState, fullpath string) []byte {
	st.ts = strconv.AppendInt(st.tsBuf[:0], s.clock().Unix(), 10)
	creds := s.creds()
	// A local slice, stored back once: appending to st.buf directly would
	// cost a GC write barrier per append.
	b := append(st.buf[:0], creds.merchantKey...)
	b = append(b, st.ts...)
	b = append(b, creds.authenticityToken...)
	b = append(b, fullpath...)
	st.buf = b
	st.h.Reset()
	st.h.Write(b)
	return b
}

// finish sums the hash and builds the header value in the scratch buffer.
func (s *Signer) finish(st *hashState, b []byte) []byte {
	sum := st.h.Sum(st.sum[:0])
	b = append(b[:0], Scheme...)
	b = append(b, ' ')
	b = append(b, s.creds().authenticityToken...)
	b = append(b, ' ')
	b = append(b, st.ts...)
	b = append(b, ' ')
	b = hex.AppendEncode(b, sum)
	st.buf = b
	return b
}

// Edit signs req. Its signature matches oapi-codegen's RequestEditorFn, so a
// generated client can take it as gen.WithRequestEditorFn(s.Edit).
func (s *Signer) Edit(_ context.Context, req *http.Request) error {
	return s.Sign(req)
}

// hashBody writes the body bytes into st.h without consuming req.Body.
func (st *hashState) hashBody(req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return fmt.Errorf("signer: cannot get a copy of the request body: %w", err)
		}
		if rc == nil {
			return errNilGetBody
		}
		defer rc.Close() // a fresh copy only for us; its close error says nothing about the bytes
		if wt, ok := rc.(io.WriterTo); ok {
			// bytes.Reader and friends write straight into the hash: no copy buffer.
			_, err = wt.WriteTo(st.h)
		} else {
			if st.copyBuf == nil {
				st.copyBuf = make([]byte, copyBufSize)
			}
			_, err = io.CopyBuffer(st.h, rc, st.copyBuf)
		}
		if err != nil {
			return fmt.Errorf("signer: cannot read the request body: %w", err)
		}
		return nil
	}

	// No way to replay the body: read it once, keep the bytes, hand them back.
	body, err := io.ReadAll(req.Body)
	// Nobody else can close the original now: on success it is replaced and
	// on failure it is half read and useless (net/http closes it on errors too).
	req.Body.Close()
	if err != nil {
		return fmt.Errorf("signer: cannot read the request body: %w", err)
	}
	st.h.Write(body)
	if len(body) == 0 {
		req.Body = http.NoBody
		req.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
	} else {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	if req.ContentLength <= 0 {
		// Was unknown (or zero with a body): now it is known, so send
		// Content-Length rather than chunked encoding, like http.NewRequest.
		req.ContentLength = int64(len(body))
	}
	return nil
}

// String returns a redacted description; the secrets never appear.
func (s Signer) String() string {
	return "signer.Signer{merchantKey:" + redacted + ", authenticityToken:" + redacted + "}"
}

// GoString is used by %#v; like String it never shows the secrets.
func (s Signer) GoString() string { return s.String() }

// LogValue makes log/slog record a Signer with redacted secrets.
func (s Signer) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("merchantKey", redacted),
		slog.String("authenticityToken", redacted),
	)
}

// hashState is per-call scratch space, pooled so that signing does not
// allocate a hash and buffers on every request.
type hashState struct {
	h       hash.Hash
	buf     []byte
	sum     [sha512.Size]byte
	tsBuf   [20]byte
	ts      []byte
	copyBuf []byte
}

const (
	copyBufSize = 8 << 10
	maxKeptBuf  = 16 << 10 // do not keep huge scratch buffers alive in the pool
)

var statePool = sync.Pool{New: func() any {
	return &hashState{h: sha512.New(), buf: make([]byte, 0, 512)}
}}

func getState() *hashState { return statePool.Get().(*hashState) }

func putState(st *hashState) {
	if cap(st.buf) > maxKeptBuf {
		st.buf = make([]byte, 0, 512)
	}
	statePool.Put(st)
}

// writePrefix resets the hash and writes everything that precedes the body.
// Building the prefix in one heap buffer avoids a string-to-[]byte
// conversion (and allocation) per piece, since hash.Hash has no WriteString.
func (st *hashState) writePrefix(merchantKey, timestamp, token, fullpath string) {
	b := append(st.buf[:0], merchantKey...)
	b = append(b, timestamp...)
	b = append(b, token...)
	b = append(b, fullpath...)
	st.buf = b
	st.h.Reset()
	st.h.Write(b)
}
