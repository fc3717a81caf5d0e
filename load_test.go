package monri_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// modelCustomer and modelLink are what the operations that succeeded say
// the mock must hold.
type modelCustomer struct {
	uuid, city string
	deleted    bool
}

type modelLink struct {
	amount int64
	active bool
}

// worker runs ops mixed operations on customers and links it alone owns,
// so its model is exact whatever the other workers do at the same time.
type worker struct {
	id        int
	c         *monri.Client
	rng       *rand.Rand
	customers map[string]*modelCustomer // by merchant_customer_id
	live      []string
	links     map[string]*modelLink // by order number
	orders    []string
	ops       map[string]int
}

func (w *worker) step(t *testing.T, n int) error {
	ctx := t.Context()
	switch op := w.rng.IntN(10); {
	case op == 0 || len(w.live) == 0:
		id := fmt.Sprintf("w%d-c%d", w.id, n)
		c, err := w.c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: &id, Name: ptr("Load")})
		if err != nil {
			return err
		}
		w.customers[id] = &modelCustomer{uuid: c.UUID}
		w.live = append(w.live, id)
		w.ops["create customer"]++
	case op <= 2:
		id := w.live[w.rng.IntN(len(w.live))]
		city := fmt.Sprintf("City %d", n)
		if _, err := w.c.Customers.Update(ctx, w.customers[id].uuid, monri.CustomerParams{City: &city}); err != nil {
			return err
		}
		w.customers[id].city = city
		w.ops["update customer"]++
	case op == 3:
		i := w.rng.IntN(len(w.live))
		id := w.live[i]
		if _, err := w.c.Customers.Delete(ctx, w.customers[id].uuid); err != nil {
			return err
		}
		w.customers[id].deleted = true
		w.live = append(w.live[:i], w.live[i+1:]...)
		w.ops["delete customer"]++
	case op == 4:
		id := w.live[w.rng.IntN(len(w.live))]
		got, err := w.c.Customers.GetByMerchantCustomerID(ctx, id)
		if err != nil {
			return err
		}
		if want := w.customers[id]; got.UUID != want.uuid || (want.city != "" && *got.City != want.city) {
			return fmt.Errorf("read %s: got uuid %s city %v, model says %s %q", id, got.UUID, got.City, want.uuid, want.city)
		}
		w.ops["get customer"]++
	case op == 5:
		if _, err := w.c.Customers.List(ctx, &monri.ListParams{Limit: ptr(5)}); err != nil {
			return err
		}
		w.ops["list customers"]++
	case op <= 7 || len(w.orders) == 0:
		order := fmt.Sprintf("w%d-o%d", w.id, w.rng.IntN(20))
		amount := int64(100 + n)
		if _, err := w.c.PayByLink.CreateOrUpdate(ctx, link(order)); err != nil {
			return err
		}
		p := link(order)
		p.Amount = amount
		if _, err := w.c.PayByLink.CreateOrUpdate(ctx, p); err != nil {
			return err
		}
		if w.links[order] == nil {
			w.orders = append(w.orders, order)
			w.links[order] = &modelLink{active: true} // a new link is active
		}
		w.links[order].amount = amount // active is not sent, so it keeps its value
		w.ops["create-or-update link"]++
	case op == 8:
		order := w.orders[w.rng.IntN(len(w.orders))]
		active := !w.links[order].active
		p := link(order) // the worker owns the order: it sends the link's params
		p.Amount = w.links[order].amount
		var err error
		if active {
			_, err = w.c.PayByLink.Activate(ctx, p)
		} else {
			_, err = w.c.PayByLink.Deactivate(ctx, p)
		}
		if err != nil {
			return err
		}
		w.links[order].active = active
		w.ops["toggle link"]++
	default:
		order := w.orders[w.rng.IntN(len(w.orders))]
		got, err := w.c.PayByLink.Get(ctx, order)
		if err != nil {
			return err
		}
		if got.Amount != w.links[order].amount || got.Active != w.links[order].active {
			return fmt.Errorf("read %s: got amount %d active %v, model says %+v", order, got.Amount, got.Active, *w.links[order])
		}
		w.ops["get link"]++
	}
	return nil
}

// TestConcurrentLoadMatchesModel: 64 goroutines × 100 mixed operations
// through the facade against one mock, enough for the race detector to see
// every shared path contended; with MONRI_STRESS=1 (CI runs it once without
// -race), 64 × 1,000. Every operation must succeed, the final store must
// equal the model, and no goroutine may leak.
func TestConcurrentLoadMatchesModel(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const workers = 64
	opsEach := 100
	if os.Getenv("MONRI_STRESS") == "1" {
		opsEach = 1000
	}

	srv, err := mock.New()
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	transport := &http.Transport{MaxIdleConnsPerHost: workers}
	// Deferred after goleak's check, so these run first, pass or fail.
	defer func() {
		ts.Close()
		transport.CloseIdleConnections()
		_ = srv.Close()
	}()
	clearEnv(t)
	c, err := monri.NewClient(monri.WithBaseURL(ts.URL), monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken),
		monri.WithHTTPClient(&http.Client{Transport: transport}))
	require.NoError(t, err)

	ws := make([]*worker, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range ws {
		ws[i] = &worker{id: i, c: c, rng: rand.New(rand.NewPCG(uint64(i), 42)), customers: map[string]*modelCustomer{}, links: map[string]*modelLink{}, ops: map[string]int{}}
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for n := range opsEach {
				if err := w.step(t, n); err != nil {
					errs[w.id] = fmt.Errorf("worker %d op %d: %w", w.id, n, err)
					return
				}
			}
		}(ws[i])
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}

	// The store against the model.
	wantCustomers := map[string]modelCustomer{}
	wantLinks := map[string]modelLink{}
	total := map[string]int{}
	for _, w := range ws {
		for id, mc := range w.customers {
			wantCustomers[id] = *mc
		}
		for order, ml := range w.links {
			wantLinks[order] = *ml
		}
		for op, n := range w.ops {
			total[op] += n
		}
	}
	gotCustomers := map[string]modelCustomer{}
	for _, cust := range srv.Customers() {
		mc := modelCustomer{uuid: cust.UUID, deleted: cust.Deleted}
		if cust.City != nil {
			mc.city = *cust.City
		}
		gotCustomers[*cust.MerchantCustomerID] = mc
	}
	assert.Equal(t, wantCustomers, gotCustomers, "customers: nothing lost, doubled or changed unasked")
	gotLinks := map[string]modelLink{}
	for _, l := range srv.PayByLinks() {
		gotLinks[l.OrderNumber] = modelLink{amount: l.Amount, active: l.Active}
	}
	assert.Equal(t, wantLinks, gotLinks, "links: nothing lost, doubled or changed unasked")

	sum := 0
	for _, n := range total {
		sum += n
	}
	assert.Equal(t, workers*opsEach, sum)
	t.Logf("%d operations by %d goroutines: %v; %d customers, %d links", sum, workers, total, len(gotCustomers), len(gotLinks))
}
