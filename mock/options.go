package mock

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// The docs' example credentials, used unless [WithCredentials] says otherwise.
const (
	// DefaultMerchantKey is the merchant key of Monri's digest example.
	DefaultMerchantKey = "qwert1234"
	// DefaultAuthenticityToken is the authenticity token of Monri's digest example.
	DefaultAuthenticityToken = "7db11ea5d4a1af32421b564c79b946d1ead3daf0" //nolint:gosec // G101: Monri's published docs example, not a secret
)

// FaultPhase says when an injected fault strikes.
type FaultPhase uint8

const (
	// FaultBeforeMutation replaces the request: nothing changes on the
	// server and the client sees the fault. This is the default.
	FaultBeforeMutation FaultPhase = iota
	// FaultAfterMutation applies the request and then loses or replaces its
	// response: the change happened although the client saw a fault.
	FaultAfterMutation
)

// String returns the phase's name.
func (p FaultPhase) String() string {
	switch p {
	case FaultBeforeMutation:
		return "FaultBeforeMutation"
	case FaultAfterMutation:
		return "FaultAfterMutation"
	}
	return fmt.Sprintf("FaultPhase(%d)", uint8(p))
}

// Option configures a [Server] in [New] and [Start].
type Option func(*config)

type config struct {
	merchantKey       string
	authenticityToken string
	clock             func() time.Time
	latency           time.Duration
	errorRate         float64
	dropRate          float64
	seed              int64
	seeded            bool
	phase             FaultPhase
	script            []ScriptedFault // WithFaultScript (faultscript.go)
	verify            bool
	validate          bool
	callbacks         CallbackPolicy
	linkUpdates       LinkUpdates
	createGate        func(context.Context)
	maxPageSize       int
	logs              logConfig // logoptions.go
	errs              []error
}

func defaultConfig() config {
	return config{
		merchantKey:       DefaultMerchantKey,
		authenticityToken: DefaultAuthenticityToken,
		clock:             time.Now,
		verify:            true,
		validate:          true,
		callbacks:         DefaultCallbackPolicy,
		logs:              defaultLogConfig(),
	}
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("mock: "+format, args...))
}

// WithCredentials sets the merchant key and authenticity token requests must
// be signed with. The defaults are [DefaultMerchantKey] and
// [DefaultAuthenticityToken]. Empty values make New fail.
func WithCredentials(merchantKey, authenticityToken string) Option {
	return func(c *config) {
		if merchantKey == "" {
			c.fail("WithCredentials: empty merchant key")
		}
		if authenticityToken == "" {
			c.fail("WithCredentials: empty authenticity token")
		}
		c.merchantKey, c.authenticityToken = merchantKey, authenticityToken
	}
}

// WithClock sets the server's clock: the source of every timestamp it
// writes, of Pay By Link expiry and of "now" when checking a signature's
// timestamp. The default is time.Now. A nil clock makes New fail.
func WithClock(clock func() time.Time) Option {
	return func(c *config) {
		if clock == nil {
			c.fail("WithClock: nil clock")
			return
		}
		c.clock = clock
	}
}

// WithLatency delays every API response by d. A negative d makes New fail.
func WithLatency(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("WithLatency: negative latency %v", d)
			return
		}
		c.latency = d
	}
}

// WithErrorRate turns the given fraction of API responses into a 500 or 503
// {"status":"error","message":...}. The rate must be within [0, 1].
func WithErrorRate(rate float64) Option {
	return func(c *config) {
		if !validRate(rate) {
			c.fail("WithErrorRate: rate %v is outside [0, 1]", rate)
			return
		}
		c.errorRate = rate
	}
}

// WithDropRate drops the given fraction of API requests' connections before
// the response is sent, so the client sees a transport error. The rate must
// be within [0, 1]. A drop takes precedence over an error from
// [WithErrorRate].
func WithDropRate(rate float64) Option {
	return func(c *config) {
		if !validRate(rate) {
			c.fail("WithDropRate: rate %v is outside [0, 1]", rate)
			return
		}
		c.dropRate = rate
	}
}

// WithSeed makes fault decisions deterministic: two servers with the same
// seed make the same decisions for the same sequence of API requests.
// Without it the seed is random.
func WithSeed(seed int64) Option {
	return func(c *config) { c.seed, c.seeded = seed, true }
}

// WithFaultPhase sets when injected faults strike; the default is
// [FaultBeforeMutation]. Any other value makes New fail.
func WithFaultPhase(phase FaultPhase) Option {
	return func(c *config) {
		if phase != FaultBeforeMutation && phase != FaultAfterMutation {
			c.fail("WithFaultPhase: unknown phase %v", phase)
			return
		}
		c.phase = phase
	}
}

// WithoutVerification accepts requests without checking their WP3-v2.1
// signature.
func WithoutVerification() Option {
	return func(c *config) { c.verify = false }
}

// WithoutValidation skips checking requests against the contract.
// Handlers still refuse input they cannot store (400), but a request the
// contract forbids may then be stored and echoed as sent.
func WithoutValidation() Option {
	return func(c *config) { c.validate = false }
}

func validRate(r float64) bool { return !math.IsNaN(r) && r >= 0 && r <= 1 }

func (c *config) err() error { return errors.Join(c.errs...) }

// CallbackPolicy bounds how the mock delivers a payment callback: up to
// Attempts POSTs, each bounded by AttemptTimeout, waiting InitialBackoff
// after the first failure and twice as long after each next one, up to
// MaxBackoff, and giving up when TotalTimeout has passed since the payment.
// A failure is a connection error, a timeout, or any answer other than 2xx
// (redirects are not followed). The waits use real time, not the clock of
// [WithClock], so a test's frozen clock does not stop deliveries.
type CallbackPolicy struct {
	Attempts       int
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	AttemptTimeout time.Duration
	TotalTimeout   time.Duration
}

// DefaultCallbackPolicy is the policy unless [WithCallbackPolicy] says
// otherwise: 8 attempts, 100 ms doubling up to 2 s between them, 5 s per
// attempt, 30 s in all.
var DefaultCallbackPolicy = CallbackPolicy{
	Attempts:       8,
	InitialBackoff: 100 * time.Millisecond,
	MaxBackoff:     2 * time.Second,
	AttemptTimeout: 5 * time.Second,
	TotalTimeout:   30 * time.Second,
}

// WithCallbackPolicy sets how payment callbacks are delivered and retried.
// A zero field keeps its value from [DefaultCallbackPolicy]; a negative one,
// or a MaxBackoff below InitialBackoff, makes New fail.
func WithCallbackPolicy(p CallbackPolicy) Option {
	return func(c *config) {
		if p.Attempts < 0 || p.InitialBackoff < 0 || p.MaxBackoff < 0 || p.AttemptTimeout < 0 || p.TotalTimeout < 0 {
			c.fail("WithCallbackPolicy: negative value in %+v", p)
			return
		}
		d := DefaultCallbackPolicy
		if p.Attempts == 0 {
			p.Attempts = d.Attempts
		}
		if p.InitialBackoff == 0 {
			p.InitialBackoff = d.InitialBackoff
		}
		if p.MaxBackoff == 0 {
			p.MaxBackoff = max(d.MaxBackoff, p.InitialBackoff)
		}
		if p.AttemptTimeout == 0 {
			p.AttemptTimeout = d.AttemptTimeout
		}
		if p.TotalTimeout == 0 {
			p.TotalTimeout = d.TotalTimeout
		}
		if p.MaxBackoff < p.InitialBackoff {
			c.fail("WithCallbackPolicy: MaxBackoff %v is below InitialBackoff %v", p.MaxBackoff, p.InitialBackoff)
			return
		}
		c.callbacks = p
	}
}
