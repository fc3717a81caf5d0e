package mock

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// faults decides, per API request, whether to drop the connection or answer
// with a server error. It is nil when no fault is configured, so the hot
// path takes no lock.
type faults struct {
	mu        sync.Mutex
	rng       *rand.Rand
	errorRate float64
	dropRate  float64
}

func newFaults(cfg config) *faults {
	if cfg.errorRate == 0 && cfg.dropRate == 0 {
		return nil
	}
	seed := uint64(cfg.seed)
	if !cfg.seeded {
		var b [8]byte
		_, _ = crand.Read(b[:])
		seed = binary.LittleEndian.Uint64(b[:])
	}
	return &faults{
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		errorRate: cfg.errorRate,
		dropRate:  cfg.dropRate,
	}
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
	if f == nil {
		return fault{}
	}
	f.mu.Lock()
	drop, fail, coin := f.rng.Float64(), f.rng.Float64(), f.rng.IntN(2)
	f.mu.Unlock()
	switch {
	case drop < f.dropRate:
		return fault{drop: true}
	case fail < f.errorRate:
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
	if s.cfg.latency <= 0 {
		return true
	}
	t := time.NewTimer(s.cfg.latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
