package monri_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/wire"
)

// TestListAllSurvivesACappedPageSize: a server that answers at most 10
// items whatever limit is asked for must not cut the walk short.
func TestListAllSurvivesACappedPageSize(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t, mock.WithMaxPageSize(10))
	var lists atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			lists.Add(1)
		}
		m.Server.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c := fastRetryClient(t, ts.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	ctx := t.Context()

	var owner string
	for i := range 30 {
		cust, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr(fmt.Sprintf("cap-%02d", i))})
		require.NoError(t, err)
		owner = cust.UUID
	}
	for i := range 30 {
		_, err := m.Server.AddPaymentMethod(owner, gen.PaymentMethod{MaskedPan: fmt.Sprintf("405840******%04d", i)})
		require.NoError(t, err)
	}

	for _, limit := range []*int{nil, ptr(50), ptr(10), ptr(7)} {
		name := "default limit"
		if limit != nil {
			name = "limit " + strconv.Itoa(*limit)
		}
		t.Run(name, func(t *testing.T) {
			lists.Store(0)
			seen := map[string]int{}
			for cust, err := range c.Customers.ListAll(ctx, &monri.ListParams{Limit: limit}) {
				require.NoError(t, err)
				seen[*cust.MerchantCustomerID]++
			}
			assert.Len(t, seen, 30, "every customer")
			for id, n := range seen {
				assert.Equal(t, 1, n, "%s yielded %d times", id, n)
			}
			customerPages := lists.Load()

			lists.Store(0)
			pans := map[string]int{}
			for pm, err := range c.Customers.ListAllPaymentMethods(ctx, owner, &monri.PaymentMethodListParams{Limit: limit}) {
				require.NoError(t, err)
				pans[pm.MaskedPan]++
			}
			assert.Len(t, pans, 30, "every payment method")
			for pan, n := range pans {
				assert.Equal(t, 1, n, "%s yielded %d times", pan, n)
			}
			want := int32(4) // three pages of 10 and the empty one
			if limit != nil && *limit == 7 {
				want = 6 // 7, 7, 7, 7, 2 and the empty one
			}
			assert.Equal(t, want, customerPages)
			assert.Equal(t, want, lists.Load())
		})
	}
}

// pagedServer answers GET /v2/customers with the page the script gives for
// the request's offset; an offset it lacks is an empty page.
func pagedServer(t *testing.T, pages map[int][]string) (*httptest.Server, *atomic.Int32) {
	var requests atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		page := gen.CustomerList{Status: gen.ApprovedStatusApproved, Data: []gen.CustomerListItem{}}
		at := wire.NewTimestamp(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), wire.RFC3339)
		for _, id := range pages[offset] {
			page.Data = append(page.Data, gen.CustomerListItem{
				Status: gen.ApprovedStatusApproved, ID: id, MerchantCustomerID: ptr("m-" + id), CreatedAt: at, UpdatedAt: at,
			})
		}
		w.Header().Set("Content-Type", "application/json")
		assert.NoError(t, json.NewEncoder(w).Encode(page))
	}))
	t.Cleanup(ts.Close)
	return ts, &requests
}

// TestListAllOverAChangingList: items that move to a later page while the
// walk runs are yielded once; a page with nothing new ends the walk with
// an error rather than looping or stopping silently.
func TestListAllOverAChangingList(t *testing.T) {
	cases := []struct {
		name     string
		pages    map[int][]string
		want     []string
		requests int32
		wantErr  string
	}{
		{"stable list", map[int][]string{0: {"a", "b"}, 2: {"c", "d"}, 4: {"e"}}, []string{"a", "b", "c", "d", "e"}, 4, ""},
		{"a customer created mid-walk shifts b onto the next page",
			map[int][]string{0: {"a", "b"}, 2: {"b", "c"}, 4: {"d"}}, []string{"a", "b", "c", "d"}, 4, ""},
		{"short pages from a capping server do not end the walk",
			map[int][]string{0: {"a"}, 1: {"b"}, 2: {"c"}}, []string{"a", "b", "c"}, 4, ""},
		{"a server that ignores offset",
			map[int][]string{0: {"a", "b"}, 2: {"a", "b"}, 4: {"a", "b"}}, []string{"a", "b"}, 2, "holds only items already yielded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts, requests := pagedServer(t, tc.pages)
			c := fastRetryClient(t, ts.URL)
			var got []string
			var errs []error
			for cust, err := range c.Customers.ListAll(t.Context(), &monri.ListParams{Limit: ptr(2)}) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				got = append(got, cust.UUID)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.requests, requests.Load())
			if tc.wantErr == "" {
				assert.Empty(t, errs)
				return
			}
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0].Error(), tc.wantErr)
		})
	}
}
