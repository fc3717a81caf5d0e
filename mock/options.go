package mock

import (
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
	DefaultAuthenticityToken = "7db11ea5d4a1af32421b564c79b946d1ead3daf0"
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
	verify            bool
	validate          bool
	errs              []error
}

func defaultConfig() config {
	return config{
		merchantKey:       DefaultMerchantKey,
		authenticityToken: DefaultAuthenticityToken,
		clock:             time.Now,
		verify:            true,
		validate:          true,
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
