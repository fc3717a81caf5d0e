package monri

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// CallbackOption configures CallbackHandler and NewCallbackHandler. An
// option whose argument breaks its rule makes NewCallbackHandler return an
// error naming it, and CallbackHandler return a handler that answers 500.
type CallbackOption func(*callbackConfig) error

type callbackConfig struct {
	logger   *slog.Logger
	maxBytes int64
}

// WithCallbackLogger logs every callback CallbackHandler does not answer
// 200: a warning for a refused signature, method or size, an error for a
// verified callback it cannot use or that fn could not record (with fn's
// error as fn returned it), and an error for each request a misconfigured
// handler refuses. Lines carry the status, the reason and, when known,
// order_number; never the body, the key, a digest or the header. Logging
// is off by default, and a nil logger leaves it off.
func WithCallbackLogger(l *slog.Logger) CallbackOption {
	return func(c *callbackConfig) error {
		c.logger = l
		return nil
	}
}

// WithMaxCallbackBytes sets the largest body CallbackHandler reads (default
// MaxCallbackBytes). n must be positive.
func WithMaxCallbackBytes(n int64) CallbackOption {
	return func(c *callbackConfig) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxCallbackBytes: n must be positive, got %d", n)
		}
		c.maxBytes = n
		return nil
	}
}

// NewCallbackHandler is CallbackHandler that reports a bad configuration
// instead of serving it: it returns an error, naming each argument and the
// rule it breaks, when merchantKey is empty, fn is nil or an option's
// argument is invalid (see WithMaxCallbackBytes). The error never holds the
// key. Use it where the handler is built at start-up, to fail there.
func NewCallbackHandler(merchantKey string, fn func(ctx context.Context, cb Callback) error, opts ...CallbackOption) (http.Handler, error) {
	cfg, err := newCallbackConfig("NewCallbackHandler", merchantKey, fn, opts)
	if err != nil {
		return nil, err
	}
	return callbackHandler(merchantKey, fn, cfg), nil
}

// newCallbackConfig applies every option, so that a logger is set even when
// another argument is wrong, and joins every rule broken.
func newCallbackConfig(caller, merchantKey string, fn func(context.Context, Callback) error, opts []CallbackOption) (callbackConfig, error) {
	cfg := callbackConfig{maxBytes: MaxCallbackBytes}
	var errs []error
	if merchantKey == "" {
		errs = append(errs, errors.New("merchantKey: must not be empty"))
	}
	if fn == nil {
		errs = append(errs, errors.New("fn: must not be nil"))
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if len(errs) > 0 {
		return cfg, &callbackConfigError{caller: caller, errs: errs}
	}
	return cfg, nil
}

// callbackConfigError is the error for a bad callback configuration. Its
// message names each argument and the rule it breaks, and never holds
// the merchant key; errors.Is and errors.As reach each problem.
type callbackConfigError struct {
	caller string
	errs   []error
}

// Error lists every problem, for example "monri: NewCallbackHandler:
// merchantKey: must not be empty; fn: must not be nil".
func (e *callbackConfigError) Error() string {
	msg := "monri: " + e.caller + ": "
	for i, err := range e.errs {
		if i > 0 {
			msg += "; "
		}
		msg += err.Error()
	}
	return msg
}

// Unwrap returns each problem.
func (e *callbackConfigError) Unwrap() []error { return e.errs }

// misconfiguredHandler answers every request 500, so that Monri keeps the
// callback and retries it once the configuration is fixed, and logs why at
// Error level on each request, where an operator watching errors sees it.
func misconfiguredHandler(logger *slog.Logger, err error) http.Handler {
	reason := err.Error()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.LogAttrs(r.Context(), slog.LevelError, "monri callback handler misconfigured",
			slog.Int("status", http.StatusInternalServerError), slog.String("error", reason))
		writeMonriError(w, http.StatusInternalServerError, "callback: the handler is misconfigured; Monri will send it again")
	})
}
