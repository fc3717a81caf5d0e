// Command loadgen drives a Monri API server on this machine with signed
// requests and reports requests per second and latency percentiles.
//
//	go run ./bench/loadgen -target http://127.0.0.1:4010 -route get-customer -c 16 -d 10s
//
// It is for `make bench` and `make bench-peer` only. It refuses any target
// other than 127.0.0.1 or localhost (dialled as 127.0.0.1, never resolved),
// and every run is bounded both in time (-d, at most 5 minutes) and in
// request count (-n).
//
// Routes, each signed per request with a fresh WP3-v2.1 header:
//
//	get-customer      GET  /v2/customers/{uuid}, of a customer created first
//	create-customer   POST /v2/customers, the docs' example with a unique merchant_customer_id
//	create-or-update  POST /v2/terminal-entry/create-or-update, the docs' example, 64 order numbers per connection
//
// Each connection is a closed loop over one keep-alive HTTP/1.1 connection,
// written by hand so that the generator spends as little CPU as possible:
// on a 2-core machine it shares the cores with the server it measures. A
// request counts as ok when the answer is 200; any other status, and any
// connection error, is counted and printed, and makes the exit code 1.
package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/monri-go/monri/signer"
)

// Bounds on what a run may ask for.
const (
	maxDuration    = 5 * time.Minute
	maxConnections = 256
	maxRequests    = 50_000_000
)

// The mock's default credentials (mock.DefaultMerchantKey and
// mock.DefaultAuthenticityToken), repeated so this command does not link the mock.
const (
	defaultMerchantKey = "qwert1234"                                //nolint:gosec // Monri's published docs example, not a secret
	defaultToken       = "7db11ea5d4a1af32421b564c79b946d1ead3daf0" //nolint:gosec // the same
)

var routes = []string{"get-customer", "create-customer", "create-or-update"}

// Result is one route's measurement, printed as a JSON line with -json.
type Result struct {
	Target      string         `json:"target"`
	Route       string         `json:"route"`
	Connections int            `json:"connections"`
	Seconds     float64        `json:"seconds"`
	Requests    int64          `json:"requests"`
	OK          int64          `json:"ok"`
	Failed      int64          `json:"failed"`
	Statuses    map[string]int `json:"statuses,omitempty"` // non-200 answers and errors
	RPS         float64        `json:"rps"`
	P50ms       float64        `json:"p50_ms"`
	P90ms       float64        `json:"p90_ms"`
	P99ms       float64        `json:"p99_ms"`
	Maxms       float64        `json:"max_ms"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("target", "", "base URL of the server: http://127.0.0.1:PORT or http://localhost:PORT (nothing else is accepted)")
	routeList := fs.String("route", strings.Join(routes, ","), "comma-separated routes: "+strings.Join(routes, ", "))
	conns := fs.Int("c", 16, "concurrent connections (at most 256)")
	dur := fs.Duration("d", 10*time.Second, "measured time per route (at most 5m)")
	warmup := fs.Duration("warmup", time.Second, "unmeasured load before each route's measurement")
	limit := fs.Int64("n", 5_000_000, "at most this many requests per route, warm-up included")
	key := fs.String("merchant-key", defaultMerchantKey, "merchant key to sign with (default the mock's)")
	token := fs.String("authenticity-token", defaultToken, "authenticity token to sign with (default the mock's)")
	asJSON := fs.Bool("json", false, "print one JSON object per route instead of a table line")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	usage := func(format string, a ...any) int {
		_, _ = fmt.Fprintf(stderr, "loadgen: "+format+"\n", a...)
		return 2
	}
	addr, err := loopbackAddr(*target)
	if err != nil {
		return usage("%v", err)
	}
	switch {
	case *conns < 1 || *conns > maxConnections:
		return usage("-c must be 1-%d", maxConnections)
	case *dur <= 0 || *dur > maxDuration:
		return usage("-d must be positive and at most %s", maxDuration)
	case *warmup < 0 || *warmup > time.Minute:
		return usage("-warmup must be 0-1m")
	case *limit < 1 || *limit > maxRequests:
		return usage("-n must be 1-%d", maxRequests)
	}
	var picked []string
	for r := range strings.SplitSeq(*routeList, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if !slices.Contains(routes, r) {
			return usage("unknown route %q; want %s", r, strings.Join(routes, ", "))
		}
		picked = append(picked, r)
	}
	if len(picked) == 0 {
		return usage("no route given")
	}
	if _, err := signer.New(*key, *token); err != nil { // the checks a client makes
		return usage("%v", err)
	}

	g := &generator{addr: addr, host: hostHeader(*target), key: *key, token: *token, run: randomHex(4)}
	status := 0
	for _, route := range picked {
		res, err := g.measure(route, *conns, *warmup, *dur, *limit)
		if err != nil {
			_, _ = fmt.Fprintf(stderr, "loadgen: %s: %v\n", route, err)
			return 1
		}
		res.Target = *target
		if *asJSON {
			b, _ := json.Marshal(res)
			_, err = fmt.Fprintln(stdout, string(b))
		} else {
			_, err = fmt.Fprintf(stdout, "%-17s %9.0f req/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms  %d requests, %d failed %v\n",
				route, res.RPS, res.P50ms, res.P90ms, res.P99ms, res.Maxms, res.Requests, res.Failed, res.Statuses)
		}
		if err != nil {
			_, _ = fmt.Fprintf(stderr, "loadgen: write the result: %v\n", err)
			return 1
		}
		if res.Failed > 0 {
			status = 1
		}
	}
	return status
}

// loopbackAddr returns the address to dial for target, refusing anything
// that is not 127.0.0.1 or localhost over plain HTTP.
func loopbackAddr(target string) (string, error) {
	if target == "" {
		return "", errors.New("-target is required, e.g. -target http://127.0.0.1:4010")
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("-target %q: %w", target, err)
	}
	if u.Scheme != "http" {
		return "", fmt.Errorf("-target %q: only http:// is supported", target)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("-target %q: give only scheme, host and port", target)
	}
	host, port := u.Hostname(), u.Port()
	if host != "127.0.0.1" && host != "localhost" {
		return "", fmt.Errorf("-target %q: refused: only 127.0.0.1 and localhost may be loaded", target)
	}
	if port == "" {
		port = "80"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("-target %q: bad port", target)
	}
	// localhost is dialled as 127.0.0.1, so no resolver can send the load elsewhere.
	return net.JoinHostPort("127.0.0.1", port), nil
}

func hostHeader(target string) string {
	u, _ := url.Parse(target)
	return u.Host
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type generator struct {
	addr, host string
	key, token string // what the requests are signed with
	run        string // random per process: merchant ids and order numbers never collide with an earlier run's
	uuid       string // the customer get-customer reads
}

// request builds the next request of a route for connection c.
type request func(c, i int, buf []byte) ([]byte, error)

func (g *generator) measure(route string, conns int, warmup, dur time.Duration, limit int64) (Result, error) {
	mk, err := g.route(route)
	if err != nil {
		return Result{}, err
	}
	var (
		issued   atomic.Int64
		measure  atomic.Bool
		stop     atomic.Bool
		wg       sync.WaitGroup
		workers  = make([]*worker, conns)
		startErr = make(chan error, conns)
	)
	for i := range workers {
		w := &worker{id: i, g: g, mk: mk, statuses: map[string]int{}}
		if err := w.dial(); err != nil {
			return Result{}, err
		}
		workers[i] = w
	}
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			startErr <- w.loop(&issued, limit, &measure, &stop)
		}()
	}
	time.Sleep(warmup)
	for _, w := range workers {
		w.mu.Lock()
		w.reset()
		w.mu.Unlock()
	}
	measure.Store(true)
	began := time.Now()
	deadline := time.NewTimer(dur)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-deadline.C:
	case <-done: // the request limit ended it early
	}
	stop.Store(true)
	elapsed := time.Since(began)
	<-done
	close(startErr)
	for err := range startErr {
		if err != nil {
			return Result{}, err
		}
	}

	res := Result{Route: route, Connections: conns, Seconds: elapsed.Seconds(), Statuses: map[string]int{}}
	var lat []time.Duration
	for _, w := range workers {
		w.close()
		res.OK += w.ok
		res.Failed += w.failed
		for k, v := range w.statuses {
			res.Statuses[k] += v
		}
		lat = append(lat, w.lat...)
	}
	res.Requests = res.OK + res.Failed
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	slices.Sort(lat)
	res.P50ms, res.P90ms, res.P99ms = ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99))
	if len(lat) > 0 {
		res.Maxms = ms(lat[len(lat)-1])
	}
	if len(res.Statuses) == 0 {
		res.Statuses = nil
	}
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// pct is the nearest-rank percentile of sorted.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

const customerBody = `{"merchant_customer_id":"lg-%s-%d-%d","description":"Customer","email":"test@example.com",` +
	`"name":"Test","phone":"+38761000000","metadata":{"key":"value"},"zip_code":"71000","city":"Sarajevo",` +
	`"address":"Zmaja od Bosne 1","country":"BA"}`

const linkBody = `{"transaction_type":"purchase","amount":30,"currency":"BAM","number_of_installments":"",` +
	`"order_number":"lg-%s-%d-%d","order_info":"Order info","language":"hr","ch_full_name":"John Doe",` +
	`"ch_address":"Elm street 22","ch_city":"Orgrimmar","ch_zip":"q123abc99","ch_country":"US",` +
	`"ch_phone":"123456","ch_email":"test@example.com","comment":"","supported_payment_methods":["card"],` +
	`"success_url_override":"","cancel_url_override":"","callback_url_override":"",` +
	`"expires_at":"2031-09-26T07:58:30.996+0200"}`

func (g *generator) route(route string) (request, error) {
	switch route {
	case "create-customer":
		return func(c, i int, buf []byte) ([]byte, error) {
			body := fmt.Appendf(nil, customerBody, g.run, c, i)
			return g.build(buf, "POST", "/v2/customers", body)
		}, nil
	case "create-or-update":
		return func(c, i int, buf []byte) ([]byte, error) {
			body := fmt.Appendf(nil, linkBody, g.run, c, i%64)
			return g.build(buf, "POST", "/v2/terminal-entry/create-or-update", body)
		}, nil
	case "get-customer":
		if g.uuid == "" {
			id, err := g.createOne()
			if err != nil {
				return nil, fmt.Errorf("create the customer to read: %w", err)
			}
			g.uuid = id
		}
		path := "/v2/customers/" + url.PathEscape(g.uuid)
		return func(_, _ int, buf []byte) ([]byte, error) { return g.build(buf, "GET", path, nil) }, nil
	}
	return nil, fmt.Errorf("unknown route %q", route)
}

// createOne creates a customer and returns its uuid.
func (g *generator) createOne() (string, error) {
	w := &worker{g: g, statuses: map[string]int{}}
	if err := w.dial(); err != nil {
		return "", err
	}
	defer w.close()
	req, err := g.build(nil, "POST", "/v2/customers", fmt.Appendf(nil, customerBody, g.run, -1, 0))
	if err != nil {
		return "", err
	}
	status, body, err := w.roundTrip(req, true)
	if err != nil {
		return "", err
	}
	if status != 200 {
		return "", fmt.Errorf("status %d: %s", status, body)
	}
	var c struct {
		UUID string `json:"uuid"`
	}
	if err := json.Unmarshal(body, &c); err != nil || c.UUID == "" {
		return "", fmt.Errorf("no uuid in %s", body)
	}
	return c.UUID, nil
}

// build appends a signed HTTP/1.1 request to buf.
func (g *generator) build(buf []byte, method, path string, body []byte) ([]byte, error) {
	auth, err := g.authorization(path, body)
	if err != nil {
		return nil, err
	}
	buf = append(buf[:0], method...)
	buf = append(buf, ' ')
	buf = append(buf, path...)
	buf = append(buf, " HTTP/1.1\r\nHost: "...)
	buf = append(buf, g.host...)
	buf = append(buf, "\r\nUser-Agent: monri-go-loadgen\r\nAccept: application/json\r\nAuthorization: "...)
	buf = append(buf, auth...)
	if body != nil {
		buf = append(buf, "\r\nContent-Type: application/json\r\nContent-Length: "...)
		buf = strconv.AppendInt(buf, int64(len(body)), 10)
	}
	buf = append(buf, "\r\n\r\n"...)
	return append(buf, body...), nil
}

// authorization signs like a client: a fresh timestamp for every request.
func (g *generator) authorization(path string, body []byte) (string, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	return signer.Scheme + " " + g.token + " " + ts + " " + signer.Digest(g.key, ts, g.token, path, body), nil
}

type worker struct {
	id int
	g  *generator
	mk request

	conn net.Conn
	br   *bufio.Reader
	buf  []byte

	mu       sync.Mutex // guards the counters against reset from measure
	ok       int64
	failed   int64
	statuses map[string]int
	lat      []time.Duration
}

func (w *worker) reset() {
	w.ok, w.failed, w.lat = 0, 0, w.lat[:0]
	clear(w.statuses)
}

func (w *worker) dial() error {
	c, err := net.DialTimeout("tcp", w.g.addr, 5*time.Second)
	if err != nil {
		return err
	}
	w.conn, w.br = c, bufio.NewReaderSize(c, 16<<10)
	return nil
}

func (w *worker) close() {
	if w.conn != nil {
		_ = w.conn.Close()
		w.conn = nil
	}
}

func (w *worker) loop(issued *atomic.Int64, limit int64, measure, stop *atomic.Bool) error {
	for i := 0; !stop.Load(); i++ {
		if issued.Add(1) > limit {
			return nil
		}
		req, err := w.mk(w.id, i, w.buf)
		if err != nil {
			return err
		}
		w.buf = req
		start := time.Now()
		status, _, err := w.roundTrip(req, false)
		took := time.Since(start)
		if stop.Load() {
			return nil // finished after the deadline: not counted
		}
		w.mu.Lock()
		switch {
		case err != nil:
			w.failed++
			w.statuses["error: "+err.Error()]++
		case status != 200:
			w.failed++
			w.statuses[strconv.Itoa(status)]++
		default:
			w.ok++
		}
		if measure.Load() {
			w.lat = append(w.lat, took)
		}
		w.mu.Unlock()
		if err != nil {
			w.close()
			if err := w.dial(); err != nil {
				return err
			}
		}
	}
	return nil
}

// roundTrip writes req and reads one response, keeping the body only if
// keep is set. The connection stays open unless the server closes it.
func (w *worker) roundTrip(req []byte, keep bool) (int, []byte, error) {
	if w.conn == nil {
		if err := w.dial(); err != nil {
			return 0, nil, err
		}
	}
	if _, err := w.conn.Write(req); err != nil {
		return 0, nil, err
	}
	line, err := w.br.ReadSlice('\n')
	if err != nil {
		return 0, nil, err
	}
	// "HTTP/1.1 200 OK\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, nil, errors.New("bad status line")
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, nil, errors.New("bad status line")
	}
	length, chunked, closing := -1, false, false
	for {
		h, err := w.br.ReadSlice('\n')
		if err != nil {
			return 0, nil, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return 0, nil, errors.New("bad header line")
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, nil, errors.New("bad Content-Length")
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	var body []byte
	switch {
	case chunked:
		body, err = w.readChunked(keep)
	case length >= 0:
		body, err = w.readN(length, keep)
	default:
		return 0, nil, errors.New("response without length")
	}
	if err != nil {
		return 0, nil, err
	}
	if closing {
		w.close()
	}
	return status, body, nil
}

func (w *worker) readN(n int, keep bool) ([]byte, error) {
	if !keep {
		_, err := w.br.Discard(n)
		return nil, err
	}
	b := make([]byte, n)
	_, err := io.ReadFull(w.br, b)
	return b, err
}

func (w *worker) readChunked(keep bool) ([]byte, error) {
	var body []byte
	for {
		line, err := w.br.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		size, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(size), 16, 32)
		if err != nil || n < 0 {
			return nil, errors.New("bad chunk size")
		}
		if n == 0 {
			for { // trailers, then the empty line
				t, err := w.br.ReadSlice('\n')
				if err != nil {
					return nil, err
				}
				if len(bytes.TrimRight(t, "\r\n")) == 0 {
					return body, nil
				}
			}
		}
		chunk, err := w.readN(int(n), keep)
		if err != nil {
			return nil, err
		}
		body = append(body, chunk...)
		if _, err := w.br.Discard(2); err != nil { // CRLF after the chunk
			return nil, err
		}
	}
}
