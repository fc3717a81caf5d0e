package monri

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
)

// MaxCallbackBytes is the largest callback body CallbackHandler reads by
// default; a larger one is answered 413. WithMaxCallbackBytes changes it.
const MaxCallbackBytes = 1 << 20

// CallbackHandler returns the http.Handler to serve at a link's
// callback_url_override: it verifies strictly, then decodes leniently. For
// each request it:
//
//  1. answers 405 unless the method is POST;
//  2. reads the body, at most MaxCallbackBytes (1 MiB) or
//     WithMaxCallbackBytes, answering 413 beyond;
//  3. verifies "Authorization: WP3-callback <digest>" against the exact
//     bytes read, with merchantKey (signer.VerifyCallback), answering 401
//     when the header is missing, malformed or does not match. Nothing of
//     the body is looked at before this;
//  4. decodes the verified body into a Callback by the rules below;
//  5. calls fn with the request's context and the callback, whose Raw holds
//     the verified body, and answers 200 when fn returns nil, 500 when it
//     returns an error.
//
// The fields a shop acts on are decoded by fixed rules:
//
//   - order_number: a JSON string, or an integer (kept as its digits);
//     required.
//   - status: a JSON string; required.
//   - response_code: a JSON string, or an integer (kept as its digits, so
//     a number 0 is "0", never ResponseCodeApproved); absent means "".
//   - amount: minor units as a JSON integer or a string of digits; absent
//     or null means 0, which matches no order.
//   - currency: a JSON string; absent means "".
//
// A verified body that breaks one of these rules, or is not one JSON
// object, is answered 400, naming the field and the rule. It is not
// answered 2xx because a 2xx tells Monri the payment is recorded, and this
// one cannot be: Monri keeps the callback as undelivered and retries it,
// where it can be found, instead of the shop dropping it. Every other field
// is decoded leniently and never causes a 4xx: see Callback.
//
// Monri retries a callback until it gets a 2xx answer. So:
//
//   - Return nil from fn only once the payment is recorded, and an error
//     when it cannot be recorded now: the 500 makes Monri send it again.
//   - Record the payment idempotently, by order_number: expect duplicates,
//     for instance when the 200 is lost on the way back.
//   - Check Status and ResponseCode (CallbackStatusApproved and
//     ResponseCodeApproved) and compare Amount and Currency with the
//     order's before treating it as paid.
//   - Never fulfil an order on the success redirect alone (the buyer's
//     browser may never arrive, or arrive twice); the callback is the
//     record. When in doubt, for example when a callback is late, confirm
//     through PayByLinkService.Get.
//
// Error answers use Monri's shape, {"status":"invalid-request","message":...}
// for 4xx and {"status":"error","message":...} for 5xx, and never contain
// the merchant key, the Authorization header, a digest, the body or fn's
// error.
//
// CallbackHandler never panics. With an empty merchantKey, a nil fn or an
// invalid option it returns a handler that answers every request 500 in
// Monri's shape (so Monri keeps the callback and retries it) and logs the
// configuration error at Error level through WithCallbackLogger on each
// request. Use NewCallbackHandler to get that error at start-up instead.
func CallbackHandler(merchantKey string, fn func(ctx context.Context, cb Callback) error, opts ...CallbackOption) http.Handler {
	cfg, err := newCallbackConfig("CallbackHandler", merchantKey, fn, opts)
	if err != nil {
		return misconfiguredHandler(cfg.logger, err)
	}
	return callbackHandler(merchantKey, fn, cfg)
}

// callbackHandler serves callbacks with a valid configuration.
func callbackHandler(merchantKey string, fn func(context.Context, Callback) error, cfg callbackConfig) http.Handler {
	// The key lives only in this closure: a func prints as an address, so
	// no %v of the handler can show it.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		refuse := func(status int, msg string, attrs ...slog.Attr) {
			level := slog.LevelWarn
			if status == http.StatusBadRequest || status >= 500 {
				level = slog.LevelError
			}
			attrs = append(attrs, slog.Int("status", status), slog.String("reason", msg))
			cfg.logger.LogAttrs(ctx, level, "monri callback not accepted", attrs...)
			writeMonriError(w, status, msg)
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			refuse(http.StatusMethodNotAllowed, "method: must be POST")
			return
		}
		body, status, msg := readCallbackBody(w, r, cfg.maxBytes)
		if status != 0 {
			refuse(status, msg)
			return
		}
		if msg := verifyCallback(merchantKey, r.Header.Values("Authorization"), body); msg != "" {
			refuse(http.StatusUnauthorized, msg)
			return
		}
		cb, bad := decodeCallback(body)
		order := slog.String("order_number", cb.OrderNumber)
		if bad != nil {
			refuse(http.StatusBadRequest, bad.Error(), order, slog.Int("bytes", len(body)))
			return
		}
		if err := fn(ctx, cb); err != nil {
			cfg.logger.LogAttrs(ctx, slog.LevelError, "monri callback not recorded", order, slog.String("error", err.Error()))
			writeMonriError(w, http.StatusInternalServerError, "callback: not processed; Monri will send it again")
			return
		}
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	})
}

// readCallbackBody reads the whole body, or returns the status and message
// to answer with.
func readCallbackBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, int, string) {
	tooLarge := "body: must be at most " + strconv.FormatInt(limit, 10) + " bytes"
	if r.ContentLength > limit {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	if r.Body == nil {
		return nil, 0, ""
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
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

// writeMonriError answers in Monri's error shape: invalid-request for 4xx,
// error for 5xx.
func writeMonriError(w http.ResponseWriter, status int, message string) {
	st := gen.MonriErrorStatusInvalidRequest
	if status >= 500 {
		st = gen.MonriErrorStatusError
	}
	b, _ := json.Marshal(gen.MonriError{Status: st, Message: message})
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
