package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// CPU accounting: how much the processes other than the suite's own used during a step.

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
