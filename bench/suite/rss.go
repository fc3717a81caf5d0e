package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// The rss section: 100k customers in one process, VmRSS after GC.

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
		return fmt.Errorf("rss: %w", err)
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
