package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/monri-go/monri/gen"
)

// The control API under /__mock/: what a test in any language needs to
// drive the mock over HTTP. Every endpoint is signed with WP3-v2.1 and the
// mock's credentials like the API, answers JSON, and errors in Monri's
// shape. Faults and latency never apply to it. See "Control API" in the
// package documentation.

// controlEndpoint is one route of the control API.
type controlEndpoint struct {
	method, path string
	h            func(w http.ResponseWriter, r *http.Request, body []byte)
}

// controlEndpoints is the control API, one entry per method and path; the
// README and the package documentation list the same (a test checks).
func (s *Server) controlEndpoints() []controlEndpoint {
	return []controlEndpoint{
		{http.MethodPost, "/__mock/reset", s.controlReset},
		{http.MethodPost, "/__mock/customers/{uuid}/payment-methods", s.seedPaymentMethod},
		{http.MethodPost, "/__mock/links/{order_number}/pay", s.controlPay},
		{http.MethodPost, "/__mock/links/{order_number}/cancel", s.controlCancel},
		{http.MethodPost, "/__mock/links/{order_number}/expire", s.controlExpire},
		{http.MethodGet, "/__mock/callbacks", s.controlCallbacks},
		{http.MethodGet, "/__mock/requests", s.controlRequests},
		{http.MethodGet, "/__mock/faults", s.controlGetFaults},
		{http.MethodPut, "/__mock/faults", s.controlPutFaults},
	}
}

// controlRoutes registers the control API and, in methods, the methods of
// each of its paths for 405s.
func (s *Server) controlRoutes(methods map[string][]string) {
	for _, c := range s.controlEndpoints() {
		h := c.h
		s.mux.HandleFunc(c.method+" "+c.path, func(w http.ResponseWriter, r *http.Request) {
			body, ok := readBody(w, r)
			if ok && s.verified(w, r, body) {
				h(w, r, body)
			}
		})
		methods[c.path] = append(methods[c.path], c.method)
	}
}

// noBody refuses a body on an endpoint that takes none, so that a caller
// who meant to send settings learns they were ignored.
func noBody(w http.ResponseWriter, body []byte) bool {
	if len(bytes.TrimSpace(body)) > 0 {
		writeError(w, http.StatusBadRequest, "body: must be empty")
		return false
	}
	return true
}

// resetAnswer is the answer of POST /__mock/reset.
type resetAnswer struct {
	Status string `json:"status"`
}

func (s *Server) controlReset(w http.ResponseWriter, _ *http.Request, body []byte) {
	if !noBody(w, body) {
		return
	}
	s.Reset()
	writeJSON(w, http.StatusOK, resetAnswer{Status: "reset"})
}

// paymentAnswer is [Payment] on the wire.
type paymentAnswer struct {
	Link        gen.PayByLink `json:"link"`
	Callback    gen.Callback  `json:"callback"`
	CallbackURL string        `json:"callback_url"`
	RedirectURL string        `json:"redirect_url"`
}

func (s *Server) controlPay(w http.ResponseWriter, r *http.Request, body []byte) {
	if !noBody(w, body) {
		return
	}
	p, f := s.pay(r.PathValue("order_number"))
	if f != nil {
		writeError(w, f.status, f.message)
		return
	}
	writeJSON(w, http.StatusOK, paymentAnswer(p))
}

type cancelAnswer struct {
	OrderNumber string `json:"order_number"`
	RedirectURL string `json:"redirect_url"`
}

func (s *Server) controlCancel(w http.ResponseWriter, r *http.Request, body []byte) {
	if !noBody(w, body) {
		return
	}
	order := r.PathValue("order_number")
	target, f := s.cancelTarget(order)
	if f != nil {
		writeError(w, f.status, f.message)
		return
	}
	writeJSON(w, http.StatusOK, cancelAnswer{OrderNumber: order, RedirectURL: target})
}

func (s *Server) controlExpire(w http.ResponseWriter, r *http.Request, body []byte) {
	if !noBody(w, body) {
		return
	}
	l, f := s.store.expire(r.PathValue("order_number"))
	if f != nil {
		writeError(w, f.status, f.message)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

// callbackAnswer is [CallbackDelivery] on the wire; the body is the JSON
// that was sent, not a string.
type callbackAnswer struct {
	OrderNumber string          `json:"order_number"`
	URL         string          `json:"url"`
	Body        json.RawMessage `json:"body"`
	Attempts    int             `json:"attempts"`
	LastStatus  int             `json:"last_status"`
	LastError   string          `json:"last_error"`
	Delivered   bool            `json:"delivered"`
	Done        bool            `json:"done"`
	Refused     bool            `json:"refused"`
}

// maxCallbackWait bounds GET /__mock/callbacks?wait=.
const maxCallbackWait = time.Minute

// controlCallbacks answers the callback log. With ?wait=DURATION it first
// waits, up to that long, until no delivery is in flight, so that a test
// in any language can wait for callbacks without sleeping.
func (s *Server) controlCallbacks(w http.ResponseWriter, r *http.Request, body []byte) {
	if !noBody(w, body) {
		return
	}
	if v := r.URL.Query().Get("wait"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxCallbackWait {
			writeError(w, http.StatusBadRequest, "wait: must be a duration such as 5s, at most "+maxCallbackWait.String())
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		if s.WaitCallbacks(ctx) != nil && r.Context().Err() != nil {
			return // the client is gone
		}
	}
	log := s.Callbacks()
	out := make([]callbackAnswer, len(log))
	for i, d := range log {
		out[i] = callbackAnswer{OrderNumber: d.OrderNumber, URL: d.URL, Body: d.Body, Attempts: d.Attempts,
			LastStatus: d.LastStatus, LastError: d.LastError, Delivered: d.Delivered, Done: d.Done, Refused: d.Refused}
	}
	writeJSON(w, http.StatusOK, struct {
		Callbacks []callbackAnswer `json:"callbacks"`
	}{out})
}

type requestAnswer struct {
	Time       time.Time `json:"time"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	DurationMS float64   `json:"duration_ms"`
	Rule       string    `json:"rule"`
}

func (s *Server) controlRequests(w http.ResponseWriter, _ *http.Request, body []byte) {
	if !noBody(w, body) {
		return
	}
	log := s.Requests()
	out := make([]requestAnswer, len(log))
	for i, rec := range log {
		out[i] = requestAnswer{Time: rec.Time.UTC(), Method: rec.Method, Path: rec.Path, Status: rec.Status,
			DurationMS: float64(rec.Duration.Microseconds()) / 1000, Rule: rec.Rule}
	}
	writeJSON(w, http.StatusOK, struct {
		Requests []requestAnswer `json:"requests"`
	}{out})
}

// faultsWire is [FaultSettings] on the wire. Every field of a PUT is
// required, so that a PUT says the whole state and nothing is kept from
// before by accident; seed may be null.
type faultsWire struct {
	ErrorRate *float64 `json:"error_rate"`
	DropRate  *float64 `json:"drop_rate"`
	LatencyMS *float64 `json:"latency_ms"`
	Seed      *int64   `json:"seed"`
}

func (s *Server) controlGetFaults(w http.ResponseWriter, _ *http.Request, body []byte) {
	if !noBody(w, body) {
		return
	}
	writeFaults(w, s.Faults())
}

func writeFaults(w http.ResponseWriter, fs FaultSettings) {
	ms := float64(fs.Latency.Microseconds()) / 1000
	writeJSON(w, http.StatusOK, faultsWire{ErrorRate: &fs.ErrorRate, DropRate: &fs.DropRate, LatencyMS: &ms, Seed: fs.Seed})
}

func (s *Server) controlPutFaults(w http.ResponseWriter, r *http.Request, body []byte) {
	if !isJSON(r.Header.Get("Content-Type")) {
		writeError(w, http.StatusBadRequest, "Content-Type: must be application/json")
		return
	}
	fs, err := decodeFaults(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := fs.validate(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.faults.apply(fs)
	writeFaults(w, s.Faults())
}

// decodeFaults reads a PUT /__mock/faults body, naming the field at fault.
func decodeFaults(body []byte) (FaultSettings, error) {
	var in faultsWire
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			name, _ = strconv.Unquote(name)
			if len(name) > 64 {
				name = name[:64]
			}
			return FaultSettings{}, errors.New(name + ": is not a fault setting (error_rate, drop_rate, latency_ms, seed)")
		}
		return FaultSettings{}, errors.New(decodeWords(err))
	}
	if dec.More() {
		return FaultSettings{}, errors.New("body: is not valid JSON")
	}
	switch {
	case in.ErrorRate == nil:
		return FaultSettings{}, errors.New("error_rate: is required")
	case in.DropRate == nil:
		return FaultSettings{}, errors.New("drop_rate: is required")
	case in.LatencyMS == nil:
		return FaultSettings{}, errors.New("latency_ms: is required")
	}
	ms := *in.LatencyMS
	if math.IsNaN(ms) || ms < 0 || ms > float64(MaxLatency.Milliseconds()) {
		return FaultSettings{}, fmt.Errorf("latency_ms: must be within [0, %d], got %v", MaxLatency.Milliseconds(), ms)
	}
	return FaultSettings{ErrorRate: *in.ErrorRate, DropRate: *in.DropRate,
		Latency: time.Duration(ms * float64(time.Millisecond)), Seed: in.Seed}, nil
}
