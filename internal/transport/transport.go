package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/monri-go/monri/signer"
)

// Config is what every call starts from: the client's options.
type Config struct {
	// HTTPClient sends each attempt.
	HTTPClient *http.Client
	// Signer signs each attempt.
	Signer *signer.Signer
	// UserAgent is sent on every attempt.
	UserAgent string
	// MaxRetries is how many times a call may be sent again.
	MaxRetries int
	// Timeout bounds each attempt, from sending to reading the whole
	// answer; zero leaves attempts bounded only by the context.
	Timeout time.Duration
	// InitialBackoff and MaxBackoff shape the wait between attempts.
	InitialBackoff, MaxBackoff time.Duration
	// Logger gets one debug line per attempt; nil logs nothing.
	Logger *slog.Logger
	// Sleep replaces the wait between attempts, for tests; nil waits.
	Sleep func(context.Context, time.Duration) error
}

// Transport sends requests as Config says. It is safe for concurrent use.
type Transport struct {
	cfg Config
}

// New returns a Transport for cfg.
func New(cfg Config) *Transport {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Transport{cfg: cfg}
}

// Call is what one call changes from the Config, and its retry policy.
type Call struct {
	// Policy says when the call may be sent again.
	Policy Policy
	// MaxRetries, when set, replaces Config.MaxRetries.
	MaxRetries *int
	// Timeout, when set, replaces Config.Timeout.
	Timeout *time.Duration
	// Header is added to every attempt before it is signed.
	Header http.Header
	// Logger, when set, replaces Config.Logger.
	Logger *slog.Logger
	// LogAttrs are added to every line logged for the call.
	LogAttrs []slog.Attr
}

// Result is what the last attempt of a call got.
type Result struct {
	// Method and Path are the request's method and URL path.
	Method, Path string
	// Attempts is how many attempts were sent; 0 when none was.
	Attempts int
	// Status is the answer's HTTP status, 0 when there was no answer.
	Status int
	// Header is the answer's header; nil when there was no answer.
	Header http.Header
	// Body is the whole answer's body.
	Body []byte
}

// Answered reports whether the last attempt got an answer.
func (r *Result) Answered() bool { return r.Status != 0 }

// OK reports whether the last attempt's answer is a 2xx.
func (r *Result) OK() bool { return r.Status >= 200 && r.Status <= 299 }

// Do sends req, retrying as call allows, and returns what the last attempt
// got. It reads req's body once and signs every attempt from those bytes.
//
// The Result is never nil. The error is nil when an answer came back,
// whatever its status; otherwise it is the last attempt's failure, or, when
// the context ended the wait for a retry or the wait would have outlasted
// its deadline, the context's error while the Result keeps the answer.
func (t *Transport) Do(ctx context.Context, req *http.Request, call Call) (*Result, error) {
	res := &Result{Method: req.Method, Path: req.URL.Path}
	body, err := readBody(req)
	if err != nil {
		return res, t.fail(req, fmt.Errorf("read request body: %w", err))
	}
	maxRetries := t.cfg.MaxRetries
	if call.MaxRetries != nil {
		maxRetries = *call.MaxRetries
	}
	logger := t.cfg.Logger
	if call.Logger != nil {
		logger = call.Logger
	}

	for attempt := 0; ; attempt++ {
		resp, answer, err := t.attempt(ctx, req, body, call, logger, attempt) //nolint:bodyclose // attempt read and closed it
		res.Attempts = attempt + 1
		res.Status, res.Header, res.Body = 0, nil, nil
		if resp != nil {
			res.Status, res.Header, res.Body = resp.StatusCode, resp.Header, answer
		}
		if attempt >= maxRetries || !shouldRetry(call.Policy, req.Method, resp, err) {
			if err != nil {
				return res, t.fail(req, err)
			}
			return res, nil
		}
		if cerr := ctx.Err(); err != nil && cerr != nil {
			// The call's context ended during the attempt: keep the
			// attempt's own error, which says more than the context's, and
			// the context's for errors.Is.
			if !errors.Is(err, cerr) {
				err = errors.Join(err, cerr)
			}
			return res, t.fail(req, err)
		}
		wait := t.wait(attempt, resp)
		if dl, ok := ctx.Deadline(); ok && wait > time.Until(dl) {
			// The retry could not start before the deadline: return now with
			// the last answer (in res) or the attempt's error, rather than
			// sleeping into "context deadline exceeded".
			if err != nil {
				return res, t.fail(req, fmt.Errorf("%w; not retrying: the wait of %s outlasts the deadline: %w", err, wait, context.DeadlineExceeded))
			}
			return res, t.fail(req, fmt.Errorf("not retrying: the wait of %s outlasts the deadline: %w", wait, context.DeadlineExceeded))
		}
		if err := t.Sleep(ctx, wait); err != nil {
			return res, t.fail(req, fmt.Errorf("waiting to retry: %w", err))
		}
	}
}

// fail names the request in err.
func (t *Transport) fail(req *http.Request, err error) error {
	return fmt.Errorf("monri: %s %s: %w", req.Method, req.URL.Path, err)
}

// readBody takes req's body once; nil for none.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

// Sleep waits for d or until ctx is done, whichever is first, through
// Config.Sleep when it is set.
func (t *Transport) Sleep(ctx context.Context, d time.Duration) error {
	if t.cfg.Sleep != nil {
		return t.cfg.Sleep(ctx, d)
	}
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// attempt sends one signed copy of req with body, and reads the answer.
func (t *Transport) attempt(ctx context.Context, req *http.Request, body []byte, call Call, logger *slog.Logger, n int) (*http.Response, []byte, error) {
	timeout := t.cfg.Timeout
	if call.Timeout != nil {
		timeout = *call.Timeout
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	// The first attempt owns the facade's fresh request: a shallow copy
	// with the attempt's context will do. Retries deep-copy, so that
	// nothing a transport may still hold from an earlier attempt shares a
	// header map with the new signature.
	var r *http.Request
	if n == 0 {
		r = req.WithContext(ctx)
	} else {
		r = req.Clone(ctx)
	}
	r.Body, r.GetBody, r.ContentLength = http.NoBody, nil, 0
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	for k, vs := range call.Header {
		r.Header[k] = append([]string(nil), vs...)
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("User-Agent", t.cfg.UserAgent)
	// Sign the bytes held, rather than have the signer replay GetBody.
	if err := t.cfg.Signer.SignBody(r, body); err != nil {
		return nil, nil, err
	}

	start := time.Now()
	resp, err := t.cfg.HTTPClient.Do(r)
	var answer []byte
	if err == nil {
		answer, err = readResponse(resp.Body, resp.ContentLength)
		resp.Body.Close()
		if err != nil {
			resp = nil
			err = fmt.Errorf("read response: %w", err)
		}
	}
	logAttempt(ctx, logger, call.LogAttrs, r, resp, err, time.Since(start), n)
	return resp, answer, err
}

// logAttempt writes one debug line per attempt. It names fields one by one
// so that no header, and so no Authorization value, can reach the log.
func logAttempt(ctx context.Context, l *slog.Logger, extra []slog.Attr, r *http.Request, resp *http.Response, err error, took time.Duration, n int) {
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 6+len(extra))
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Duration("duration", took),
		slog.Int("attempt", n+1),
	)
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	attrs = append(attrs, extra...)
	l.LogAttrs(ctx, slog.LevelDebug, "monri request", attrs...)
}
