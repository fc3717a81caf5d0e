package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"

	"github.com/monri-go/monri/openapi"
	"github.com/monri-go/monri/signer"
)

// MaxBodyBytes is the largest request body the mock reads; a larger one is
// answered 413.
const MaxBodyBytes = 1 << 20

// Server is the mock Monri server. It is an http.Handler; serve it with
// net/http or httptest, or use [Start] in tests. It is safe for concurrent
// use.
type Server struct {
	cfg      config
	verifier *signer.Signer
	spec     *spec
	store    *store
	faults   *faults
	script   *faultScript // WithFaultScript, before the random faults
	mux      *http.ServeMux
	yaml     []byte
	closed   atomic.Bool
	// callbacks delivers payment callbacks (callbacks.go).
	callbacks *deliverer
	requests  *requestLog
}

// spec is the contract, parsed once per process and shared read-only by
// every Server.
type spec struct {
	doc          *openapi3.T
	paymentMeth  *openapi3.Schema
	paramSchemas map[string]*openapi3.Schema // parameter name → schema
	json         []byte                      // the contract converted from its YAML bytes
}

var loadSpec = sync.OnceValues(func() (*spec, error) {
	doc, err := openapi.Load()
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	// Route on path alone: the servers list names Monri's hosts only.
	doc.Servers = nil
	pm := doc.Components.Schemas["PaymentMethod"]
	if pm == nil || pm.Value == nil {
		return nil, errors.New("mock: the contract has no PaymentMethod schema")
	}
	// JSON is derived from the embedded YAML, never kept as a second file.
	asJSON, err := yaml.YAMLToJSON(openapi.YAML())
	if err != nil {
		return nil, fmt.Errorf("mock: convert the contract to JSON: %w", err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, asJSON, "", "  "); err != nil {
		return nil, fmt.Errorf("mock: convert the contract to JSON: %w", err)
	}
	sp := &spec{doc: doc, paymentMeth: pm.Value, paramSchemas: map[string]*openapi3.Schema{}, json: indented.Bytes()}
	for _, pi := range doc.Paths.Map() {
		params := slices.Clone(pi.Parameters)
		for _, op := range pi.Operations() {
			params = append(params, op.Parameters...)
		}
		for _, p := range params {
			if p.Value != nil && p.Value.Schema != nil && p.Value.Schema.Value != nil {
				sp.paramSchemas[p.Value.Name] = p.Value.Schema.Value
			}
		}
	}
	return sp, nil
})

// New returns a Server configured by opts. It fails, naming the option, on
// a bad option value: a rate outside [0, 1], a negative latency, empty
// credentials, a nil clock or an unknown fault phase.
func New(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if err := cfg.err(); err != nil {
		return nil, err
	}
	verifier, err := signer.New(cfg.merchantKey, cfg.authenticityToken, signer.WithClock(cfg.clock))
	if err != nil {
		return nil, fmt.Errorf("mock: WithCredentials: %w", err)
	}
	sp, err := loadSpec()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		verifier: verifier,
		spec:     sp,
		store:    newStore(cfg.clock),
		faults:   newFaults(cfg),
		script:   newFaultScript(cfg.script),
		mux:      http.NewServeMux(),
		yaml:     openapi.YAML(),
	}
	s.callbacks = newDeliverer(cfg.merchantKey, cfg.callbacks, cfg.logs)
	s.requests = newRequestLog(cfg.logs)
	if err := s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

// Close makes the server answer every later request with 503, and stops
// the delivery of payment callbacks: it cancels those in flight and waits
// until their goroutines have ended. It does not close listeners: whoever
// serves the handler does that. It always returns nil and may be called
// more than once.
func (s *Server) Close() error {
	s.closed.Store(true)
	s.callbacks.close()
	return nil
}

// ServeHTTP answers one request, and records it in the request log.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := newLogWriter(rw, s.requests, r, s.cfg.clock())
	defer w.end() // deferred so that a dropped connection (a panic) is recorded too
	if s.closed.Load() {
		writeError(w, http.StatusServiceUnavailable, "mock: the server is closed")
		return
	}
	// ServeMux would redirect a path that is not clean (//, /./, /../, a
	// trailing slash); no operation lives there, so answer 404 instead.
	if p := r.URL.EscapedPath(); p == "" || p[0] != '/' || path.Clean(p) != p {
		writeError(w, http.StatusNotFound, "path: no operation at this path")
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) serveSpec(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/yaml")
	h.Set("Content-Length", strconv.Itoa(len(s.yaml)))
	_, _ = w.Write(s.yaml)
}

func (s *Server) serveSpecJSON(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(s.spec.json)))
	_, _ = w.Write(s.spec.json)
}
