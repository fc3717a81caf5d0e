package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The micro section: go test benchmarks in pairs, medians and ratio ranges.

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
			return fmt.Errorf("go test -c %s: %w: %s", g.pkg, err, out)
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
				return fmt.Errorf("%s: %w: %s", bin, err, out)
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
