package mock

import (
	"fmt"
	"net/http"
	"sync"
)

// ScriptedFault is what one API request meets under [WithFaultScript].
type ScriptedFault uint8

const (
	// ScriptNone lets the request through.
	ScriptNone ScriptedFault = iota
	// ScriptDrop closes the connection without an answer.
	ScriptDrop
	// Script500 answers 500 Internal Server Error in Monri's error shape.
	Script500
	// Script503 answers 503 Service Unavailable in Monri's error shape.
	Script503
	// ScriptHang holds the request until the client gives up, then drops
	// it: a server that never answers.
	ScriptHang
)

// String names the step as its constant does.
func (f ScriptedFault) String() string {
	switch f {
	case ScriptNone:
		return "ScriptNone"
	case ScriptDrop:
		return "ScriptDrop"
	case Script500:
		return "Script500"
	case Script503:
		return "Script503"
	case ScriptHang:
		return "ScriptHang"
	}
	return fmt.Sprintf("ScriptedFault(%d)", uint8(f))
}

// WithFaultScript gives the API requests, in the order they arrive, the
// faults listed: the first request meets script[0], the second script[1],
// and so on; requests after the script meet the random faults of
// [WithErrorRate] and [WithDropRate], if any, else none. Faults strike in
// the [WithFaultPhase] phase, as random ones do. Unlike a seed, a script
// says which attempt of which call fails, so a test reads as its scenario
// and an extra request elsewhere cannot shift it. Requests to the pay page,
// the contract and the control endpoints are not API requests and take no
// step; a request that net/http resends by itself (a GET whose reused
// connection dropped) is a new request and takes one. An unknown value
// makes New fail.
func WithFaultScript(script ...ScriptedFault) Option {
	return func(c *config) {
		for i, f := range script {
			if f > ScriptHang {
				c.fail("WithFaultScript: step %d: unknown fault %v", i, f)
				return
			}
		}
		c.script = append([]ScriptedFault(nil), script...)
	}
}

// faultScript hands out the steps of a script, one per API request.
type faultScript struct {
	mu    sync.Mutex
	steps []ScriptedFault
}

func newFaultScript(steps []ScriptedFault) *faultScript {
	if len(steps) == 0 {
		return nil
	}
	return &faultScript{steps: steps}
}

// next pops the next step; ok is false once the script is spent.
func (s *faultScript) next() (step ScriptedFault, ok bool) {
	if s == nil {
		return ScriptNone, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.steps) == 0 {
		return ScriptNone, false
	}
	step, s.steps = s.steps[0], s.steps[1:]
	return step, true
}

// nextFault decides the fault for an API request: the script's next step
// while it lasts, then the random faults. A hang waits here for the client
// to give up.
func (s *Server) nextFault(r *http.Request) fault {
	step, ok := s.script.next()
	if !ok {
		return s.faults.next()
	}
	switch step {
	case ScriptDrop:
		return fault{drop: true}
	case Script500:
		return fault{status: http.StatusInternalServerError}
	case Script503:
		return fault{status: http.StatusServiceUnavailable}
	case ScriptHang:
		<-r.Context().Done()
		return fault{drop: true}
	}
	return fault{}
}
