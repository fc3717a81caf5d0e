package monri

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/monri-go/monri/internal/transport"
)

// RequestOption changes one call: every service method takes them after its
// arguments. The Client's options are the defaults; a RequestOption
// overrides them for that call only.
type RequestOption func(*requestConfig) error

// requestConfig is what RequestOptions set for one call.
type requestConfig struct {
	call transport.Call
}

// WithRequestTimeout bounds each attempt of this call, as WithTimeout does
// for every call; zero turns the per-attempt bound off for it. The call as
// a whole, waits included, is bounded by its context.
func WithRequestTimeout(d time.Duration) RequestOption {
	return func(c *requestConfig) error {
		if d < 0 {
			return fmt.Errorf("monri: WithRequestTimeout: %s is negative", d)
		}
		c.call.Timeout = &d
		return nil
	}
}

// WithRequestMaxRetries sets how many times this call may be retried, as
// WithMaxRetries does for every call; zero sends it once. The retry policy
// still decides what is safe to repeat.
func WithRequestMaxRetries(n int) RequestOption {
	return func(c *requestConfig) error {
		if n < 0 {
			return fmt.Errorf("monri: WithRequestMaxRetries: %d is negative", n)
		}
		c.call.MaxRetries = &n
		return nil
	}
}

// ownedHeaders are the headers the client sets itself: the signature, what
// the signature covers or depends on, and what the client reads the answer
// by. WithRequestHeader refuses them.
var ownedHeaders = map[string]string{
	"Authorization":     "it carries the request's WP3-v2.1 signature",
	"Content-Type":      "the signed body is JSON",
	"Content-Length":    "it is the signed body's length",
	"Transfer-Encoding": "the signed body is sent whole",
	"Host":              "the base URL sets it",
	"Accept":            "the client reads JSON answers",
	"User-Agent":        "use WithUserAgent",
}

// WithRequestHeader adds a header to every attempt of this call, for a
// proxy or a trace id. It refuses a header the client sets itself
// (Authorization, Content-Type, Content-Length, Transfer-Encoding, Host,
// Accept, User-Agent) with an error naming it, and a name or value that
// is not a valid header. Repeated, it adds values.
func WithRequestHeader(key, value string) RequestOption {
	return func(c *requestConfig) error {
		name := textproto.CanonicalMIMEHeaderKey(key)
		if why, owned := ownedHeaders[name]; owned {
			return fmt.Errorf("monri: WithRequestHeader: %q is set by the client and cannot be changed: %s", name, why)
		}
		if !validHeaderName(key) {
			return fmt.Errorf("monri: WithRequestHeader: %q is not a valid header name", key)
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			return fmt.Errorf("monri: WithRequestHeader: the value of %q contains a line break or NUL", name)
		}
		if c.call.Header == nil {
			c.call.Header = http.Header{}
		}
		c.call.Header.Add(name, value)
		return nil
	}
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// WithRequestLogger logs this call's attempts to l instead of the Client's
// logger (WithLogger), one debug line per attempt; nil keeps the Client's.
// No credential, digest or Authorization value is ever logged.
func WithRequestLogger(l *slog.Logger) RequestOption {
	return func(c *requestConfig) error {
		c.call.Logger = l
		return nil
	}
}

// WithRequestLogAttrs adds attrs to every line logged for this call, such
// as an order number or a trace id. Repeated, it adds more.
func WithRequestLogAttrs(attrs ...slog.Attr) RequestOption {
	return func(c *requestConfig) error {
		c.call.LogAttrs = append(c.call.LogAttrs, attrs...)
		return nil
	}
}

// callFor applies opts over policy, for one call.
func callFor(policy transport.Policy, opts []RequestOption) (transport.Call, error) {
	c := requestConfig{call: transport.Call{Policy: policy}}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&c); err != nil {
			return transport.Call{}, err
		}
	}
	return c.call, nil
}
