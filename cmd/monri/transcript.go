package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// The demo's transcript: each step's request line, status and fields, as
// text or as JSON lines.

// exchangeLog records each request's line and status for the transcript.
type exchangeLog struct {
	mu     sync.Mutex
	method string
	target string
	status int
	base   http.RoundTripper
}

func (l *exchangeLog) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.method, l.target, l.status = r.Method, r.URL.RequestURI(), 0
	if resp != nil {
		l.status = resp.StatusCode
	}
	return resp, err
}

// record notes an exchange that did not go through RoundTrip: the callback
// the demo's shop received.
func (l *exchangeLog) record(method, target string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.method, l.target, l.status = method, target, status
}

func (l *exchangeLog) last() (method, target string, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.method, l.target, l.status
}

// transcript prints steps as text or JSON lines.
type transcript struct {
	a     *app
	json  bool
	log   *exchangeLog
	steps int
}

type stepLine struct {
	Step   int            `json:"step"`
	Name   string         `json:"name"`
	Method string         `json:"method"`
	Target string         `json:"target"`
	Status int            `json:"status"`
	OK     bool           `json:"ok"`
	Fields map[string]any `json:"fields,omitempty"`
	Note   string         `json:"note,omitempty"`
	Error  string         `json:"error,omitempty"`
}

func (t *transcript) note(msg string) {
	if t.json {
		b, _ := json.Marshal(map[string]string{"note": msg})
		fmt.Fprintln(t.a.stdout, string(b))
		return
	}
	fmt.Fprintln(t.a.stdout, msg)
}

// demoStep is one call of the demo; note, if any, explains its line.
type demoStep struct {
	name string
	note string
	call func() (map[string]any, error)
}

// step runs one call and prints its line; it returns the call's error.
func (t *transcript) step(s demoStep) error {
	t.steps++
	fields, err := s.call()
	method, target, status := t.log.last()
	line := stepLine{Step: t.steps, Name: s.name, Method: method, Target: target, Status: status, OK: err == nil, Fields: fields, Note: s.note}
	if err != nil {
		line.Error = stepError(err)
	}
	if t.json {
		b, merr := json.Marshal(line)
		if merr != nil {
			return merr
		}
		fmt.Fprintln(t.a.stdout, string(b))
		return err
	}
	mark := "ok  "
	if err != nil {
		mark = "FAIL"
	}
	fmt.Fprintf(t.a.stdout, "%s %2d. %-28s %-6s %s -> %s\n", mark, line.Step, s.name, method, target, statusText(status))
	if len(fields) > 0 {
		parts := make([]string, 0, len(fields))
		for _, k := range sortedKeys(fields) {
			parts = append(parts, fmt.Sprintf("%s=%v", k, fields[k]))
		}
		fmt.Fprintf(t.a.stdout, "         %s\n", strings.Join(parts, "  "))
	}
	if s.note != "" && err == nil {
		fmt.Fprintf(t.a.stdout, "         (%s)\n", s.note)
	}
	if err != nil {
		fmt.Fprintf(t.a.stdout, "         error: %s\n", line.Error)
	}
	return err
}

// stepError words a step's failure, a network one as such.
func stepError(err error) string {
	if msg, ok := networkProblem(err); ok {
		return msg
	}
	return err.Error()
}

func statusText(code int) string {
	if code == 0 {
		return "no answer"
	}
	return strconv.Itoa(code)
}
