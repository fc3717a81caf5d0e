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

// TestFaultsSeededRunAllSucceed: in one fixed fault sequence (seed 4,
// calls in order), every create and every retry-safe call succeeds within
// the default budget of two retries, and each create leaves exactly one
// customer although many of their answers were lost. The seed is one in
// which no call meets three faults in a row; with independent faults about
// 3.8% of calls would, which TestFaultsAtScale measures and bounds.
func TestFaultsSeededRunAllSucceed(t *testing.T) {
	clearEnv(t)
	m := faultyMock(t, 4)
	c := fastRetryClient(t, m.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	ctx := t.Context()

	uuids := createEach(t, c, "seeded", 8)
	require.Len(t, m.Server.Customers(), 8, "exactly one customer per create")

	calls := 0
	for i, uuid := range uuids {
		for _, fc := range faultCalls(c, uuid, fmt.Sprintf("seeded-o%d", i)) {
			require.NoError(t, fc.call(ctx), "%s on customer %d", fc.name, i)
			calls++
		}
	}
	t.Logf("%d creates and %d retry-safe calls, all succeeded", len(uuids), calls)
}

// TestFaultsAtScale runs many calls concurrently under the same fault mix
// and reports the figures in RELIABILITY.md. With independent faults an
// attempt fails 1-(0.7·0.95) = 33.5% of the time, so 0.335³ ≈ 3.8% of calls
// spend the default budget of three attempts on faults; those must fail
// with the fault itself, never with a wrong answer, and no create may ever
// make a second customer.
func TestFaultsAtScale(t *testing.T) {
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

// TestNoCallOutlivesItsContext: with 50 ms latency, faults and backoff, a
// call returns within 50 ms of its context's deadline, whatever it was doing.
func TestNoCallOutlivesItsContext(t *testing.T) {
	clearEnv(t)
	m := faultyMock(t, 5)
	c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	require.NoError(t, err) // default backoff: 0.5 s and up, so deadlines often strike mid-wait
	cust, err := c.Customers.Create(t.Context(), monri.CustomerParams{MerchantCustomerID: ptr("deadline-1")})
	require.NoError(t, err)

	var worst time.Duration
	for i := range 40 {
		budget := time.Duration(10+i*15) * time.Millisecond
		ctx, cancel := context.WithTimeout(t.Context(), budget)
		deadline, _ := ctx.Deadline()
		_, err := c.Customers.Get(ctx, cust.UUID)
		over := time.Since(deadline)
		cancel()
		if err != nil && over > worst {
			worst = over
		}
		if err != nil {
			assert.ErrorIs(t, err, context.DeadlineExceeded, "call %d", i)
		}
		assert.Less(t, over, 50*time.Millisecond, "call %d with a %s budget returned %s after its deadline", i, budget, over)
	}
	t.Logf("worst return after the deadline: %s", worst)
}
