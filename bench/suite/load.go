package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The load section: bench/loadgen against the monri mock binary.

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
			return fmt.Errorf("go build %s: %w: %s", pkg, err, out)
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
		return nil, fmt.Errorf("monri mock did not start: %q %w", first, err)
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
			return r, fmt.Errorf("loadgen %s %s: %w: %s", v.name, route, errors.Join(err, jerr), out)
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
