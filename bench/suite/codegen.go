package main

import (
	"fmt"
	"os/exec"
	"slices"
	"time"
)

// The codegen section: a warm `go generate ./...`.

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
			return 0, fmt.Errorf("go generate: %w: %s", err, out)
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
