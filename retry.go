package monri

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/monri-go/monri/signer"
)

// The retry policy, in one place.
//
// A call is retried only when repeating it cannot do harm, and only on
// connection errors, 408, 429 and 5xx:
//   - GET and DELETE, customer update and Pay By Link create-or-update (which
//     is idempotent by order_number) are retried on all of those;
//   - customer create is not idempotent, so it is retried only when the
//     request surely did not reach Monri: a failed dial, or 429. Any other
//     failure is ambiguous and never sent again; CustomersService.Create
//     resolves it by looking the customer up by merchant_customer_id, within
//     the same budget, or returns *OutcomeUnknownError.
//
// Every attempt is signed anew, so its timestamp is fresh. Waits grow as
// initial·2ⁿ capped at max, with jitter; a Retry-After of up to a minute
// replaces the computed wait, and a longer one ends the retries. A cancelled
// context ends the wait at once, and a wait that would outlast the
// context's deadline is not started: the call returns at once with Monri's
// last answer joined with context.DeadlineExceeded. An attempt cut short by
// the context keeps its own error.
type retryPolicy uint8

const (
	retryByMethod retryPolicy = iota // GET and DELETE are safe; other methods are not
	retryAlways                      // idempotent writes
	retryIfUnsent                    // non-idempotent writes
)

const (
	maxRetryAfter  = time.Minute // a longer Retry-After is not waited for
	maxBodyToRead  = 16 << 20    // larger answers are not Monri's
	jitterFraction = 0.5
)

// exchange is one logical call's final request and response, recorded by
// the doer so the facade can report a body gen failed to decode.
type exchange struct {
	policy retryPolicy
	// maxRetries, when set, replaces WithMaxRetries for this call, so that a
	// call made of several requests keeps one budget; attempts is how many
	// attempts the doer made.
	maxRetries   *int
	attempts     int
	method, path string
	status       int
	body         []byte
}

type exchangeKey struct{}

func withExchange(ctx context.Context, ex *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, ex)
}

// doer is the gen client's HttpRequestDoer: it signs, sends, logs and retries.
type doer struct {
	cfg    config
	signer *signer.Signer
}

// Do sends req, retrying as the call's policy allows, and returns the last
// response with its body fully read, so a per-attempt timeout cannot cut it.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	if ex == nil {
		ex = &exchange{}
	}
	ex.method, ex.path = req.Method, req.URL.Path
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	maxRetries := d.cfg.maxRetries
	if ex.maxRetries != nil {
		maxRetries = *ex.maxRetries
	}

	for attempt := 0; ; attempt++ {
		resp, body, err := d.attempt(ctx, req, attempt)
		ex.attempts = attempt + 1
		ex.status, ex.body = 0, nil
		if resp != nil {
			ex.status, ex.body = resp.StatusCode, body
		}
		if attempt >= maxRetries || !replayable || !d.shouldRetry(ex.policy, req.Method, resp, err) {
			if err != nil {
				return nil, fmt.Errorf("monri: %s %s: %w", req.Method, req.URL.Path, err)
			}
			return resp, nil
		}
		if cerr := ctx.Err(); err != nil && cerr != nil {
			// The call's context ended during the attempt: keep the
			// attempt's own error, which says more than the context's, and
			// the context's for errors.Is.
			if !errors.Is(err, cerr) {
				err = errors.Join(err, cerr)
			}
			return nil, fmt.Errorf("monri: %s %s: %w", req.Method, req.URL.Path, err)
		}
		wait := d.wait(attempt, resp)
		if dl, ok := ctx.Deadline(); ok && wait > time.Until(dl) {
			// The retry could not start before the deadline: return now with
			// Monri's last answer (call joins it) or the attempt's error,
			// rather than sleeping into "context deadline exceeded".
			if err != nil {
				return nil, fmt.Errorf("monri: %s %s: %w; not retrying: the wait of %s outlasts the deadline: %w", req.Method, req.URL.Path, err, wait, context.DeadlineExceeded)
			}
			return nil, fmt.Errorf("monri: %s %s: not retrying: the wait of %s outlasts the deadline: %w", req.Method, req.URL.Path, wait, context.DeadlineExceeded)
		}
		if err := d.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("monri: %s %s: waiting to retry: %w", req.Method, req.URL.Path, err)
		}
	}
}

// sleep waits between attempts, through the test hook if one is set.
func (d *doer) sleep(ctx context.Context, wait time.Duration) error {
	if d.cfg.sleep != nil {
		return d.cfg.sleep(ctx, wait)
	}
	return sleep(ctx, wait)
}

// attempt sends one signed copy of req.
func (d *doer) attempt(ctx context.Context, req *http.Request, n int) (*http.Response, []byte, error) {
	if d.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.cfg.timeout)
		defer cancel()
	}
	// The first attempt owns gen's fresh request: a shallow copy with the
	// attempt's context will do, and the headers set below are ours to set.
	// Retries deep-copy, so that nothing a transport may still hold from an
	// earlier attempt shares a header map with the new signature.
	var r *http.Request
	if n == 0 {
		r = req.WithContext(ctx)
	} else {
		r = req.Clone(ctx)
	}
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, nil, fmt.Errorf("replay request body: %w", err)
		}
		r.Body = body
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("User-Agent", d.cfg.userAgent)
	if err := d.signer.Sign(r); err != nil {
		return nil, nil, err
	}

	start := time.Now()
	resp, err := d.cfg.httpClient.Do(r)
	var body []byte
	if err == nil {
		body, err = readResponse(resp.Body, resp.ContentLength)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			resp = nil
			err = fmt.Errorf("read response: %w", err)
		}
	}
	d.log(ctx, r, resp, err, time.Since(start), n)
	return resp, body, err
}

// readResponse reads a whole answer of at most maxBodyToRead bytes, as
// io.ReadAll(io.LimitReader(body, maxBodyToRead)) does, but with one
// exact-size allocation when the Content-Length is known: net/http's body
// then ends at that length, with io.ErrUnexpectedEOF if the connection
// closes sooner.
func readResponse(body io.Reader, contentLength int64) ([]byte, error) {
	if contentLength <= 0 || contentLength > maxBodyToRead {
		return io.ReadAll(io.LimitReader(body, maxBodyToRead))
	}
	buf := make([]byte, contentLength)
	n, err := io.ReadFull(body, buf)
	if err != nil {
		return buf[:n], err
	}
	return buf, nil
}

// log writes one debug line per attempt. It names fields one by one so that
// no header, and so no Authorization value, can reach the log.
func (d *doer) log(ctx context.Context, r *http.Request, resp *http.Response, err error, took time.Duration, n int) {
	if !d.cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Duration("duration", took),
		slog.Int("attempt", n+1),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	d.cfg.logger.LogAttrs(ctx, slog.LevelDebug, "monri request", attrs...)
}

// shouldRetry applies the policy. A cancelled context is left to the wait,
// which then returns the context's error.
func (d *doer) shouldRetry(policy retryPolicy, method string, resp *http.Response, err error) bool {
	safe := policy == retryAlways ||
		(policy == retryByMethod && (method == http.MethodGet || method == http.MethodDelete))
	if err != nil {
		return safe || neverSent(err)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		// Rate limited: the request was not processed, so even a create may repeat.
		return retryAfter(resp) <= maxRetryAfter
	case code == http.StatusRequestTimeout, code >= 500:
		return safe && retryAfter(resp) <= maxRetryAfter
	}
	return false
}

// neverSent reports whether err means the request never reached a server.
func neverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// wait is how long to wait before retry number attempt+1.
func (d *doer) wait(attempt int, resp *http.Response) time.Duration {
	if after := retryAfter(resp); after >= 0 {
		return after
	}
	backoff := d.cfg.initialBackoff << min(attempt, 30)
	if backoff <= 0 || backoff > d.cfg.maxBackoff {
		backoff = d.cfg.maxBackoff
	}
	// Equal jitter: at least half the backoff, so retries stay spaced out.
	jitter := time.Duration(rand.Int64N(int64(float64(backoff)*jitterFraction) + 1))
	return backoff - time.Duration(float64(backoff)*jitterFraction) + jitter
}

// retryAfter reads Retry-After as seconds or an HTTP date; -1 if absent or
// unreadable. Seconds beyond maxRetryAfter are capped to tooLong before
// they are multiplied, so a huge value cannot overflow into a short wait.
func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return -1
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return -1
	}
	if allDigits(v) {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(maxRetryAfter/time.Second) {
			return tooLong // out of uint64's range is too long too
		}
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0)
	}
	return -1
}

// tooLong is what retryAfter returns for any wait beyond maxRetryAfter.
const tooLong = maxRetryAfter + time.Second

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sleep waits for d or until ctx is done, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
