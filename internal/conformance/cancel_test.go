package conformance_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/internal/conformance"
	"github.com/monri-go/monri/mock"
)

// hookTransport calls before for each request, with its number from 1, then sends it.
type hookTransport struct {
	mu     sync.Mutex
	n      int
	before func(n int, r *http.Request)
	after  func(r *http.Request, resp *http.Response)
}

func (h *hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.n++
	n := h.n
	h.mu.Unlock()
	if h.before != nil {
		h.before(n, r)
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && h.after != nil {
		h.after(r, resp)
	}
	return resp, err
}

// TestCancelledRunCleansUp: Ctrl-C (a cancelled context) at each point of a
// run still deletes every customer and deactivates every link it made.
func TestCancelledRunCleansUp(t *testing.T) {
	for _, at := range []int{1, 2, 5, 12, 20} {
		m := mock.Start(t)
		ctx, cancel := context.WithCancel(t.Context())
		cfg := config(m)
		cfg.HTTPClient = &http.Client{Transport: &hookTransport{before: func(n int, _ *http.Request) {
			if n == at {
				cancel()
			}
		}}}
		results, err := conformance.Run(ctx, cfg)
		cancel()
		require.ErrorIs(t, err, context.Canceled, "cancelled at request %d", at)
		for _, r := range results {
			assert.NotEqual(t, "timestamps-parse", r.Name, "a run cancelled at request %d ran to its last check", at)
		}
		if at >= 5 {
			require.NotEmpty(t, m.Server.Customers(), "the run made customers before request %d", at)
		}
		assertNoLeftovers(t, m.Server)
	}
}
