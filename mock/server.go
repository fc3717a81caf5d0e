package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/oasdiff/yaml"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock/internal/api"
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

// operation is one of the contract's operations, as routed.
type operation struct {
	route      *routers.Route
	pathParams []string
	hasBody    bool
	next       http.HandlerFunc // the generated wrapper: binds parameters, calls the strict handler
}

// registrar is the api.ServeMux that the generated HandlerWithOptions
// registers its handlers with. It puts each behind the mock's pipeline on
// the Server's real mux and remembers the methods of each path for 405s.
type registrar struct {
	s       *Server
	methods map[string][]string
	err     error
}

var _ api.ServeMux = (*registrar)(nil)

func (g *registrar) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	doc := g.s.spec.doc
	method, p, ok := strings.Cut(pattern, " ")
	var pi *openapi3.PathItem
	var op *openapi3.Operation
	if ok {
		if pi = doc.Paths.Value(p); pi != nil {
			op = pi.GetOperation(method)
		}
	}
	if op == nil {
		g.err = errors.Join(g.err, fmt.Errorf("mock: generated route %q is not in the contract", pattern))
		return
	}
	if err := declaredSchemes(doc, op); err != nil {
		g.err = errors.Join(g.err, fmt.Errorf("mock: %s: %w", pattern, err))
		return
	}
	o := &operation{
		route:   &routers.Route{Spec: doc, Path: p, PathItem: pi, Method: method, Operation: unsecured(op)},
		hasBody: op.RequestBody != nil,
		next:    h,
	}
	for _, list := range []openapi3.Parameters{pi.Parameters, op.Parameters} {
		for _, ref := range list {
			if ref.Value != nil && ref.Value.In == openapi3.ParameterInPath && !slices.Contains(o.pathParams, ref.Value.Name) {
				o.pathParams = append(o.pathParams, ref.Value.Name)
			}
		}
	}
	g.s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { g.s.serveOperation(o, w, r) })
	g.methods[p] = append(g.methods[p], method)
}

// unsecured is op without security requirements, for ValidateRequest: the
// signer has checked the signature before, and with NoopAuthenticationFunc
// a requirement always passes once the contract declares its scheme, which
// declaredSchemes checks. Checking it anyway would cost a copy of the body.
func unsecured(op *openapi3.Operation) *openapi3.Operation {
	c := *op
	c.Security = &openapi3.SecurityRequirements{}
	return &c
}

// declaredSchemes fails when op requires a security scheme the contract
// does not declare, which ValidateRequest would refuse on every request.
func declaredSchemes(doc *openapi3.T, op *openapi3.Operation) error {
	security := op.Security
	if security == nil {
		security = &doc.Security
	}
	for _, req := range *security {
		for name := range req {
			if doc.Components == nil || doc.Components.SecuritySchemes[name] == nil {
				return fmt.Errorf("security scheme %q is not declared", name)
			}
		}
	}
	return nil
}

func (g *registrar) ServeHTTP(w http.ResponseWriter, r *http.Request) { g.s.mux.ServeHTTP(w, r) }

func (s *Server) routes() error {
	strict := api.NewStrictHandlerWithOptions(handlers{s}, []api.StrictMiddlewareFunc{s.withBaseURL},
		api.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  s.bodyError,
			ResponseErrorHandlerFunc: responseError,
		})
	g := &registrar{s: s, methods: map[string][]string{}}
	api.HandlerWithOptions(strict, api.StdHTTPServerOptions{BaseRouter: g, ErrorHandlerFunc: s.paramError})
	n := 0
	for _, pi := range s.spec.doc.Paths.Map() {
		n += len(pi.Operations())
	}
	registered := 0
	for _, m := range g.methods {
		registered += len(m)
	}
	if g.err == nil && registered != n {
		g.err = fmt.Errorf("mock: the generated server routes %d operations, the contract has %d", registered, n)
	}
	if g.err != nil {
		return g.err
	}

	s.mux.HandleFunc("GET /openapi.yaml", s.serveSpec)
	g.methods["/openapi.yaml"] = []string{http.MethodGet}
	s.mux.HandleFunc("GET /openapi.json", s.serveSpecJSON)
	g.methods["/openapi.json"] = []string{http.MethodGet}
	for _, p := range []struct {
		method, path string
		h            http.HandlerFunc
	}{
		{http.MethodGet, "/pay/{order_number}", s.servePayPage},
		{http.MethodPost, "/pay/{order_number}/pay", s.servePay},
		{http.MethodPost, "/pay/{order_number}/cancel", s.serveCancel},
		{http.MethodGet, "/pay/{order_number}/success", s.serveSuccess},
		{http.MethodGet, "/pay/{order_number}/cancelled", s.serveCancelled},
	} {
		s.mux.HandleFunc(p.method+" "+p.path, p.h)
		g.methods[p.path] = []string{p.method}
	}
	s.controlRoutes(g.methods)

	// The same paths without a method: what the method patterns above do not
	// match is a method this path does not allow.
	for p, methods := range g.methods {
		if slices.Contains(methods, http.MethodGet) {
			methods = append(methods, http.MethodHead)
		}
		slices.Sort(methods)
		allow := strings.Join(methods, ", ")
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			if !s.authenticatedAPIMiss(w, r) {
				return
			}
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, "method: must be one of "+allow)
		})
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !s.authenticatedAPIMiss(w, r) {
			return
		}
		writeError(w, http.StatusNotFound, "path: no operation at this path")
	})
	return nil
}

// serveOperation runs one API request through latency, faults, the body
// limit, verification and validation, then the operation.
func (s *Server) serveOperation(op *operation, w http.ResponseWriter, r *http.Request) {
	f := s.nextFault(r)
	if !s.delay(r) {
		return // the client is gone
	}
	if !f.none() && s.cfg.phase == FaultBeforeMutation {
		f.inject(w)
		return
	}
	out := w
	if !f.none() {
		out = &discardWriter{} // the response will be lost
	}
	s.process(op, out, r)
	if !f.none() {
		f.inject(w)
	}
}

func (s *Server) process(op *operation, w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	if !s.verified(w, r, body) {
		return
	}
	if s.cfg.validate {
		if msg := s.validate(op, r, body); msg != "" {
			writeError(w, http.StatusBadRequest, msg)
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	op.next(w, r)
}

// authenticatedAPIMiss checks the signature of a request that matches no
// operation when it is under /v2/ or carries an Authorization header, so
// that a request whose path was tampered with is refused as unauthenticated
// (401) like any other tampering, and the mock reveals which API routes
// exist only to signed callers. A plain request elsewhere (a browser's) passes.
func (s *Server) authenticatedAPIMiss(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, "/v2/") && r.Header.Get("Authorization") == "" {
		return true
	}
	body, ok := readBody(w, r)
	return ok && s.verified(w, r, body)
}

// readBody reads the whole body, answering 413 past MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	tooLarge := "body: must be at most " + strconv.Itoa(MaxBodyBytes) + " bytes"
	if r.ContentLength > MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
		return nil, false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, "body: could not be read")
		return nil, false
	}
	return body, true
}

// readAll is io.ReadAll with a size hint: a body of the announced length
// takes one allocation, with a spare byte for the read that sees EOF. It
// reads until EOF whatever the length announced.
func readAll(rd io.Reader, contentLength int64) ([]byte, error) {
	size := 512
	if contentLength > 0 && contentLength < MaxBodyBytes {
		size = int(contentLength) + 1
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// verified checks the request's signature, answering 401 when it fails.
func (s *Server) verified(w http.ResponseWriter, r *http.Request, body []byte) bool {
	if !s.cfg.verify {
		return true
	}
	err := s.verifier.VerifyRequest(r, body)
	if err == nil {
		return true
	}
	msg := "authorization: "
	switch {
	case errors.Is(err, signer.ErrMissing):
		msg += "the Authorization header is missing"
	case errors.Is(err, signer.ErrMalformed):
		msg += "the Authorization header is malformed (want WP3-v2.1 <authenticity_token> <timestamp> <digest>)" + reason(err, signer.ErrMalformed)
	case errors.Is(err, signer.ErrUnknownToken):
		msg += "unknown authenticity token"
	case errors.Is(err, signer.ErrStale):
		msg += "the timestamp is outside the allowed window" + reason(err, signer.ErrStale)
	case errors.Is(err, signer.ErrMismatch):
		msg += "digest does not match the request"
	default:
		writeError(w, http.StatusInternalServerError, "mock: could not verify the request")
		return false
	}
	writeError(w, http.StatusUnauthorized, msg)
	return false
}

// reason returns ": <why>" from an error of the form "<sentinel>: <why>".
// The signer guarantees the reason never quotes the header or a secret.
func reason(err, sentinel error) string {
	if why, ok := strings.CutPrefix(err.Error(), sentinel.Error()+": "); ok && why != "" {
		return ": " + why
	}
	return ""
}

// paramError answers a parameter the generated code could not bind. With
// validation on, the contract check catches these first.
func (s *Server) paramError(w http.ResponseWriter, _ *http.Request, err error) {
	name := "parameter"
	var inv *api.InvalidParamFormatError
	var req *api.RequiredParamError
	var many *api.TooManyValuesForParamError
	switch {
	case errors.As(err, &inv):
		name = inv.ParamName
	case errors.As(err, &req):
		writeError(w, http.StatusBadRequest, req.ParamName+": is required")
		return
	case errors.As(err, &many):
		writeError(w, http.StatusBadRequest, many.ParamName+": must be given once")
		return
	}
	if sch := s.spec.paramSchemas[name]; sch != nil {
		writeError(w, http.StatusBadRequest, name+": must be "+typeWords(sch))
		return
	}
	writeError(w, http.StatusBadRequest, name+": is invalid")
}

// bodyError answers a body the generated code could not decode into
// package gen's types.
func (s *Server) bodyError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, decodeWords(err))
}

func responseError(w http.ResponseWriter, _ *http.Request, _ error) {
	writeError(w, http.StatusInternalServerError, "mock: could not write the response")
}

// writeError writes Monri's error shape: invalid-request for 4xx, error
// for 5xx.
func writeError(w http.ResponseWriter, status int, message string) {
	noteRule(w, message)
	st := gen.MonriErrorStatusInvalidRequest
	if status >= 500 {
		st = gen.MonriErrorStatusError
	}
	writeJSON(w, status, gen.MonriError{Status: st, Message: message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"status":"error","message":"mock: could not encode the response"}`)
	}
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
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

// discardWriter swallows a response that a fault will replace.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
