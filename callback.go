package monri

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
)

// Callback is the body of a Pay By Link payment callback, the transaction
// Monri POSTs to the link's callback_url_override once the buyer has paid.
// It is the contract's Callback schema; fields Monri sends beyond it are
// kept in AdditionalProperties. Its fields are documented at [gen.Callback].
type Callback = gen.Callback

// MaxCallbackBytes is the largest callback body CallbackHandler reads; a
// larger one is answered 413.
const MaxCallbackBytes = 1 << 20

// CallbackHandler returns the http.Handler to serve at a link's
// callback_url_override. For each request it:
//
//  1. answers 405 unless the method is POST;
//  2. reads the body, at most MaxCallbackBytes (1 MiB), answering 413
//     beyond;
//  3. verifies "Authorization: WP3-callback <digest>" against the exact
//     bytes read, with merchantKey (signer.VerifyCallback), answering 401
//     when the header is missing, malformed or does not match;
//  4. decodes the body into a Callback, accepting fields it does not know
//     (they land in AdditionalProperties), answering 400 when the body is
//     not a JSON object or lacks order_number or status;
//  5. calls fn with the request's context and the callback, and answers 200
//     when fn returns nil, 500 when it returns an error.
//
// Monri retries a callback until it gets a 2xx answer. So return nil from
// fn only once the payment is recorded, and return an error when it cannot
// be recorded now: the 500 makes Monri send it again later. For the same
// reason fn must be idempotent by order_number: a callback can arrive more
// than once, for instance when the 200 is lost on the way back. Check
// Status and ResponseCode (CallbackStatusApproved and
// ResponseCodeApproved) before treating the order as paid, and compare the
// amount and currency with the order's.
//
// Error answers use Monri's shape, {"status":"invalid-request","message":...}
// for 4xx and {"status":"error","message":...} for 5xx, and never contain
// the merchant key, the Authorization header, a digest or fn's error.
// CallbackHandler logs nothing. It panics if merchantKey is empty or fn is
// nil, as http.Handle does on a nil handler.
func CallbackHandler(merchantKey string, fn func(ctx context.Context, cb Callback) error) http.Handler {
	if merchantKey == "" {
		panic("monri: CallbackHandler: empty merchant key")
	}
	if fn == nil {
		panic("monri: CallbackHandler: nil fn")
	}
	// The key lives only in this closure: a func prints as an address, so
	// no %v of the handler can show it.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeMonriError(w, http.StatusMethodNotAllowed, "method: must be POST")
			return
		}
		body, status, msg := readCallbackBody(w, r)
		if status != 0 {
			writeMonriError(w, status, msg)
			return
		}
		if msg := verifyCallback(merchantKey, r.Header.Values("Authorization"), body); msg != "" {
			writeMonriError(w, http.StatusUnauthorized, msg)
			return
		}
		cb, msg := decodeCallback(body)
		if msg != "" {
			writeMonriError(w, http.StatusBadRequest, msg)
			return
		}
		if err := fn(r.Context(), cb); err != nil {
			writeMonriError(w, http.StatusInternalServerError, "callback: not processed; Monri will send it again")
			return
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	})
}

// readCallbackBody reads the whole body, or returns the status and message
// to answer with.
func readCallbackBody(w http.ResponseWriter, r *http.Request) ([]byte, int, string) {
	tooLarge := "body: must be at most " + strconv.Itoa(MaxCallbackBytes) + " bytes"
	if r.ContentLength > MaxCallbackBytes {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	if r.Body == nil {
		return nil, 0, ""
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxCallbackBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	case err != nil:
		return nil, http.StatusBadRequest, "body: could not be read"
	}
	return body, 0, ""
}

// verifyCallback returns "" when the one Authorization header signs body,
// or what is wrong, in words that quote nothing received.
func verifyCallback(merchantKey string, headers []string, body []byte) string {
	if len(headers) > 1 {
		return "authorization: more than one Authorization header"
	}
	h := ""
	if len(headers) == 1 {
		h = headers[0]
	}
	err := signer.VerifyCallback(merchantKey, h, body)
	switch {
	case err == nil:
		return ""
	case errors.Is(err, signer.ErrMissing):
		return "authorization: the Authorization header is missing"
	case errors.Is(err, signer.ErrMalformed):
		return "authorization: the Authorization header is malformed (want " + signer.CallbackScheme + " <128 lowercase hex digest>)"
	case errors.Is(err, signer.ErrMismatch):
		return "authorization: digest does not match the body"
	}
	return "authorization: the callback could not be verified"
}

// genField finds the field name in the generated decoder's errors,
// "error reading 'amount': ...".
var genField = regexp.MustCompile(`^error reading '([a-z0-9_]+)'`)

// decodeCallback decodes a verified body, or says what is wrong without
// quoting it.
func decodeCallback(body []byte) (Callback, string) {
	var cb Callback
	if err := json.Unmarshal(body, &cb); err != nil {
		if m := genField.FindStringSubmatch(err.Error()); m != nil {
			return cb, m[1] + ": has the wrong type or format"
		}
		return cb, "body: must be a JSON object"
	}
	switch {
	case cb.OrderNumber == "":
		return cb, "order_number: is required"
	case cb.Status == "":
		return cb, "status: is required"
	}
	return cb, ""
}

// writeMonriError answers in Monri's error shape: invalid-request for 4xx,
// error for 5xx.
func writeMonriError(w http.ResponseWriter, status int, message string) {
	st := gen.ErrorStatusInvalidRequest
	if status >= 500 {
		st = gen.ErrorStatusError
	}
	b, _ := json.Marshal(gen.Error{Status: st, Message: message})
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// VerifySuccessRedirect checks the digest of the success redirect that
// brought the buyer's browser to r, with signer.VerifySuccessURL. See that
// function for the rules and the errors (signer.ErrMissing, ErrMalformed,
// ErrMismatch, for errors.Is).
//
// Monri signs the absolute URL it sent the browser to, so the URL must be
// rebuilt exactly. VerifySuccessRedirect assumes the request reached this
// server as the browser sent it:
//
//   - the scheme is https when r.TLS is set, http otherwise;
//   - the host is r.Host, the Host header as received (with its port, if
//     the browser sent one);
//   - the path and query are r.RequestURI, the request target as received,
//     not re-encoded (r.URL.RequestURI() when RequestURI is empty, as in a
//     request built for a test). A target in absolute form, as sent to a
//     proxy, is the whole URL.
//
// It ignores X-Forwarded-Proto, X-Forwarded-Host and Forwarded, which any
// client can set. Behind a proxy or load balancer that terminates TLS,
// changes the host or rewrites the path, the URL rebuilt this way is not
// the one Monri signed and the check fails with signer.ErrMismatch; rebuild
// the public URL from what you know of your deployment and call
// signer.VerifySuccessURL with it instead.
func VerifySuccessRedirect(merchantKey string, r *http.Request) error {
	if r == nil || r.URL == nil {
		return errors.New("monri: VerifySuccessRedirect: nil request")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	target := r.RequestURI
	if target == "" {
		target = r.URL.RequestURI()
	}
	if !strings.HasPrefix(target, "/") {
		// The absolute form ("GET http://host/path HTTP/1.1"), as sent to
		// a proxy: the browser's URL is the target itself.
		return signer.VerifySuccessURL(merchantKey, target)
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return signer.VerifySuccessURL(merchantKey, scheme+"://"+host+target)
}
