// Command suite runs monri-go's benchmarks against their targets and
// writes one Markdown report: the tables BENCHMARKS.md shows.
//
//	go run ./bench/suite                  # make bench
//	go run ./bench/suite -sections peer   # make bench-peer (after scripts/bench-tools.sh)
//
// Sections (-sections, comma-separated; default codegen,micro,load,rss):
//
//	codegen  a warm `go generate ./...`, median of 5
//	micro    go test benchmarks in pairs: Sign vs a raw SHA-512, the facade vs
//	         hand-written net/http, a list page at 1k vs 100k customers
//	load     bench/loadgen against the `monri mock` binary, 16 connections,
//	         each route -load long, checks on and off
//	rss      bench/rss: 100k customers in one process, VmRSS after GC
//	peer     the same load against `monri mock` and Prism, route by route
//
// Noise: the machine is shared. Each pair of micro benchmarks runs in the
// same process, one after the other, -rounds times, so both sides of a
// ratio see the same load; the report gives medians (as benchstat does) and
// the range of the per-round ratios. For every step it measures the CPU
// that processes other than its own used meanwhile ("other load", in
// cores), and a load step disturbed by more than -max-other cores is
// repeated, keeping the quietest of up to three tries.
//
// Everything it builds and writes goes to -out (default build/bench).
// Load is sent only to 127.0.0.1, by bench/loadgen, which refuses any other
// target.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type suite struct {
	out        string
	rounds     int
	load       time.Duration
	conns      int
	maxOther   float64
	quietWait  time.Duration
	quietBelow float64
	report     bytes.Buffer
	failed     []string // targets missed
	others     []float64
}

func main() {
	s := &suite{}
	sections := flag.String("sections", "codegen,micro,load,rss", "comma-separated: codegen, micro, load, rss, peer")
	flag.StringVar(&s.out, "out", "build/bench", "folder for binaries, logs and report.md")
	flag.IntVar(&s.rounds, "rounds", 10, "rounds of each micro benchmark pair")
	flag.DurationVar(&s.load, "load", 10*time.Second, "measured time per route in load and peer")
	flag.IntVar(&s.conns, "c", 16, "connections in load and peer")
	flag.Float64Var(&s.maxOther, "max-other", 0.3, "repeat a load step when other processes used more than this many cores")
	flag.DurationVar(&s.quietWait, "quiet-wait", 2*time.Minute, "before each step, wait up to this long for other processes to use less than -quiet-below cores")
	flag.Float64Var(&s.quietBelow, "quiet-below", 0.2, "see -quiet-wait")
	flag.Parse()
	if err := s.run(strings.Split(*sections, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "suite:", err)
		os.Exit(1)
	}
}

func (s *suite) run(sections []string) error {
	if err := os.MkdirAll(s.out, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(s.out) // test binaries run in their package's folder
	if err != nil {
		return err
	}
	s.out = abs
	started := time.Now()
	s.printf("Machine: %s\n\n", machine())
	s.printf("Run: %s, `go run ./bench/suite -sections %s -rounds %d -load %s -c %d`\n\n",
		started.UTC().Format("2006-01-02 15:04 MST"), strings.Join(sections, ","), s.rounds, s.load, s.conns)
	for _, sec := range sections {
		var err error
		switch strings.TrimSpace(sec) {
		case "codegen":
			err = s.codegen()
		case "micro":
			err = s.micro()
		case "load":
			err = s.loadSection()
		case "rss":
			err = s.rss()
		case "peer":
			err = s.peer()
		case "":
		default:
			err = fmt.Errorf("unknown section %q", sec)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", sec, err)
		}
	}
	if len(s.others) > 0 {
		s.printf("Other load (CPU used by processes outside the suite, in cores, per step): median %.2f, max %.2f. Took %s.\n\n",
			median(s.others), slices.Max(s.others), time.Since(started).Round(time.Second))
	}
	if len(s.failed) == 0 {
		s.printf("All targets met.\n")
	} else {
		s.printf("Targets missed: %s.\n", strings.Join(s.failed, "; "))
	}
	path := filepath.Join(s.out, "report.md")
	if err := os.WriteFile(path, s.report.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "suite: report written to %s\n", path)
	return nil
}

// printf writes to the report and to stdout.
func (s *suite) printf(format string, a ...any) {
	fmt.Fprintf(&s.report, format, a...)
	fmt.Printf(format, a...)
}

func (s *suite) check(ok bool, what string) string {
	if ok {
		return "met"
	}
	s.failed = append(s.failed, what)
	return "**missed**"
}

func logf(format string, a ...any) { fmt.Fprintf(os.Stderr, "suite: "+format+"\n", a...) }

// machine is the machine line: Go, cores, CPU model, memory.
func machine() string {
	gover, _ := exec.Command("go", "version").Output()
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
				mem = fmt.Sprintf(", %.0f GiB", kb/(1<<20))
			}
		}
	}
	return fmt.Sprintf("`%s`, %d cores (nproc), %s%s", strings.TrimSpace(string(gover)), runtime.NumCPU(), model, mem)
}

// ---- CPU accounting: how much did everything else use? ----

const clockTicks = 100 // USER_HZ on Linux

// busyTicks is the CPU time all cores spent in processes, from /proc/stat:
// user, nice, system and steal (another guest on the host). Interrupt and
// softirq time are left out: loopback TCP for the suite's own traffic is
// accounted there, not to any process.
func busyTicks() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return math.NaN()
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal guest guest_nice
	var busy float64
	for _, i := range []int{1, 2, 3, 8} {
		if i < len(f) {
			n, _ := strconv.ParseFloat(f[i], 64)
			busy += n
		}
	}
	return busy
}

// waitQuiet waits, up to limit, until processes other than the suite use
// less than threshold cores over one second, and says how long it waited.
func (s *suite) waitQuiet(what string) {
	if s.quietWait <= 0 {
		return
	}
	deadline := time.Now().Add(s.quietWait)
	for {
		m := startMeter()
		time.Sleep(time.Second)
		o := m.stop()
		if o < s.quietBelow {
			return
		}
		if time.Now().After(deadline) {
			logf("%s: still %.2f cores of other load after waiting %s; going on", what, o, s.quietWait)
			return
		}
		logf("%s: other processes use %.2f cores; waiting for a quiet machine", what, o)
	}
}

// procTicks is the CPU time of a running process, from /proc/PID/stat.
func procTicks(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name; utime and stime are 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return u + st
}

// meter measures other processes' CPU over one step. ours are the
// long-running processes of the step; finished children add their own
// rusage with add.
type meter struct {
	t0     time.Time
	busy0  float64
	ours   []int
	ours0  []float64
	extra  float64 // ticks of finished children
	result float64
}

func startMeter(ours ...int) *meter {
	m := &meter{t0: time.Now(), busy0: busyTicks(), ours: ours}
	self := procTicks(os.Getpid())
	m.ours0 = append(m.ours0, self)
	for _, p := range ours {
		m.ours0 = append(m.ours0, procTicks(p))
	}
	return m
}

func (m *meter) add(ps *os.ProcessState) {
	if ps != nil {
		m.extra += (ps.UserTime() + ps.SystemTime()).Seconds() * clockTicks
	}
}

// stop returns other processes' CPU, in cores, since start.
func (m *meter) stop() float64 {
	elapsed := time.Since(m.t0).Seconds()
	busy := busyTicks() - m.busy0
	ours := procTicks(os.Getpid()) - m.ours0[0] + m.extra
	for i, p := range m.ours {
		ours += procTicks(p) - m.ours0[i+1]
	}
	m.result = max(busy-ours, 0) / clockTicks / elapsed
	return m.result
}

// ---- codegen ----

func (s *suite) codegen() error {
	logf("codegen: warm go generate ./...")
	var m *meter
	gen := func() (time.Duration, error) {
		t := time.Now()
		cmd := exec.Command("go", "generate", "./...")
		out, err := cmd.CombinedOutput()
		if m != nil {
			m.add(cmd.ProcessState) // go generate's CPU, and its children's, is ours
		}
		if err != nil {
			return 0, fmt.Errorf("go generate: %v: %s", err, out)
		}
		return time.Since(t), nil
	}
	if _, err := gen(); err != nil { // warm the build and run caches
		return err
	}
	s.waitQuiet("codegen")
	m = startMeter()
	var times []float64
	for range 5 {
		d, err := gen()
		if err != nil {
			return err
		}
		times = append(times, d.Seconds())
	}
	other := s.other(m)
	med := median(times)
	s.printf("### Codegen\n\n| what | median of 5 | range | target | |\n|---|---|---|---|---|\n")
	s.printf("| warm `go generate ./...` (oapi-codegen, 2 packages) | %.2f s | %.2f-%.2f s | ≤ 1 s | %s |\n\n",
		med, slices.Min(times), slices.Max(times), s.check(med <= 1, "warm go generate ≤ 1 s"))
	s.printf("Other load during codegen: %.2f cores.\n\n", other)
	return nil
}

func (s *suite) other(m *meter) float64 {
	o := m.stop()
	s.others = append(s.others, o)
	return o
}

// ---- micro benchmarks ----

// benchLine matches one line of go test -bench output.
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(.*)$`)

type sample struct{ ns, bytes, allocs float64 }

func parseBench(out []byte) map[string]sample {
	res := map[string]sample{}
	for line := range strings.SplitSeq(string(out), "\n") {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		sm := sample{ns: ns}
		f := strings.Fields(m[3])
		for i := 1; i < len(f); i++ {
			v, _ := strconv.ParseFloat(f[i-1], 64)
			switch f[i] {
			case "B/op":
				sm.bytes = v
			case "allocs/op":
				sm.allocs = v
			}
		}
		res[m[1]] = sm
	}
	return res
}

// pair is a measured benchmark and its baseline, run together.
type pair struct {
	name, measured, baseline string
	target                   float64 // max ratio
	allocSlack               float64 // max extra allocs/op, or <0 for none
	show                     string  // what the ratio means
}

type group struct {
	pkg, bench, benchtime string
	pairs                 []pair
}

func (s *suite) micro() error {
	groups := []group{
		{pkg: "./signer", bench: "^(BenchmarkSign|BenchmarkSignBody|BenchmarkSHA512)$", benchtime: "1s", pairs: []pair{
			{name: "Sign, 1 KiB body, `*http.Request`", measured: "BenchmarkSign", baseline: "BenchmarkSHA512",
				target: 1.10, allocSlack: 2, show: "Sign / hex SHA-512 of the same bytes"},
			{name: "SignBody, 1 KiB body held by the caller", measured: "BenchmarkSignBody", baseline: "BenchmarkSHA512",
				target: 1.10, allocSlack: 0, show: "SignBody / hex SHA-512 of the same bytes"},
		}},
		{pkg: ".", bench: "^BenchmarkClient$", benchtime: "1s", pairs: []pair{
			{name: "`Customers.Get`, loopback", measured: "BenchmarkClient/call=customers.get/via=facade",
				baseline: "BenchmarkClient/call=customers.get/via=nethttp", target: 1.15, allocSlack: -1, show: "facade / hand-written net/http"},
			{name: "`PayByLink.CreateOrUpdate`, loopback", measured: "BenchmarkClient/call=paybylink.create-or-update/via=facade",
				baseline: "BenchmarkClient/call=paybylink.create-or-update/via=nethttp", target: 1.15, allocSlack: -1, show: "facade / hand-written net/http"},
		}},
		{pkg: "./mock", bench: "^BenchmarkListPage$", benchtime: "0.5s", pairs: []pair{
			{name: "mock list page (50, mid-list), in-process", measured: "BenchmarkListPage/customers=100000",
				baseline: "BenchmarkListPage/customers=1000", target: 2, allocSlack: -1, show: "100k customers / 1k customers"},
		}},
	}
	s.printf("### Micro benchmarks\n\n")
	s.printf("Each pair ran in one process, side by side, %d times (`-benchtime` per side as noted, `-benchmem`); "+
		"times are medians, the ratio is of the medians, the range is of the %d per-round ratios.\n\n", s.rounds, s.rounds)
	s.printf("| benchmark | measured | baseline | ratio | per-round range | allocs/op (B/op) measured vs baseline | target | |\n|---|---|---|---|---|---|---|---|\n")
	var others []float64
	for _, g := range groups {
		bin := filepath.Join(s.out, strings.NewReplacer("./", "", ".", "monri", "/", "-").Replace(g.pkg)+".test")
		logf("micro: building %s", g.pkg)
		if out, err := exec.Command("go", "test", "-c", "-o", bin, g.pkg).CombinedOutput(); err != nil {
			return fmt.Errorf("go test -c %s: %v: %s", g.pkg, err, out)
		}
		rounds := map[string][]sample{}
		var log bytes.Buffer
		for r := range s.rounds {
			logf("micro: %s round %d/%d", g.pkg, r+1, s.rounds)
			s.waitQuiet("micro")
			m := startMeter()
			cmd := exec.Command(bin, "-test.run", "^$", "-test.bench", g.bench, "-test.benchtime", g.benchtime, "-test.benchmem")
			cmd.Dir = filepath.Clean(g.pkg)
			out, err := cmd.CombinedOutput()
			m.add(cmd.ProcessState)
			others = append(others, s.other(m))
			log.Write(out)
			if err != nil {
				return fmt.Errorf("%s: %v: %s", bin, err, out)
			}
			for name, sm := range parseBench(out) {
				rounds[name] = append(rounds[name], sm)
			}
		}
		_ = os.WriteFile(bin+".log", log.Bytes(), 0o644)
		for _, p := range g.pairs {
			a, b := rounds[p.measured], rounds[p.baseline]
			if len(a) != s.rounds || len(b) != s.rounds {
				return fmt.Errorf("%s: missing results for %s or %s", g.pkg, p.measured, p.baseline)
			}
			var ratios []float64
			for i := range a {
				ratios = append(ratios, a[i].ns/b[i].ns)
			}
			ma, mb := med(a, func(x sample) float64 { return x.ns }), med(b, func(x sample) float64 { return x.ns })
			aa, ab := med(a, func(x sample) float64 { return x.allocs }), med(b, func(x sample) float64 { return x.allocs })
			ba, bb := med(a, func(x sample) float64 { return x.bytes }), med(b, func(x sample) float64 { return x.bytes })
			ratio := ma / mb
			ok := ratio <= p.target
			target := fmt.Sprintf("≤ %.2fx", p.target)
			if p.target == 2 {
				// within 2x of each other, either way
				ok = ratio <= 2 && ratio >= 0.5
				target = "within 2x"
			}
			if p.allocSlack >= 0 {
				ok = ok && aa-ab <= p.allocSlack
				target += fmt.Sprintf(", ≤ +%.0f allocs", p.allocSlack)
			}
			s.printf("| %s (%s) | %s | %s | **%.2fx** | %.2f-%.2fx | %.0f (%.0f B) vs %.0f (%.0f B) | %s | %s |\n",
				p.name, p.show, dur(ma), dur(mb), ratio, slices.Min(ratios), slices.Max(ratios), aa, ba, ab, bb,
				target, s.check(ok, p.name+" "+target))
		}
	}
	s.printf("\nOther load during the micro benchmarks, per round: median %.2f, max %.2f cores.\n\n", median(others), slices.Max(others))
	return nil
}

func med(xs []sample, f func(sample) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	return median(v)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	v = slices.Clone(v)
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

func dur(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

// ---- load ----

var loadRoutes = []string{"get-customer", "create-customer", "create-or-update"}

// loadResult is bench/loadgen's JSON line.
type loadResult struct {
	Route    string         `json:"route"`
	Requests int64          `json:"requests"`
	Failed   int64          `json:"failed"`
	Statuses map[string]int `json:"statuses"`
	RPS      float64        `json:"rps"`
	P50ms    float64        `json:"p50_ms"`
	P99ms    float64        `json:"p99_ms"`
	Maxms    float64        `json:"max_ms"`
	other    float64
	tries    int
	rssMB    float64
}

func (s *suite) buildTools(names ...string) error {
	for _, n := range names {
		pkg := map[string]string{"monri": "./cmd/monri", "loadgen": "./bench/loadgen", "rss": "./bench/rss"}[n]
		logf("building %s", pkg)
		if out, err := exec.Command("go", "build", "-o", filepath.Join(s.out, n), pkg).CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v: %s", pkg, err, out)
		}
	}
	return nil
}

// server is a process under load on 127.0.0.1.
type server struct {
	name string
	cmd  *exec.Cmd
	url  string
}

func (v *server) stop() {
	if v.cmd.Process == nil {
		return
	}
	_ = v.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { _ = v.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = v.cmd.Process.Kill()
		<-done
	}
}

// rssMB is the server's resident set, or 0.
func (v *server) rssMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", v.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if x, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(x), "kB")), 64)
			return kb / 1000
		}
	}
	return 0
}

// startMock runs the monri binary's mock command on a free loopback port.
func (s *suite) startMock(name string, flags ...string) (*server, error) {
	args := append([]string{"mock", "--addr", "127.0.0.1:0"}, flags...)
	cmd := exec.Command(filepath.Join(s.out, "monri"), args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	v := &server{name: name, cmd: cmd}
	first, err := bufio.NewReader(stdout).ReadString('\n')
	url, ok := strings.CutPrefix(strings.TrimSpace(first), "Monri mock listening on ")
	if err != nil || !ok {
		v.stop()
		return nil, fmt.Errorf("monri mock did not start: %q %v", first, err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	v.url = url
	return v, nil
}

// drive runs loadgen on one route, repeating a step that other processes
// disturbed, and keeps the quietest try.
func (s *suite) drive(v *server, route string) (loadResult, error) {
	var best loadResult
	for try := 1; try <= 3; try++ {
		logf("load: %s %s (try %d)", v.name, route, try)
		s.waitQuiet("load")
		m := startMeter(v.cmd.Process.Pid)
		cmd := exec.Command(filepath.Join(s.out, "loadgen"), "-target", v.url, "-route", route,
			"-c", strconv.Itoa(s.conns), "-d", s.load.String(), "-json")
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		m.add(cmd.ProcessState)
		other := m.stop()
		var r loadResult
		if jerr := json.Unmarshal(bytes.TrimSpace(out), &r); jerr != nil {
			return r, fmt.Errorf("loadgen %s %s: %v %v: %s", v.name, route, err, jerr, out)
		}
		r.other, r.tries = other, try
		if try == 1 || other < best.other {
			best = r
		}
		if other <= s.maxOther {
			break
		}
		logf("load: other processes used %.2f cores; repeating", other)
	}
	s.others = append(s.others, best.other)
	return best, nil
}

func (s *suite) loadSection() error {
	if err := s.buildTools("monri", "loadgen"); err != nil {
		return err
	}
	modes := []struct{ name, label string }{
		{"on", "verify + validate on (default)"},
		{"off", "`--no-verify --no-validate`"},
	}
	res := map[string]map[string]loadResult{}
	for _, mode := range modes {
		var flags []string
		if mode.name == "off" {
			flags = []string{"--no-verify", "--no-validate"}
		}
		res[mode.name] = map[string]loadResult{}
		for _, route := range loadRoutes {
			// A fresh process per route: no route runs on the state (and the
			// heap for the GC to mark) that the one before left behind.
			v, err := s.startMock("mock "+mode.name, flags...)
			if err != nil {
				return err
			}
			r, err := s.drive(v, route)
			if err != nil {
				v.stop()
				return err
			}
			r.rssMB = v.rssMB()
			v.stop()
			res[mode.name][route] = r
		}
	}
	s.printf("### Mock throughput: `monri mock` binary, %d connections, %s per route\n\n", s.conns, s.load)
	s.printf("bench/loadgen on the same machine (2 cores shared by server and generator), a fresh `monri mock` process per route, keep-alive HTTP/1.1, " +
		"every request signed afresh, 1 s unmeasured warm-up per route. create-customer sends a unique merchant_customer_id " +
		"each time; create-or-update cycles 64 order numbers per connection.\n\n")
	s.printf("| route | checks | req/s | p50 | p99 | max | failed | other load | p99 ≤ 5 ms | on ≥ ½ off |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, route := range loadRoutes {
		for _, mode := range modes {
			r := res[mode.name][route]
			half := ""
			if mode.name == "on" {
				ratio := r.RPS / res["off"][route].RPS
				half = fmt.Sprintf("%.2f of off: %s", ratio, s.check(ratio >= 0.5, route+": on ≥ ½ off"))
			}
			s.printf("| %s | %s | %.0f | %.2f ms | %.2f ms | %.1f ms | %d | %.2f cores%s | %s | %s |\n",
				route, mode.label, r.RPS, r.P50ms, r.P99ms, r.Maxms, r.Failed, r.other, tries(r),
				s.check(r.P99ms <= 5, route+" "+mode.name+": p99 ≤ 5 ms"), half)
			if r.Failed > 0 {
				s.check(false, fmt.Sprintf("%s %s: %d requests failed %v", route, mode.name, r.Failed, r.Statuses))
			}
		}
	}
	s.printf("\nMock RSS at the end of each route (not collected): ")
	for _, mode := range modes {
		for _, route := range loadRoutes {
			s.printf("%s %s %.0f MB; ", route, mode.name, res[mode.name][route].rssMB)
		}
	}
	s.printf("create-customer keeps every customer it made.\n\n")
	return nil
}

func tries(r loadResult) string {
	if r.tries > 1 {
		return fmt.Sprintf(" (quietest of %d tries)", r.tries)
	}
	return ""
}

// ---- rss ----

func (s *suite) rss() error {
	if err := s.buildTools("rss"); err != nil {
		return err
	}
	logf("rss: 100k customers")
	s.waitQuiet("rss")
	m := startMeter()
	cmd := exec.Command(filepath.Join(s.out, "rss"), "-n", "100000")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	m.add(cmd.ProcessState)
	other := s.other(m)
	if err != nil {
		return fmt.Errorf("rss: %v", err)
	}
	var r struct {
		Customers   int     `json:"customers"`
		Before      float64 `json:"rss_before_mb"`
		After       float64 `json:"rss_mb"`
		HeapInuseMB float64 `json:"heap_inuse_mb"`
		Stored      int     `json:"stored"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return err
	}
	s.printf("### Mock scale\n\n| what | value | target | |\n|---|---|---|---|\n")
	s.printf("| VmRSS holding %d customers (bench/rss: created through the mock's handler, then GC and FreeOSMemory) | %.0f MB (%.0f MB before seeding; heap in use %.0f MB) | ≤ 200 MB | %s |\n\n",
		r.Stored, r.After, r.Before, r.HeapInuseMB, s.check(r.After <= 200 && r.Stored == r.Customers, "RSS with 100k customers ≤ 200 MB"))
	s.printf("Other load during rss: %.2f cores. The list page at 1k vs 100k customers is in the micro table.\n\n", other)
	return nil
}

// ---- peer ----

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startPrism runs the pinned Prism (tools/bench) on the contract.
func (s *suite) startPrism() (*server, error) {
	bin := filepath.Join("tools", "bench", "node_modules", ".bin", "prism")
	if _, err := os.Stat(bin); err != nil {
		return nil, errors.New("prism is not installed: run bash scripts/bench-tools.sh (make bench-peer does)")
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "mock", "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-v", "error", "openapi/monri.yaml")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// No telemetry or update checks.
	cmd.Env = append(os.Environ(), "DO_NOT_TRACK=1", "SCARF_ANALYTICS=false")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	v := &server{name: "prism", cmd: cmd, url: "http://127.0.0.1:" + strconv.Itoa(port)}
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			c.Close()
			return v, nil
		}
		if time.Now().After(deadline) {
			v.stop()
			return nil, errors.New("prism did not listen within 60 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func prismVersion() string {
	b, err := os.ReadFile(filepath.Join("tools", "bench", "node_modules", "@stoplight", "prism-cli", "package.json"))
	if err != nil {
		return "?"
	}
	var p struct{ Version string }
	_ = json.Unmarshal(b, &p)
	return p.Version
}

func nodeVersion() string {
	out, _ := exec.Command("node", "--version").Output()
	return strings.TrimSpace(string(out))
}

func (s *suite) peer() error {
	if err := s.buildTools("monri", "loadgen"); err != nil {
		return err
	}
	p, err := s.startPrism()
	if err != nil {
		return err
	}
	defer p.stop()
	type row struct{ mock, prism loadResult }
	rows := map[string]row{}
	for _, route := range loadRoutes {
		m, err := s.startMock("mock") // fresh per route, as in the load section
		if err != nil {
			return err
		}
		rm, err := s.drive(m, route)
		m.stop()
		if err != nil {
			return err
		}
		rp, err := s.drive(p, route)
		if err != nil {
			return err
		}
		rows[route] = row{rm, rp}
	}
	s.printf("### Peer: `monri mock` vs Prism %s (node %s), %d connections, %s per route\n\n", prismVersion(), nodeVersion(), s.conns, s.load)
	s.printf("Both on 127.0.0.1 in the same run, route by route (a fresh mock process per route, one Prism process), driven by the same bench/loadgen with the same signed requests. " +
		"The mock checks signatures and the contract (its defaults); Prism (`prism mock -v error openapi/monri.yaml`) " +
		"validates requests and answers the contract's examples, and does not check WP3 signatures.\n\n")
	s.printf("| route | mock req/s | mock p50 / p99 | Prism req/s | Prism p50 / p99 | mock / Prism | ≥ 10x | mock p99 ≤ 5 ms | other load (mock, Prism) |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, route := range loadRoutes {
		r := rows[route]
		ratio := r.mock.RPS / r.prism.RPS
		s.printf("| %s | %.0f | %.2f / %.2f ms | %.0f | %.2f / %.2f ms | **%.1fx** | %s | %s | %.2f%s, %.2f%s |\n",
			route, r.mock.RPS, r.mock.P50ms, r.mock.P99ms, r.prism.RPS, r.prism.P50ms, r.prism.P99ms, ratio,
			s.check(ratio >= 10, route+": ≥ 10x Prism"), s.check(r.mock.P99ms <= 5, route+" (peer run): mock p99 ≤ 5 ms"),
			r.mock.other, tries(r.mock), r.prism.other, tries(r.prism))
		for _, x := range []struct {
			who string
			r   loadResult
		}{{"mock", r.mock}, {"Prism", r.prism}} {
			if x.r.Failed > 0 {
				s.check(false, fmt.Sprintf("%s %s: %d requests failed %v", route, x.who, x.r.Failed, x.r.Statuses))
			}
		}
	}
	s.printf("\n")
	return nil
}
