package mock

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// faults decides, per API request, whether to drop the connection or answer
// with a server error, and how long to wait first. The settings change at
// run time (PUT /__mock/faults); on is false while both rates are zero, so
// the hot path then takes no lock.
type faults struct {
	on      atomic.Bool
	latency atomic.Int64 // nanoseconds

	mu  sync.Mutex
	rng *rand.Rand
	set FaultSettings
}

// FaultSettings are the faults a [Server] injects, as [WithErrorRate],
// [WithDropRate], [WithLatency] and [WithSeed] set them at start and
// [Server.SetFaults] changes them while it runs.
type FaultSettings struct {
	// ErrorRate is the fraction of API requests answered 500 or 503, in [0, 1].
	ErrorRate float64
	// DropRate is the fraction of API requests whose connection is
	// dropped, in [0, 1]; a drop takes precedence over an error.
	DropRate float64
	// Latency delays every API response; it is not negative.
	Latency time.Duration
	// Seed, when not nil, restarts the fault decisions from this seed, so
	// that the same requests meet the same faults; nil keeps the current
	// sequence (in Faults: the seed last set, nil when it was random).
	Seed *int64
}

// validate names the first setting that is out of range, as a JSON field.
func (fs FaultSettings) validate() error {
	switch {
	case !validRate(fs.ErrorRate):
		return fmt.Errorf("error_rate: must be within [0, 1], got %v", fs.ErrorRate)
	case !validRate(fs.DropRate):
		return fmt.Errorf("drop_rate: must be within [0, 1], got %v", fs.DropRate)
	case fs.Latency < 0:
		return fmt.Errorf("latency_ms: must not be negative, got %v", fs.Latency)
	case fs.Latency > MaxLatency:
		return fmt.Errorf("latency_ms: must be at most %d, got %v", MaxLatency.Milliseconds(), fs.Latency)
	}
	return nil
}

// MaxLatency is the largest latency [Server.SetFaults] accepts, so that a
// typo cannot hang every client for hours.
const MaxLatency = 5 * time.Minute

func newFaults(cfg config) *faults {
	f := &faults{}
	fs := FaultSettings{ErrorRate: cfg.errorRate, DropRate: cfg.dropRate, Latency: cfg.latency}
	if cfg.seeded {
		fs.Seed = &cfg.seed
	}
	f.apply(fs)
	return f
}

// apply replaces the settings; validated before.
func (f *faults) apply(fs FaultSettings) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case fs.Seed != nil:
		seed := uint64(*fs.Seed)                                     //nolint:gosec // G115: the seed's bits; every int64 is a seed
		f.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) //nolint:gosec // G404: faults replay from a seed; nothing secret is drawn
		fs.Seed = ptr(*fs.Seed)
	case f.rng == nil:
		var b [8]byte
		_, _ = crand.Read(b[:])
		seed := binary.LittleEndian.Uint64(b[:])
		f.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) //nolint:gosec // G404: faults replay from a seed; nothing secret is drawn
	default:
		fs.Seed = f.set.Seed // the sequence goes on from the seed last set
	}
	f.set = fs
	f.latency.Store(int64(fs.Latency))
	f.on.Store(fs.ErrorRate > 0 || fs.DropRate > 0)
}

func (f *faults) settings() FaultSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	fs := f.set
	if fs.Seed != nil {
		fs.Seed = ptr(*fs.Seed)
	}
	return fs
}

// Faults returns the faults the server injects now.
func (s *Server) Faults() FaultSettings { return s.faults.settings() }

// SetFaults replaces the faults the server injects, for the requests that
// arrive from now on. It fails, naming the setting, when one is out of
// range, and changes nothing then.
func (s *Server) SetFaults(fs FaultSettings) error {
	if err := fs.validate(); err != nil {
		return fmt.Errorf("mock: SetFaults: %w", err)
	}
	s.faults.apply(fs)
	return nil
}

// fault is one decision: drop, a 500 or 503, or nothing.
type fault struct {
	drop   bool
	status int
}

func (f fault) none() bool { return !f.drop && f.status == 0 }

// next draws the decision for the next request. Every request draws the
// same three numbers whatever the outcome, so the sequence of decisions
// depends only on the seed and the number of requests before it.
func (f *faults) next() fault {
	if !f.on.Load() {
		return fault{}
	}
	f.mu.Lock()
	drop, fail, coin := f.rng.Float64(), f.rng.Float64(), f.rng.IntN(2)
	dropRate, errorRate := f.set.DropRate, f.set.ErrorRate
	f.mu.Unlock()
	switch {
	case drop < dropRate:
		return fault{drop: true}
	case fail < errorRate:
		if coin == 1 {
			return fault{status: http.StatusServiceUnavailable}
		}
		return fault{status: http.StatusInternalServerError}
	}
	return fault{}
}

// inject sends the fault to the client in place of the real response.
func (f fault) inject(w http.ResponseWriter) {
	if f.drop {
		noteRule(w, "fault injected by the mock: connection dropped")
		dropConnection(w)
		return
	}
	msg := "An error occurred while processing request. Please try later. (fault injected by the mock)"
	if f.status == http.StatusServiceUnavailable {
		msg = "The service is temporarily unavailable. Please try later. (fault injected by the mock)"
	}
	writeError(w, f.status, msg)
}

// dropConnection closes the connection without a response. Where the
// connection cannot be taken over (HTTP/2, a wrapping ResponseWriter), it
// aborts the handler, which net/http turns into a reset.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// delay waits for the configured latency. It reports false if the request
// was cancelled meanwhile.
func (s *Server) delay(r *http.Request) bool {
	latency := time.Duration(s.faults.latency.Load())
	if latency <= 0 {
		return true
	}
	t := time.NewTimer(latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
