package mock

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/monri-go/monri/signer"
)

// BenchmarkListPage lists one page of 50 customers from the middle of the
// list through the whole pipeline (signature, contract, handler, JSON) with
// 1k and with 100k customers stored. make bench reports the ratio of the
// two (target: within 2x).
func BenchmarkListPage(b *testing.B) {
	sg, err := signer.New(DefaultMerchantKey, DefaultAuthenticityToken)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1_000, 100_000} {
		b.Run("customers="+strconv.Itoa(n), func(b *testing.B) {
			srv, err := New()
			if err != nil {
				b.Fatal(err)
			}
			fill(b, srv.store, n)
			req := httptest.NewRequest(http.MethodGet, "/v2/customers?limit=50&offset="+strconv.Itoa(n/2), nil)
			if err := sg.Sign(req); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}
