package mock

import (
	"log/slog"
	"net"
	"strings"
)

// Options for what the mock may reach and what it remembers: the hosts
// callbacks may go to, and the bounded logs of requests and callbacks.

// DefaultLogSize is how many requests and how many callback deliveries the
// mock remembers unless [WithRequestLogSize] or [WithCallbackLogSize] say
// otherwise.
const DefaultLogSize = 1000

type logConfig struct {
	callbackHosts   []string // besides loopback; "*" is any host
	callbackLogSize int
	requestLogSize  int
	logger          *slog.Logger // nil: no log lines
}

func defaultLogConfig() logConfig {
	return logConfig{callbackLogSize: DefaultLogSize, requestLogSize: DefaultLogSize}
}

// WithCallbackHosts lets payment callbacks go to the given hosts as well as
// to loopback ones (localhost, 127.0.0.0/8, ::1), which are the only ones
// allowed by default, so that a mock reachable from a network does not POST
// wherever a link says. A host is a name or an IP address, without a port,
// compared case-insensitively with the callback URL's host; "*" allows
// every host. A callback to a host not allowed is not sent: it is recorded
// in [Server.Callbacks] as refused. An empty host makes New fail.
func WithCallbackHosts(hosts ...string) Option {
	return func(c *config) {
		for _, h := range hosts {
			bare := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
			if bare == "" || net.ParseIP(bare) == nil && strings.ContainsAny(bare, "/:@?# \t") {
				c.fail("WithCallbackHosts: %q is not a host name or IP address without a port", h)
				continue
			}
			c.logs.callbackHosts = append(c.logs.callbackHosts, bare)
		}
	}
}

// WithCallbackLogSize sets how many callback deliveries [Server.Callbacks]
// remembers, the newest ones; the default is [DefaultLogSize]. A size below
// 1 makes New fail.
func WithCallbackLogSize(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithCallbackLogSize: size %d is below 1", n)
			return
		}
		c.logs.callbackLogSize = n
	}
}

// WithRequestLogSize sets how many requests [Server.Requests] remembers,
// the newest ones; the default is [DefaultLogSize]. A size below 1 makes
// New fail.
func WithRequestLogSize(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithRequestLogSize: size %d is below 1", n)
			return
		}
		c.logs.requestLogSize = n
	}
}

// WithRequestLog also writes one line to logger per request the mock
// answers and per callback attempt or refusal, at level Info (Warn for a
// refused callback). Lines never hold an Authorization header, a key, a
// digest or a card token: a request's query values named digest, pan_token
// or similar are replaced by REDACTED, and a callback's URL is shown
// without its query. To write text to an io.Writer, pass
// slog.New(slog.NewTextHandler(w, nil)). A nil logger writes nothing.
func WithRequestLog(logger *slog.Logger) Option {
	return func(c *config) { c.logs.logger = logger }
}
