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
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
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
