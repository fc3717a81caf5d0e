// Command rss reports how much memory the mock takes to hold 100k customers.
//
//	go run ./bench/rss [-n 100000]
//
// It starts a mock.Server in this process (no listener), creates n customers
// through its HTTP handler with signed requests, each with every field set
// as in the docs' example and a unique merchant_customer_id, then runs the
// garbage collector, returns freed memory to the OS and reads VmRSS from
// /proc/self/status. It prints one JSON object: the resident set before and
// after seeding and the Go heap in use. For make bench only.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// Result is what rss prints.
type Result struct {
	Customers   int     `json:"customers"`
	RSSBeforeMB float64 `json:"rss_before_mb"` // the mock with its contract loaded, no customers
	RSSMB       float64 `json:"rss_mb"`        // after seeding, GC and FreeOSMemory
	HeapInuseMB float64 `json:"heap_inuse_mb"`
	Stored      int     `json:"stored"` // customers the server reports holding
}

func main() {
	n := flag.Int("n", 100_000, "customers to create (at most 1,000,000)")
	flag.Parse()
	if *n < 0 || *n > 1_000_000 {
		fmt.Fprintln(os.Stderr, "rss: -n must be 0-1000000")
		os.Exit(2)
	}
	res, err := measure(*n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(1)
	}
	b, _ := json.Marshal(res)
	fmt.Println(string(b))
}

func measure(n int) (Result, error) {
	srv, err := mock.New()
	if err != nil {
		return Result{}, err
	}
	sg, err := signer.New(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken)
	if err != nil {
		return Result{}, err
	}
	settle()
	before, err := vmRSS()
	if err != nil {
		return Result{}, err
	}
	for i := range n {
		id := strconv.Itoa(i)
		body := `{"merchant_customer_id":"customer-id-` + id + `","description":"Customer","email":"test` + id +
			`@example.com","name":"Test ` + id + `","phone":"+38761000000","metadata":{"key":"value"},` +
			`"zip_code":"71000","city":"Sarajevo","address":"Zmaja od Bosne 1","country":"BA"}`
		req := httptest.NewRequest(http.MethodPost, "/v2/customers", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		if err := sg.Sign(req); err != nil {
			return Result{}, err
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			return Result{}, fmt.Errorf("customer %d: %d %s", i, w.Code, w.Body)
		}
	}
	settle()
	after, err := vmRSS()
	if err != nil {
		return Result{}, err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res := Result{
		Customers:   n,
		RSSBeforeMB: float64(before) / 1e6,
		RSSMB:       float64(after) / 1e6,
		HeapInuseMB: float64(ms.HeapInuse) / 1e6,
		Stored:      len(srv.Customers()),
	}
	runtime.KeepAlive(srv)
	return res, nil
}

// settle collects garbage and hands freed pages back to the OS, so that
// VmRSS counts what is live.
func settle() {
	runtime.GC()
	debug.FreeOSMemory()
}

// vmRSS reads the resident set size of this process, in bytes.
func vmRSS() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmRSS: %w", err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}
