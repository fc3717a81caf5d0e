package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The peer section: the same load against monri mock and Prism.

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return port, ln.Close()
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
			_ = c.Close() // only probing that Prism listens
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
