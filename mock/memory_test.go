package mock

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/signer"
)

const bigStore = 100_000

// fill creates n customers with every field set, as the docs' example.
func fill(tb testing.TB, st *store, n int) {
	tb.Helper()
	s := func(v string) *string { return &v }
	for i := range n {
		id := strconv.Itoa(i)
		_, f := st.createCustomer(&gen.CustomerRequest{
			MerchantCustomerID: s("customer-id-" + id),
			Description:        s("Customer"),
			Email:              s("test" + id + "@example.com"),
			Name:               s("Test " + id),
			Phone:              s("+38761000000"),
			Metadata:           map[string]string{"key": "value"},
			ZipCode:            s("71000"),
			City:               s("Sarajevo"),
			Address:            s("Zmaja od Bosne 1"),
			Country:            s("BA"),
		})
		if f != nil {
			tb.Fatal(f)
		}
	}
}

// heapOf returns how many heap bytes stay live after build, and what it built.
func heapOf(build func() *store) (uint64, *store) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc), st
}

// liveHeapBudget is the live heap 100k customers may hold. The target is
// 200 MB of RSS (BENCHMARKS.md); with GOGC=100 the heap grows to about
// twice what is live before a collection, so half of it is the budget.
const liveHeapBudget = 100e6

// TestMemory100kCustomers checks 100k fully populated customers hold under
// liveHeapBudget of live heap and that a list page is cheap however deep
// it is.
func TestMemory100kCustomers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100k-customer store")
	}
	clock := func() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC) }
	used, st := heapOf(func() *store {
		st := newStore(clock)
		fill(t, st, bigStore)
		return st
	})
	t.Logf("100k customers: %.1f MB of heap, %d bytes per customer", float64(used)/1e6, used/bigStore)
	if float64(used) > liveHeapBudget {
		t.Errorf("100k customers take %.1f MB of live heap, want under %.0f MB (half the 200 MB RSS target)", float64(used)/1e6, liveHeapBudget/1e6)
	}

	// A deep page allocates only for the items it returns.
	allocs := testing.AllocsPerRun(10, func() { st.listCustomers(bigStore-60, 50) })
	shallow := testing.AllocsPerRun(10, func() { st.listCustomers(0, 50) })
	if allocs != shallow {
		t.Errorf("a page at offset %d allocates %v times, at offset 0 %v times", bigStore-60, allocs, shallow)
	}
	if got := len(st.listCustomers(bigStore-10, 50)); got != 10 {
		t.Errorf("last page has %d items, want 10", got)
	}
	runtime.KeepAlive(st)
}

// BenchmarkMemory100kCustomers reports the heap that 100k customers hold.
func BenchmarkMemory100kCustomers(b *testing.B) {
	clock := time.Now
	var used uint64
	for b.Loop() {
		u, st := heapOf(func() *store {
			st := newStore(clock)
			fill(b, st, bigStore)
			return st
		})
		used = u
		runtime.KeepAlive(st)
	}
	b.ReportMetric(float64(used)/1e6, "MB/100k-customers")
	b.ReportMetric(float64(used)/bigStore, "B/customer")
}

// BenchmarkListPage100k shows a page costs the same at any offset.
func BenchmarkListPage100k(b *testing.B) {
	st := newStore(time.Now)
	fill(b, st, bigStore)
	for _, offset := range []int{0, bigStore / 2, bigStore - 50} {
		b.Run("offset="+strconv.Itoa(offset), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(st.listCustomers(offset, 50)) != 50 {
					b.Fatal("short page")
				}
			}
		})
	}
}

// BenchmarkServeHTTP measures the hot path in-process (no network) with
// verification and validation on and off.
func BenchmarkServeHTTP(b *testing.B) {
	body := []byte(`{"merchant_customer_id":"x","name":"Test","email":"test@example.com","metadata":{"key":"value"},"country":"BA"}`)
	for _, mode := range []struct {
		name string
		opts []Option
	}{
		{"verify+validate", nil},
		{"validate", []Option{WithoutVerification()}},
		{"verify", []Option{WithoutValidation()}},
		{"neither", []Option{WithoutVerification(), WithoutValidation()}},
	} {
		srv, err := New(mode.opts...)
		if err != nil {
			b.Fatal(err)
		}
		sg, err := signer.New(DefaultMerchantKey, DefaultAuthenticityToken)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(mode.name+"/get", func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/v2/customers?limit=10", nil)
			if err := sg.Sign(req); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
		b.Run(mode.name+"/update", func(b *testing.B) {
			c, _ := srv.store.createCustomer(&gen.CustomerRequest{})
			target := "/v2/customers/" + c.UUID
			sign := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
			if err := sg.Sign(sign); err != nil {
				b.Fatal(err)
			}
			auth := sign.Header.Get("Authorization")
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", auth)
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}
