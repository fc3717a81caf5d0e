package mock_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
)

// TestConcurrentWritesLoseNothing runs 32 goroutines of creates, updates
// and deletes (and Pay By Link create-or-updates) at once, then checks that
// the store holds exactly what was done: nothing lost, nothing doubled.
// Run it with -race.
func TestConcurrentWritesLoseNothing(t *testing.T) {
	const workers, perWorker = 32, 6
	run := mock.Start(t)
	c := client(t, run, nil)
	ctx := context.Background()
	link := decodeFixture[gen.PayByLinkRequest](t, "pay_by_link_create.json")

	type want struct {
		description string
		deleted     bool
	}
	var (
		mu            sync.Mutex
		expected      = map[string]want{} // by merchant_customer_id
		sharedCreated int
		wg            sync.WaitGroup
	)
	for g := range workers {
		wg.Go(func() {
			for k := range perWorker {
				mid := fmt.Sprintf("g%02d-%d", g, k)
				cr, err := c.CreateCustomerWithResponse(ctx, gen.CustomerRequest{MerchantCustomerID: &mid, Description: ptrTo("created")})
				if !assert.NoError(t, err) || !assert.Equal(t, http.StatusOK, cr.StatusCode()) {
					return
				}
				id := cr.JSON200.UUID
				w := want{description: "created"}
				if k%2 == 0 {
					w.description = "updated " + mid
					ur, err := c.UpdateCustomerWithResponse(ctx, id, gen.CustomerRequest{Description: &w.description})
					assert.NoError(t, err)
					assert.Equal(t, http.StatusOK, ur.StatusCode())
				}
				if k%3 == 0 {
					w.deleted = true
					dr, err := c.DeleteCustomerWithResponse(ctx, id)
					assert.NoError(t, err)
					assert.Equal(t, http.StatusOK, dr.StatusCode())
				}
				mu.Lock()
				expected[mid] = w
				mu.Unlock()
			}
			// Everyone upserts one shared link; each creates its own.
			own := link
			own.OrderNumber = fmt.Sprintf("order-%02d", g)
			for _, body := range []gen.PayByLinkRequest{link, own, link} {
				pr, err := c.CreateOrUpdatePayByLinkWithResponse(ctx, body)
				if !assert.NoError(t, err) || !assert.Equal(t, http.StatusOK, pr.StatusCode()) {
					return
				}
				if body.OrderNumber == link.OrderNumber && pr.JSON200.Status == string(gen.SavedStatusCreated) {
					mu.Lock()
					sharedCreated++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()

	customers := run.Server.Customers()
	require.Len(t, customers, workers*perWorker)
	uuids := map[string]bool{}
	live := 0
	for _, cu := range customers {
		assert.False(t, uuids[cu.UUID], "uuid %s twice", cu.UUID)
		uuids[cu.UUID] = true
		mid := *cu.MerchantCustomerID
		w, ok := expected[mid]
		if !assert.True(t, ok, "unexpected or doubled customer %s", mid) {
			continue
		}
		delete(expected, mid)
		assert.Equal(t, w.description, *cu.Description, mid)
		assert.Equal(t, w.deleted, cu.Deleted, mid)
		if !w.deleted {
			live++
		}
	}
	assert.Empty(t, expected, "customers lost")
	list, err := c.ListCustomersWithResponse(ctx, &gen.ListCustomersParams{Limit: ptrTo(1000)})
	require.NoError(t, err)
	assert.Len(t, list.JSON200.Data, live)

	assert.Equal(t, 1, sharedCreated, "exactly one create-or-update of the shared order created it")
	links := run.Server.PayByLinks()
	require.Len(t, links, workers+1)
	for i, l := range links {
		assert.Equal(t, int64(i+1), l.ID, "ids are a sequence without gaps")
	}
}
