package mock

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/monri-go/monri/signer"
)

// serveOperation runs one API request through latency, faults, the body
// limit, verification and validation, then the operation.
func (s *Server) serveOperation(op *operation, w http.ResponseWriter, r *http.Request) {
	f := s.nextFault(r)
	if !s.delay(r) {
		return // the client is gone
	}
	if !f.none() && s.cfg.phase == FaultBeforeMutation {
		f.inject(w)
		return
	}
	out := w
	if !f.none() {
		out = &discardWriter{} // the response will be lost
	}
	s.process(op, out, r)
	if !f.none() {
		f.inject(w)
	}
}

func (s *Server) process(op *operation, w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	if !s.verified(w, r, body) {
		return
	}
	if s.cfg.validate {
		if msg := s.validate(op, r, body); msg != "" {
			writeError(w, http.StatusBadRequest, msg)
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	op.next(w, r)
}

// authenticatedAPIMiss checks the signature of a request that matches no
// operation when it is under /v2/ or carries an Authorization header, so
// that a request whose path was tampered with is refused as unauthenticated
// (401) like any other tampering, and the mock reveals which API routes
// exist only to signed callers. A plain request elsewhere (a browser's) passes.
func (s *Server) authenticatedAPIMiss(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, "/v2/") && r.Header.Get("Authorization") == "" {
		return true
	}
	body, ok := readBody(w, r)
	return ok && s.verified(w, r, body)
}

// readBody reads the whole body, answering 413 past MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	tooLarge := "body: must be at most " + strconv.Itoa(MaxBodyBytes) + " bytes"
	if r.ContentLength > MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
		return nil, false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "body: could not be read")
		return nil, false
	}
	return body, true
}

// readAll is io.ReadAll with a size hint: a body of the announced length
// takes one allocation, with a spare byte for the read that sees EOF. It
// reads until EOF whatever the length announced.
func readAll(rd io.Reader, contentLength int64) ([]byte, error) {
	size := 512
	if contentLength > 0 && contentLength < MaxBodyBytes {
		size = int(contentLength) + 1
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// verified checks the request's signature, answering 401 when it fails.
func (s *Server) verified(w http.ResponseWriter, r *http.Request, body []byte) bool {
	if !s.cfg.verify {
		return true
	}
	err := s.verifier.VerifyRequest(r, body)
	if err == nil {
		return true
	}
	msg := "authorization: "
	switch {
	case errors.Is(err, signer.ErrMissing):
		msg += "the Authorization header is missing"
	case errors.Is(err, signer.ErrMalformed):
		msg += "the Authorization header is malformed (want WP3-v2.1 <authenticity_token> <timestamp> <digest>)" + reason(err, signer.ErrMalformed)
	case errors.Is(err, signer.ErrUnknownToken):
		msg += "unknown authenticity token"
	case errors.Is(err, signer.ErrStale):
		msg += "the timestamp is outside the allowed window" + reason(err, signer.ErrStale)
	case errors.Is(err, signer.ErrMismatch):
		msg += "digest does not match the request"
	default:
		writeError(w, http.StatusInternalServerError, "mock: could not verify the request")
		return false
	}
	writeError(w, http.StatusUnauthorized, msg)
	return false
}

// reason returns ": <why>" from an error of the form "<sentinel>: <why>".
// The signer guarantees the reason never quotes the header or a secret.
func reason(err, sentinel error) string {
	if why, ok := strings.CutPrefix(err.Error(), sentinel.Error()+": "); ok && why != "" {
		return ": " + why
	}
	return ""
}

// discardWriter swallows a response that a fault will replace.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
