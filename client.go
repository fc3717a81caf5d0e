package monri

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/internal/transport"
	"github.com/monri-go/monri/internal/version"
	"github.com/monri-go/monri/signer"
)

// Version is this module's version from the build info ("devel" in a work
// tree's build), sent in the User-Agent header.
var Version = version.Read().UserAgentVersion()

// Environment selects which of Monri's servers a Client talks to.
type Environment string

const (
	// Test is Monri's test environment, https://ipgtest.monri.com. It is the default.
	Test Environment = "test"
	// Production is Monri's live environment, https://ipg.monri.com. A Client
	// uses it only when chosen explicitly, by WithEnvironment or MONRI_ENVIRONMENT.
	Production Environment = "production"
)

// BaseURL returns the environment's server URL.
func (e Environment) BaseURL() string {
	if e == Production {
		return "https://ipg.monri.com"
	}
	return "https://ipgtest.monri.com"
}

// ParseEnvironment reads an environment name: "test", or "prod" or "production".
func ParseEnvironment(s string) (Environment, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "test":
		return Test, nil
	case "prod", "production":
		return Production, nil
	}
	return "", fmt.Errorf("monri: environment %q is not one of test, prod, production", s)
}

// Environment variables NewClient reads before applying options.
const (
	EnvMerchantKey       = "MONRI_MERCHANT_KEY"
	EnvAuthenticityToken = "MONRI_AUTHENTICITY_TOKEN"
	EnvEnvironment       = "MONRI_ENVIRONMENT"
)

// Defaults of a new Client.
const (
	DefaultMaxRetries     = 2
	DefaultInitialBackoff = 500 * time.Millisecond
	DefaultMaxBackoff     = 8 * time.Second
	// DefaultTimeout bounds each attempt, from sending the request to
	// reading the whole answer, so that a stalled connection cannot block a
	// call made with context.Background() forever. WithTimeout changes it.
	DefaultTimeout = 30 * time.Second
	// DefaultResponseHeaderTimeout is how long the default transport waits
	// for the answer's headers once the request is sent; it bounds attempts
	// even when WithTimeout(0) turns the per-attempt bound off. A client
	// given by WithHTTPClient keeps its own transport.
	DefaultResponseHeaderTimeout = 30 * time.Second
)

// ErrMissingCredentials is returned by NewClient when neither WithCredentials
// nor the environment gives a merchant key and an authenticity token.
var ErrMissingCredentials = errors.New("monri: missing credentials: use WithCredentials or set " + EnvMerchantKey + " and " + EnvAuthenticityToken)

// Client is Monri's Customers and Pay By Link APIs. Create it with NewClient.
// It is safe for concurrent use.
type Client struct {
	// Customers is the Customers API.
	Customers *CustomersService
	// PayByLink is the Pay By Link API.
	PayByLink *PayByLinkService

	raw  *gen.ClientWithResponses
	base string
}

// config is what options set. It holds the credentials only inside signer,
// which never prints them.
type config struct {
	merchantKey, authenticityToken string
	environment                    Environment
	baseURL                        string
	httpClient                     *http.Client
	maxRetries                     int
	timeout                        time.Duration
	logger                         *slog.Logger
	userAgent                      string
	insecureHTTP                   bool
	initialBackoff, maxBackoff     time.Duration
	clock                          func() time.Time
	sleep                          func(context.Context, time.Duration) error // nil: the real wait
}

// String keeps the credentials out of any %v of a config.
func (c config) String() string {
	return fmt.Sprintf("monri.config{environment:%s baseURL:%s maxRetries:%d timeout:%s credentials:[redacted]}", c.environment, c.baseURL, c.maxRetries, c.timeout)
}

// GoString is String for %#v.
func (c config) GoString() string { return c.String() }

// Option configures NewClient.
type Option func(*config) error

// WithCredentials sets the merchant key and authenticity token from Monri's
// merchant dashboard, overriding MONRI_MERCHANT_KEY and MONRI_AUTHENTICITY_TOKEN.
func WithCredentials(merchantKey, authenticityToken string) Option {
	return func(c *config) error {
		if merchantKey == "" || authenticityToken == "" {
			return errors.New("monri: WithCredentials: merchant key and authenticity token must both be non-empty")
		}
		c.merchantKey, c.authenticityToken = merchantKey, authenticityToken
		return nil
	}
}

// WithEnvironment chooses Test (the default) or Production, overriding
// MONRI_ENVIRONMENT.
func WithEnvironment(env Environment) Option {
	return func(c *config) error {
		if env != Test && env != Production {
			return fmt.Errorf("monri: WithEnvironment: %q is not monri.Test or monri.Production", env)
		}
		c.environment = env
		return nil
	}
}

// WithBaseURL sends requests to baseURL instead of the environment's server,
// for the mock or a proxy. It must be an absolute https URL, or an http URL
// whose host is loopback (127.0.0.0/8, ::1 or localhost), such as the
// mock's, and without a user or password. Requests carry personal data and a signature that can be replayed
// for 15 minutes, so NewClient refuses clear text to any other host unless
// WithInsecureHTTP is given too.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		u, err := url.Parse(baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
			hint := ""
			if !strings.Contains(baseURL, "://") {
				hint = ": add https:// (or http:// for a loopback host)"
			}
			return fmt.Errorf("monri: WithBaseURL: %q is not an absolute http(s) URL%s", redactURL(baseURL, u), hint)
		}
		if u.User != nil {
			// Never sent (Authorization carries the signature), and the
			// Client would keep it where %v and BaseURL show it.
			return fmt.Errorf("monri: WithBaseURL: %q carries a user or password, which the client never sends: remove it (a proxy's credentials go in the http.Client's Transport.Proxy)", redactURL(baseURL, u))
		}
		c.baseURL = strings.TrimRight(baseURL, "/")
		return nil
	}
}

// WithInsecureHTTP lets WithBaseURL use http:// with a host that is not
// loopback, for a test server on another machine or a proxy on a trusted
// network. Signed requests then travel in clear text; never use it with
// production credentials.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.insecureHTTP = true
		return nil
	}
}

// CheckBaseURL applies WithBaseURL's rules to baseURL, for a command line
// or a configuration file that wants to say what is wrong before building a
// Client: nil if baseURL is an absolute https URL, or http with a loopback
// host, or http with any host when insecureHTTP is true.
func CheckBaseURL(baseURL string, insecureHTTP bool) error {
	var c config
	if err := WithBaseURL(baseURL)(&c); err != nil {
		return err
	}
	c.insecureHTTP = insecureHTTP
	return c.checkClearText()
}

// checkClearText refuses http:// to a host that is not loopback unless
// WithInsecureHTTP was given.
func (c *config) checkClearText() error {
	u, err := url.Parse(c.baseURL)
	if err != nil || u.Scheme != "http" || c.insecureHTTP || isLoopback(u.Hostname()) {
		return nil // WithBaseURL already checked the form
	}
	return fmt.Errorf("monri: WithBaseURL: %q would send signed requests in clear text to a host that is not loopback: use https://, or add WithInsecureHTTP() to allow it", redactURL(c.baseURL, u))
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactURL hides a password in a URL that is quoted in an error.
func redactURL(raw string, u *url.URL) string {
	if u == nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

// WithHTTPClient sends requests through hc instead of a default client.
// Its Timeout, if any, bounds each attempt; prefer WithTimeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("monri: WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithMaxRetries sets how many times a failed call that is safe to repeat is
// retried (default 2, so three attempts in all). Zero turns retries off.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("monri: WithMaxRetries: %d is negative", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithTimeout bounds each attempt, from sending the request to reading the
// whole response (DefaultTimeout, 30 s, by default). Zero turns the
// per-attempt bound off, leaving attempts bounded by ctx and, with the
// default transport, by DefaultResponseHeaderTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("monri: WithTimeout: %s is negative", d)
		}
		c.timeout = d
		return nil
	}
}

// WithBackoff sets the retry backoff: initial·2ⁿ with jitter, capped at
// maximum. The defaults are 0.5 s and 8 s. Retry-After from the server takes
// precedence.
func WithBackoff(initial, maximum time.Duration) Option {
	return func(c *config) error {
		if initial <= 0 || maximum < initial {
			return fmt.Errorf("monri: WithBackoff: need 0 < initial <= maximum, got %s and %s", initial, maximum)
		}
		c.initialBackoff, c.maxBackoff = initial, maximum
		return nil
	}
}

// WithLogger logs one debug line per attempt (method, path, status, duration,
// attempt). Logging is off by default. No credential, digest or Authorization
// value is ever logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithUserAgent appends suffix to the User-Agent, e.g. "my-shop/1.2".
func WithUserAgent(suffix string) Option {
	return func(c *config) error {
		if strings.ContainsAny(suffix, "\r\n") {
			return errors.New("monri: WithUserAgent: suffix contains a line break")
		}
		c.userAgent = "monri-go/" + Version
		if suffix != "" {
			c.userAgent += " " + suffix
		}
		return nil
	}
}

// withSleep replaces the wait between attempts, for tests.
func withSleep(fn func(context.Context, time.Duration) error) Option {
	return func(c *config) error {
		c.sleep = fn
		return nil
	}
}

// withClock sets the signing clock, for tests.
func withClock(now func() time.Time) Option {
	return func(c *config) error {
		c.clock = now
		return nil
	}
}

// NewClient returns a Client. It reads MONRI_MERCHANT_KEY,
// MONRI_AUTHENTICITY_TOKEN and MONRI_ENVIRONMENT, then applies opts, which
// take precedence. Missing credentials are an error.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{
		merchantKey:       os.Getenv(EnvMerchantKey),
		authenticityToken: os.Getenv(EnvAuthenticityToken),
		environment:       Test,
		maxRetries:        DefaultMaxRetries,
		initialBackoff:    DefaultInitialBackoff,
		maxBackoff:        DefaultMaxBackoff,
		userAgent:         "monri-go/" + Version,
		clock:             time.Now,
		timeout:           DefaultTimeout,
	}
	if v := os.Getenv(EnvEnvironment); v != "" {
		env, err := ParseEnvironment(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvEnvironment, err)
		}
		cfg.environment = env
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.checkClearText(); err != nil {
		return nil, err
	}
	if cfg.merchantKey == "" || cfg.authenticityToken == "" {
		return nil, ErrMissingCredentials
	}
	s, err := signer.New(cfg.merchantKey, cfg.authenticityToken, signer.WithClock(cfg.clock))
	if err != nil {
		return nil, fmt.Errorf("monri: credentials: %w", err)
	}
	cfg.merchantKey, cfg.authenticityToken = "", "" // the signer holds them now
	if cfg.baseURL == "" {
		cfg.baseURL = cfg.environment.BaseURL()
	}
	if cfg.httpClient == nil {
		cfg.httpClient = defaultHTTPClient()
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}

	a := &api{
		server: cfg.baseURL,
		cfg:    cfg,
		t: transport.New(transport.Config{
			HTTPClient:     cfg.httpClient,
			Signer:         s,
			UserAgent:      cfg.userAgent,
			MaxRetries:     cfg.maxRetries,
			Timeout:        cfg.timeout,
			InitialBackoff: cfg.initialBackoff,
			MaxBackoff:     cfg.maxBackoff,
			Logger:         cfg.logger,
			Sleep:          cfg.sleep,
		}),
	}
	raw, err := gen.NewClientWithResponses(cfg.baseURL, gen.WithHTTPClient(rawDoer{a.t}))
	if err != nil {
		return nil, fmt.Errorf("monri: %w", err)
	}
	return &Client{
		Customers: &CustomersService{api: a},
		PayByLink: &PayByLinkService{api: a},
		raw:       raw,
		base:      cfg.baseURL,
	}, nil
}

// defaultHTTPClient is a client on a clone of http.DefaultTransport (its
// proxy, dial and TLS handshake bounds) that also bounds the wait for an
// answer's headers.
func defaultHTTPClient() *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment}
	} else {
		t = t.Clone()
	}
	t.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	return &http.Client{Transport: t}
}

// BaseURL returns the server this Client talks to.
func (c *Client) BaseURL() string { return c.base }

// Raw returns the generated client underneath, with signing, retries and
// logging in place, for calls the facade does not wrap. Its calls are
// retried as GET and DELETE are, and take no RequestOption.
func (c *Client) Raw() *gen.ClientWithResponses { return c.raw }

// rawDoer is the generated client's HttpRequestDoer for Raw: the transport,
// with the answer handed back as an *http.Response.
type rawDoer struct{ t *transport.Transport }

// Do sends req through the transport.
func (d rawDoer) Do(req *http.Request) (*http.Response, error) {
	res, err := d.t.Do(req.Context(), req, transport.Call{Policy: transport.ByMethod})
	if err != nil {
		return nil, err
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", res.Status, http.StatusText(res.Status)),
		StatusCode:    res.Status,
		Header:        res.Header,
		Body:          io.NopCloser(bytes.NewReader(res.Body)),
		ContentLength: int64(len(res.Body)),
		Request:       req,
	}, nil
}
