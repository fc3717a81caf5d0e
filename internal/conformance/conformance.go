// Package conformance asks a Monri environment, over raw signed HTTP,
// whether it still behaves as the contract (openapi/monri.yaml) says: every
// exchange is validated with kin-openapi and the documented semantics are
// checked by name. It reads bodies as plain JSON, not through gen, so a
// regenerated client does not change what it checks.
package conformance

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/spectest"
)

// Config says where and how to run.
type Config struct {
	// BaseURL is the server, e.g. https://ipgtest.monri.com, without a trailing slash.
	BaseURL string
	// MerchantKey and AuthenticityToken sign every request.
	MerchantKey, AuthenticityToken string
	// HTTPClient carries the requests; nil means one that follows no redirects.
	HTTPClient *http.Client
	// ReadOnly runs only the checks that create nothing.
	ReadOnly bool
	// Only and Skip select checks by name; empty Only means all.
	Only, Skip []string
	// Record, when set, receives each exchange as a redacted fixture.
	Record *Recorder
	// Prefix names the data the run creates; empty means conformance-<random>.
	Prefix string
	// RequestTimeout bounds each request; zero means 30 s.
	RequestTimeout time.Duration
	// CleanupTimeout bounds the whole cleanup, which runs on a fresh context
	// so that a cancelled run still removes its data; zero means 60 s.
	CleanupTimeout time.Duration
	// Log, when set, gets one line per exchange: operation, method, path
	// template and status; never a header or a body.
	Log io.Writer
}

// String describes the Config without its credentials, so that %v of it
// leaks nothing.
func (c Config) String() string {
	return fmt.Sprintf("conformance.Config{BaseURL: %q, MerchantKey: [redacted], AuthenticityToken: [redacted], ReadOnly: %v, Only: %q, Skip: %q}",
		c.BaseURL, c.ReadOnly, c.Only, c.Skip)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// Result is the outcome of one named check.
type Result struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// ErrUnknownCheck is wrapped by Run's error for a name in Only or Skip that
// is no check.
var ErrUnknownCheck = errors.New("conformance: unknown check")

// runner holds one run's state.
type runner struct {
	cfg         Config
	base        string
	client      *http.Client
	signer      *signer.Signer
	wrongSigner *signer.Signer
	validator   *spectest.Validator

	mu        sync.Mutex
	exchanges []*exchange

	// Data made by the run, for the checks and for cleanup.
	seq       int
	customers []*madeCustomer
	links     []*madeLink
	pair      *customerPair
	pairErr   error
	link      *madeLink
	linkErr   error
}

// Names returns every check name, semantic checks first, in run order.
func Names() []string {
	names := make([]string, 0, len(checks)+len(contractOps))
	for _, c := range checks {
		names = append(names, c.name)
	}
	for _, op := range contractOps {
		names = append(names, contractName(op))
	}
	return names
}

// Run runs the selected checks against cfg.BaseURL and cleans up what it
// made, also when ctx ends mid-run. It returns one Result per check that
// ran, then the contract results per operation exercised, then a "cleanup"
// result if cleanup failed. The error is a bad Config or ctx's error.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	r, err := newRunner(cfg)
	if err != nil {
		return nil, err
	}
	selected, report, err := selectChecks(cfg)
	if err != nil {
		return nil, err
	}
	var results []Result
	for _, c := range selected {
		if ctx.Err() != nil {
			break
		}
		if c.write && cfg.ReadOnly {
			continue
		}
		out := c.run(ctx, r)
		if ctx.Err() != nil && !out.ok {
			break // a check cut short by Ctrl-C says nothing about the server
		}
		if report[c.name] {
			results = append(results, Result{Name: c.name, OK: out.ok, Detail: out.detail})
		}
	}
	cleanupErr := r.cleanup()
	for _, res := range r.contractResults() {
		if report[res.Name] {
			results = append(results, res)
		}
	}
	if cfg.Record != nil && cfg.Record.Err() != nil {
		results = append(results, Result{Name: "record", OK: false, Detail: cfg.Record.Err().Error()})
	}
	if cleanupErr != "" {
		results = append(results, Result{Name: "cleanup", OK: false, Detail: cleanupErr})
	}
	return results, ctx.Err()
}

func newRunner(cfg Config) (*runner, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("conformance: no base URL")
	}
	s, err := signer.New(cfg.MerchantKey, cfg.AuthenticityToken)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	wrong, err := signer.New("conformance-wrong-"+randomHex(8), cfg.AuthenticityToken)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	v, err := spectest.NewValidator()
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.CleanupTimeout <= 0 {
		cfg.CleanupTimeout = 60 * time.Second
	}
	if cfg.Record != nil {
		cfg.Record.addSecrets(cfg.MerchantKey, cfg.AuthenticityToken)
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "conformance-" + randomHex(4)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return &runner{
		cfg: cfg, base: strings.TrimRight(cfg.BaseURL, "/"), client: hc,
		signer: s, wrongSigner: wrong, validator: v,
	}, nil
}

// selectChecks returns the semantic checks to run and the names to report.
// When Only names contract checks alone, every semantic check runs to make
// the traffic they judge, and only the named results are reported.
func selectChecks(cfg Config) ([]check, map[string]bool, error) {
	all := Names()
	for _, n := range slices.Concat(cfg.Only, cfg.Skip) {
		if !slices.Contains(all, n) {
			return nil, nil, fmt.Errorf("%w %q; checks are: %s", ErrUnknownCheck, n, strings.Join(all, ", "))
		}
	}
	report := make(map[string]bool, len(all))
	for _, n := range all {
		report[n] = (len(cfg.Only) == 0 || slices.Contains(cfg.Only, n)) && !slices.Contains(cfg.Skip, n)
	}
	onlyContract := len(cfg.Only) > 0
	for _, n := range cfg.Only {
		if !strings.HasPrefix(n, contractPrefix) {
			onlyContract = false
		}
	}
	var run []check
	for _, c := range checks {
		if report[c.name] || (onlyContract && !slices.Contains(cfg.Skip, c.name)) {
			run = append(run, c)
		}
	}
	return run, report, nil
}

// keep stores an exchange for the contract results and records it.
func (r *runner) keep(x *exchange) {
	r.mu.Lock()
	r.exchanges = append(r.exchanges, x)
	r.mu.Unlock()
	if r.cfg.Record != nil {
		r.cfg.Record.write(x)
	}
	if r.cfg.Log != nil {
		_, _ = fmt.Fprintf(r.cfg.Log, "conformance: %s %s %s -> %d\n", x.Operation, x.Method, x.Route, x.Status)
	}
}

// name returns the next unique name under the run's prefix.
func (r *runner) name() string {
	r.seq++
	return fmt.Sprintf("%s-%d", r.cfg.Prefix, r.seq)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
