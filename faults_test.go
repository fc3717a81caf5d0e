package monri_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// The fault mix of the reliability figures: 30% of answers become 500 or
// 503, 5% of connections are dropped before the answer, every answer is
// 50 ms late, and faults strike after the request was applied (lost answers).
func faultyMock(t *testing.T, seed int64) *mock.Running {
	return mock.Start(t,
		mock.WithErrorRate(0.3), mock.WithDropRate(0.05), mock.WithLatency(50*time.Millisecond),
		mock.WithSeed(seed), mock.WithFaultPhase(mock.FaultAfterMutation))
}

// isFault reports whether err is what an injected fault looks like to a
// caller once the retry budget is spent: a 5xx, or a connection that broke.
func isFault(err error) bool {
	var apiErr *monri.Error
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatus == http.StatusInternalServerError || apiErr.HTTPStatus == http.StatusServiceUnavailable
	}
	return err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// faultCall is one retry-safe call of a round.
type faultCall struct {
	name string
	call func(context.Context) error
}

// faultCalls is one round of retry-safe calls on a customer and a link, in
// order: the link is created before it is read.
func faultCalls(c *monri.Client, uuid, order string) []faultCall {
	return []faultCall{
		{"get customer", func(ctx context.Context) error { _, err := c.Customers.Get(ctx, uuid); return err }},
		{"update customer", func(ctx context.Context) error {
			_, err := c.Customers.Update(ctx, uuid, monri.CustomerParams{City: ptr("Mostar")})
			return err
		}},
		{"list customers", func(ctx context.Context) error {
			_, err := c.Customers.List(ctx, &monri.ListParams{Limit: ptr(5)})
			return err
		}},
		{"payment methods", func(ctx context.Context) error { _, err := c.Customers.ListPaymentMethods(ctx, uuid, nil); return err }},
		{"create-or-update", func(ctx context.Context) error { _, err := c.PayByLink.CreateOrUpdate(ctx, link(order)); return err }},
		{"get link", func(ctx context.Context) error { _, err := c.PayByLink.Get(ctx, order); return err }},
	}
}

// faultCallNames are the calls of faultCalls, in order.
var faultCallNames = func() []string {
	var names []string
	for _, fc := range faultCalls(nil, "", "") {
		names = append(names, fc.name)
	}
	return names
}()

// scriptedMock serves a fault script after the setupRequests that make
// the customer and the link a call works on, all answers lost after the
// request was applied.
func scriptedMock(t *testing.T, script ...mock.ScriptedFault) *mock.Running {
	steps := make([]mock.ScriptedFault, setupRequests, setupRequests+len(script))
	return mock.Start(t, mock.WithFaultPhase(mock.FaultAfterMutation), mock.WithFaultScript(append(steps, script...)...))
}

// setupRequests is how many API requests setup sends: one create each.
const setupRequests = 2

// setup creates the customer and the link a faultCall works on.
func setup(t *testing.T, c *monri.Client, id string) (uuid, order string) {
	t.Helper()
	cust, err := c.Customers.Create(t.Context(), monri.CustomerParams{MerchantCustomerID: ptr(id)})
	require.NoError(t, err)
	order = id + "-o"
	_, err = c.PayByLink.CreateOrUpdate(t.Context(), link(order))
	require.NoError(t, err)
	return cust.UUID, order
}

// TestFaultsScriptedRetrySafeCalls: a retry-safe call whose first two
// attempts meet faults succeeds on its third, the default budget of two
// retries; one whose three attempts all meet faults fails with the fault.
// The answers are lost after the request was applied, so a retried update
// or create-or-update is applied twice, harmlessly.
func TestFaultsScriptedRetrySafeCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		script  []mock.ScriptedFault
		succeed bool
	}{
		{"a 503 and a 500, then an answer", []mock.ScriptedFault{mock.Script503, mock.Script500}, true},
		{"a 500 and a drop, then an answer", []mock.ScriptedFault{mock.Script500, mock.ScriptDrop}, true},
		// Not drops: net/http itself resends a GET whose reused connection
		// dropped, which takes a step without spending the budget.
		{"three 5xx spend the budget", []mock.ScriptedFault{mock.Script500, mock.Script503, mock.Script500}, false},
	}
	for _, tt := range tests {
		for i, name := range faultCallNames {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				m := scriptedMock(t, tt.script...)
				c := fastRetryClient(t, m.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
				uuid, order := setup(t, c, "scripted")
				err := faultCalls(c, uuid, order)[i].call(t.Context())
				if tt.succeed {
					require.NoError(t, err)
				} else {
					require.Error(t, err)
					assert.True(t, isFault(err), "the call fails with the fault itself: %v", err)
				}
				assert.Len(t, m.Server.Customers(), 1)
				assert.Len(t, m.Server.PayByLinks(), 1)
			})
		}
	}
}

// TestFaultsScriptedCreates: a create whose answer is lost leaves exactly
// one customer, found by its merchant id instead of being made again. A 503
// refused before it was applied looks the same to the client, which must not
// send it again: the lookups find nothing, and the call ends in
// *monri.OutcomeUnknownError with no customer made.
func TestFaultsScriptedCreates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		phase   mock.FaultPhase
		script  []mock.ScriptedFault
		created bool
	}{
		{"the answer is lost", mock.FaultAfterMutation, []mock.ScriptedFault{mock.Script503}, true},
		{"the connection drops after the create", mock.FaultAfterMutation, []mock.ScriptedFault{mock.ScriptDrop}, true},
		{"the answer and the lookup's first answer are lost", mock.FaultAfterMutation, []mock.ScriptedFault{mock.Script500, mock.ScriptDrop}, true},
		{"refused before it was applied", mock.FaultBeforeMutation, []mock.ScriptedFault{mock.Script503}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := mock.Start(t, mock.WithFaultPhase(tt.phase), mock.WithFaultScript(tt.script...))
			c := fastRetryClient(t, m.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
			cust, err := c.Customers.Create(t.Context(), monri.CustomerParams{MerchantCustomerID: ptr("scripted-create")})
			if !tt.created {
				var unknown *monri.OutcomeUnknownError
				require.ErrorAs(t, err, &unknown)
				assert.Equal(t, "scripted-create", unknown.MerchantCustomerID)
				assert.Empty(t, m.Server.Customers(), "a create is never sent twice")
				return
			}
			require.NoError(t, err)
			all := m.Server.Customers()
			require.Len(t, all, 1, "exactly one customer per create")
			assert.Equal(t, all[0].UUID, cust.UUID)
		})
	}
}

// TestFaultsAtScale runs many calls concurrently under the same fault mix
// and reports the figures in RELIABILITY.md. With independent faults an
// attempt fails 1-(0.7·0.95) = 33.5% of the time, so 0.335³ ≈ 3.8% of calls
// spend the default budget of three attempts on faults; those must fail
// with the fault itself, never with a wrong answer, and no create may ever
// make a second customer.
func TestFaultsAtScale(t *testing.T) {
	t.Parallel()
	clearEnv(t)
	m := faultyMock(t, 11)
	c := fastRetryClient(t, m.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	ctx := t.Context()
	const goroutines, creates = 16, 8

	var mu sync.Mutex
	created := map[string]bool{}
	uuids := map[string]string{}
	ok, failed := map[string]int{}, map[string]int{}
	var unexpected []error
	record := func(name string, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			ok[name]++
		case isFault(err):
			failed[name]++
		default:
			unexpected = append(unexpected, fmt.Errorf("%s: %w", name, err))
		}
	}

	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range creates {
				id := fmt.Sprintf("scale-%d-%d", g, i)
				cust, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: &id})
				record("create customer", err)
				if err != nil {
					continue
				}
				mu.Lock()
				created[id] = true
				uuids[id] = cust.UUID
				mu.Unlock()
				linkMade := false
				for _, fc := range faultCalls(c, cust.UUID, fmt.Sprintf("scale-o%d-%d", g, i)) {
					if fc.name == "get link" && !linkMade {
						continue // its link may not exist: the create spent its budget
					}
					err := fc.call(ctx)
					record(fc.name, err)
					linkMade = linkMade || (fc.name == "create-or-update" && err == nil)
				}
			}
		}()
	}
	wg.Wait()
	require.Empty(t, unexpected, "every failure must be an injected fault")

	perID := map[string]int{}
	for _, cust := range m.Server.Customers() {
		perID[*cust.MerchantCustomerID]++
	}
	for id, n := range perID {
		assert.Equal(t, 1, n, "%s: a create made %d customers", id, n)
	}
	for id := range created {
		assert.Equal(t, 1, perID[id], "%s: a create that succeeded left no customer", id)
	}

	totalOK, totalFailed := 0, 0
	for name := range ok {
		totalOK += ok[name]
	}
	for name := range failed {
		totalFailed += failed[name]
	}
	rate := float64(totalOK) / float64(totalOK+totalFailed)
	t.Logf("calls: %d succeeded, %d spent the budget on faults (%.1f%% success); by call: ok %v, failed %v; customers %d for %d creates attempted",
		totalOK, totalFailed, 100*rate, ok, failed, len(m.Server.Customers()), goroutines*creates)
	// Expected about 96%; 90% is more than five standard deviations below.
	assert.Greater(t, rate, 0.90)
}

// lateBound is how long after its deadline a call may return: generous,
// for a loaded machine under -race. A call that ignored its deadline would
// come back seconds late: the server below holds a request until the
// client gives up, and the backoff is 5 s and up.
const lateBound = time.Second

// TestNoCallOutlivesItsContext: a deadline that strikes while the server
// holds the request, during the backoff after a fault, or while the retry
// is held ends the call with the deadline, at once.
func TestNoCallOutlivesItsContext(t *testing.T) {
	t.Parallel()
	const budget = 100 * time.Millisecond
	slow := monri.WithBackoff(5*time.Second, 10*time.Second)
	fast := monri.WithBackoff(time.Millisecond, time.Millisecond)
	tests := []struct {
		name    string
		script  []mock.ScriptedFault
		backoff monri.Option
	}{
		{"the server holds the request", []mock.ScriptedFault{mock.ScriptHang}, slow},
		{"waiting to retry after a 503", []mock.ScriptedFault{mock.Script503}, slow},
		{"waiting to retry after a drop", []mock.ScriptedFault{mock.ScriptDrop}, slow},
		{"the server holds the retry", []mock.ScriptedFault{mock.Script503, mock.ScriptHang}, fast},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := mock.Start(t, mock.WithFaultScript(tt.script...))
			clearEnv(t)
			c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken), tt.backoff)
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(t.Context(), budget)
			defer cancel()
			deadline, _ := ctx.Deadline()
			_, err = c.Customers.Get(ctx, "6f0b5f46-7e4e-4a0c-9a2b-0d6f5d3c2b1a")
			over := time.Since(deadline)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, over, lateBound, "returned %s after its deadline", over)
			t.Logf("returned %s after its deadline", over)
		})
	}
}
