package mock

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/monri-go/monri/mock/internal/api"
)

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
