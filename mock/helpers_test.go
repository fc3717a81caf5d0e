package mock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
	"github.com/monri-go/monri/spectest"
	"github.com/monri-go/monri/wire"
)

// t0 is the start of every test clock.
var t0 = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// clock is a settable clock, shared by a mock and the signer that talks to
// it, safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// decodeFixture reads testdata/name into a value of type T.
func decodeFixture[T any](t testing.TB, name string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(fixture(t, name), &v))
	return v
}

// signerFor returns a signer with run's credentials and the given clock
// (time.Now when nil).
func signerFor(t testing.TB, run *mock.Running, clk *clock) *signer.Signer {
	t.Helper()
	var opts []signer.Option
	if clk != nil {
		opts = append(opts, signer.WithClock(clk.Now))
	}
	s, err := signer.New(run.MerchantKey, run.AuthenticityToken, opts...)
	require.NoError(t, err)
	return s
}

// client returns the generated client for run: it signs every request and
// checks every request and response against the contract, failing t on
// any violation.
func client(t *testing.T, run *mock.Running, clk *clock) *gen.ClientWithResponses {
	t.Helper()
	c, err := gen.NewClientWithResponses(run.URL,
		gen.WithHTTPClient(&http.Client{Transport: spectest.NewTransport(t, nil)}),
		gen.WithRequestEditorFn(signerFor(t, run, clk).Edit))
	require.NoError(t, err)
	return c
}

// plainClient returns the generated client without the contract check, for
// traffic the contract does not describe (injected faults).
func plainClient(t *testing.T, run *mock.Running, clk *clock, hc *http.Client) *gen.ClientWithResponses {
	t.Helper()
	if hc == nil {
		hc = &http.Client{}
	}
	c, err := gen.NewClientWithResponses(run.URL, gen.WithHTTPClient(hc),
		gen.WithRequestEditorFn(signerFor(t, run, clk).Edit))
	require.NoError(t, err)
	return c
}

// reply is a raw response.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// monriError decodes Monri's error shape, failing t if the body has another.
func (r reply) monriError(t testing.TB) gen.MonriError {
	t.Helper()
	require.Equal(t, "application/json", r.header.Get("Content-Type"), "body %s", r.body)
	var e gen.MonriError
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&e), "body %s", r.body)
	want := gen.MonriErrorStatusInvalidRequest
	if r.status >= 500 {
		want = gen.MonriErrorStatusError
	}
	require.Equal(t, want, e.Status, "body %s", r.body)
	require.NotEmpty(t, e.Message)
	return e
}

// request describes a raw request for send.
type request struct {
	method      string
	target      string // path and query
	body        []byte
	contentType string
	header      map[string]string
	sign        *signer.Signer // nil: unsigned
	// garbageIn skips checking the response against the contract: with
	// validation off, what the contract forbids may be echoed back.
	garbageIn bool
}

// send sends req to run with a plain http.Client and reads the reply.
func send(t testing.TB, run *mock.Running, req request) reply {
	t.Helper()
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequest(req.method, run.URL+req.target, body)
	require.NoError(t, err)
	if req.contentType != "" {
		hr.Header.Set("Content-Type", req.contentType)
	}
	if req.sign != nil {
		require.NoError(t, req.sign.Sign(hr))
	}
	for k, v := range req.header {
		hr.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(hr)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if !req.garbageIn {
		checkResponse(t, hr, req.body, resp.StatusCode, resp.Header, b)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// checkResponse fails t if a response with a status the contract documents
// for the operation does not match the contract, whatever the request was.
// 405, 413 and 503 are the mock's own answers outside the contract.
func checkResponse(t testing.TB, req *http.Request, reqBody []byte, status int, header http.Header, body []byte) {
	t.Helper()
	switch status {
	case http.StatusOK, http.StatusBadRequest, http.StatusUnauthorized, http.StatusNotFound, http.StatusInternalServerError:
	default:
		return
	}
	v, err := spectest.NewValidator()
	require.NoError(t, err)
	in, _ := v.ValidateRequest(req, reqBody) // the request may be bad on purpose
	if in == nil {
		return // not an operation of the contract
	}
	require.NoError(t, v.ValidateResponse(in, status, header, body))
}

// state is everything a client can change, for before/after comparisons.
type state struct {
	Customers      []gen.Customer
	PaymentMethods map[string][]gen.PaymentMethod
	PayByLinks     []gen.PayByLink
}

func snapshot(s *mock.Server) state {
	st := state{Customers: s.Customers(), PayByLinks: s.PayByLinks(), PaymentMethods: map[string][]gen.PaymentMethod{}}
	for _, c := range st.Customers {
		pms, _ := s.PaymentMethods(c.UUID)
		st.PaymentMethods[c.UUID] = pms
	}
	return st
}

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func strp(s string) *string { return &s }

// leaks reports which of the secrets appear in body.
func leaks(body []byte, secrets ...string) []string {
	var out []string
	for _, s := range secrets {
		if s != "" && strings.Contains(string(body), s) {
			out = append(out, s)
		}
	}
	return out
}

func wireTS(t time.Time) wire.Timestamp { return wire.NewTimestamp(t, wire.RFC3339) }
