package transport

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy says when a call may be sent again.
//
// A call is retried only when repeating it cannot do harm, and only on
// connection errors, 408, 429 and 5xx:
//   - GET and DELETE, customer update and Pay By Link create-or-update (which
//     is idempotent by order_number) are retried on all of those;
//   - customer create is not idempotent, so it is retried only when the
//     request surely did not reach Monri: a failed dial, or 429. Any other
//     failure is ambiguous and never sent again; the facade's
//     CustomersService.Create resolves it by looking the customer up, or
//     returns *OutcomeUnknownError.
//
// Every attempt is signed anew, so its timestamp is fresh. Waits grow as
// initial·2ⁿ capped at max, with jitter; a Retry-After of up to a minute
// replaces the computed wait, and a longer one ends the retries. A cancelled
// context ends the wait at once, and a wait that would outlast the
// context's deadline is not started: Do returns at once with the last
// answer and context.DeadlineExceeded. An attempt cut short by the context
// keeps its own error.
type Policy uint8

const (
	// ByMethod retries GET and DELETE and no other method.
	ByMethod Policy = iota
	// Always retries any method: for idempotent writes.
	Always
	// IfUnsent retries only what surely was not processed: for
	// non-idempotent writes.
	IfUnsent
)

const (
	// MaxRetryAfter is the longest Retry-After that is waited for.
	MaxRetryAfter  = time.Minute
	maxBodyToRead  = 16 << 20 // larger answers are not Monri's
	jitterFraction = 0.5
	// tooLong is what retryAfter returns for any wait beyond MaxRetryAfter.
	tooLong = MaxRetryAfter + time.Second
)

// shouldRetry applies the policy to one attempt's outcome. A cancelled
// context is left to the wait, which then returns the context's error.
func shouldRetry(policy Policy, method string, resp *http.Response, err error) bool {
	safe := policy == Always ||
		(policy == ByMethod && (method == http.MethodGet || method == http.MethodDelete))
	if err != nil {
		return safe || NeverSent(err)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		// Rate limited: the request was not processed, so even a create may repeat.
		return retryAfter(resp) <= MaxRetryAfter
	case code == http.StatusRequestTimeout, code >= 500:
		return safe && retryAfter(resp) <= MaxRetryAfter
	}
	return false
}

// NeverSent reports whether err means the request never reached a server:
// a failed dial.
func NeverSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Backoff is how long to wait before retry number attempt+1 when the
// server said nothing about it: initial·2ⁿ capped at max, with jitter.
func (t *Transport) Backoff(attempt int) time.Duration {
	return t.wait(attempt, nil)
}

// wait is how long to wait before retry number attempt+1.
func (t *Transport) wait(attempt int, resp *http.Response) time.Duration {
	if after := retryAfter(resp); after >= 0 {
		return after
	}
	backoff := t.cfg.InitialBackoff << min(attempt, 30)
	if backoff <= 0 || backoff > t.cfg.MaxBackoff {
		backoff = t.cfg.MaxBackoff
	}
	// Equal jitter: at least half the backoff, so retries stay spaced out.
	jitter := time.Duration(rand.Int64N(int64(float64(backoff)*jitterFraction) + 1)) //nolint:gosec // jitter spreads retries; it guards no secret
	return backoff - time.Duration(float64(backoff)*jitterFraction) + jitter
}

// retryAfter reads Retry-After as seconds or an HTTP date; -1 if absent or
// unreadable. Seconds beyond MaxRetryAfter are capped to tooLong before
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
		if err != nil || secs > uint64(MaxRetryAfter/time.Second) {
			return tooLong // out of uint64's range is too long too
		}
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0)
	}
	return -1
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
