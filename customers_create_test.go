package monri_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// createProbe stands in front of a mock, counts the customer creates and
// the lookups by merchant_customer_id it passes on, and lets a test decide
// what happens to the first create and before each lookup.
type createProbe struct {
	m *mock.Running
	// answers[n-1], when set, serves create n instead of the mock; it may
	// pass it on with m.Server.ServeHTTP and then answer something else.
	answers []func(w http.ResponseWriter, r *http.Request)
	// beforeLookup, when set, runs before lookup n (from 1) is passed on.
	beforeLookup func(n int32)
	// afterLookup, when set, runs after lookup n has been answered.
	afterLookup func(n int32)
	// lookupFails, when set, answers lookup n with it instead of the mock.
	lookupFails map[int32]int
	// postDone is closed once the first create has been served.
	postDone chan struct{}

	posts, lookups atomic.Int32
}

func newCreateProbe(m *mock.Running) *createProbe {
	return &createProbe{m: m, postDone: make(chan struct{})}
}

func (p *createProbe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v2/customers":
		n := p.posts.Add(1)
		if int(n) <= len(p.answers) && p.answers[n-1] != nil {
			p.answers[n-1](w, r)
		} else {
			p.m.Server.ServeHTTP(w, r)
		}
		if n == 1 {
			close(p.postDone)
		}
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v2/merchants/customers/"):
		n := p.lookups.Add(1)
		if p.beforeLookup != nil {
			p.beforeLookup(n)
		}
		if status := p.lookupFails[n]; status != 0 {
			answer(w, status)
		} else {
			p.m.Server.ServeHTTP(w, r)
		}
		if p.afterLookup != nil {
			p.afterLookup(n)
		}
	default:
		p.m.Server.ServeHTTP(w, r)
	}
}

// answer writes Monri's error shape with status.
func answer(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"status":"error","message":"lost"}`)
}

// applyThen passes the create on to the mock, so it is applied, and then
// answers with status instead of the mock's answer.
func applyThen(p *createProbe, status int) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		p.m.Server.ServeHTTP(httptest.NewRecorder(), r)
		answer(w, status)
	}
}

// applyThenDrop applies the create and closes the connection unanswered.
func applyThenDrop(p *createProbe) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		p.m.Server.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}
}

// cancelOnGate ends the create's attempt, as a per-attempt timeout would,
// once the mock's commit gate holds the create: the request has reached
// the server, and nothing tells the client whether it will be applied.
type cancelOnGate struct{ entered <-chan struct{} }

func (c cancelOnGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/v2/customers" {
		return http.DefaultTransport.RoundTrip(r)
	}
	ctx, cancel := context.WithCancel(r.Context())
	go func() {
		select {
		case <-c.entered:
			cancel()
		case <-ctx.Done():
		}
	}()
	resp, err := http.DefaultTransport.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
	}
	return resp, err
}

// TestUncertainCreateCommittedAfterTheClientGaveUp: the create reaches the
// mock, whose commit gate holds it until the client's attempt has ended;
// then it commits (or is refused, when the id is taken), before or after
// the first lookup. Create never POSTs again, returns the customer only if
// it is the one it sent, and otherwise says the outcome is unknown.
func TestUncertainCreateCommittedAfterTheClientGaveUp(t *testing.T) {
	cases := []struct {
		name              string
		heldBy            string // name of a customer that held the id before the call
		afterFirstLookup  bool   // the commit lands after a lookup found nothing
		wantLookups       int32
		wantOutcomeUnkown bool
	}{
		{"commit before the first lookup", "", false, 1, false},
		{"commit after a lookup found nothing", "", true, 2, false},
		{"the id was held by another customer", "Old Name", false, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			entered := make(chan struct{})
			firstLookupServed := make(chan struct{})
			var armed atomic.Bool
			m := mock.Start(t, mock.WithCreateCommitGate(func(ctx context.Context) {
				if !armed.Load() {
					return
				}
				close(entered)
				<-ctx.Done() // the client has given up on this attempt
				if tc.afterFirstLookup {
					<-firstLookupServed
				}
			}))
			probe := newCreateProbe(m)
			probe.beforeLookup = func(n int32) {
				if n == 1 && tc.afterFirstLookup {
					return // served at once, before the commit: 404
				}
				<-probe.postDone // the commit (or refusal) has happened
			}
			probe.afterLookup = func(n int32) {
				if n == 1 {
					close(firstLookupServed)
				}
			}
			ts := httptest.NewServer(probe)
			defer ts.Close()
			c := fastRetryClient(t, ts.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken),
				monri.WithHTTPClient(&http.Client{Transport: cancelOnGate{entered: entered}}))
			if tc.heldBy != "" {
				_, err := fastRetryClient(t, m.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken)).
					Customers.Create(t.Context(), monri.CustomerParams{MerchantCustomerID: ptr("late-1"), Name: ptr(tc.heldBy)})
				require.NoError(t, err)
			}
			armed.Store(true)

			cust, err := c.Customers.Create(t.Context(), monri.CustomerParams{MerchantCustomerID: ptr("late-1"), Name: ptr("Ada"), Email: ptr("ada@example.com")})

			assert.Equal(t, int32(1), probe.posts.Load(), "a create that may have been applied is never sent again")
			assert.Equal(t, tc.wantLookups, probe.lookups.Load())
			stored := m.Server.Customers()
			require.Len(t, stored, 1, "exactly one customer holds the id")
			if tc.wantOutcomeUnkown {
				var unknown *monri.OutcomeUnknownError
				require.ErrorAs(t, err, &unknown)
				assert.Equal(t, "late-1", unknown.MerchantCustomerID)
				assert.Contains(t, err.Error(), "has another name")
				assert.Nil(t, cust)
				assert.Equal(t, tc.heldBy, *stored[0].Name, "the customer that held the id is untouched")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, stored[0].UUID, cust.UUID)
			assert.Equal(t, "Ada", *cust.Name)
		})
	}
}

// TestUncertainCreateResolution: what Create does after each outcome that
// may have been applied, and after those that surely were not.
func TestUncertainCreateResolution(t *testing.T) {
	withID := monri.CustomerParams{MerchantCustomerID: ptr("res-1"), Name: ptr("Ada"), Email: ptr("ada@example.com")}
	type answers = []func(http.ResponseWriter, *http.Request)
	refuse := func(status int) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, _ *http.Request) { answer(w, status) }
	}
	cases := []struct {
		name        string
		params      monri.CustomerParams
		opts        []monri.Option
		existing    bool // a customer with params' id and name exists before the call
		setup       func(p *createProbe)
		wantPosts   int32
		wantLookups int32
		stored      int
		// want is "found", "unknown" (an *OutcomeUnknownError) or "refused"
		// (a plain *Error); wantStatus is the *Error's status for the last two.
		want       string
		wantStatus int
	}{
		{"503 after commit", withID, nil, false, func(p *createProbe) { p.answers = answers{applyThen(p, 503)} }, 1, 1, 1, "found", 0},
		{"500 after commit", withID, nil, false, func(p *createProbe) { p.answers = answers{applyThen(p, 500)} }, 1, 1, 1, "found", 0},
		{"408 after commit", withID, nil, false, func(p *createProbe) { p.answers = answers{applyThen(p, 408)} }, 1, 1, 1, "found", 0},
		{"connection dropped after commit", withID, nil, false, func(p *createProbe) { p.answers = answers{applyThenDrop(p)} }, 1, 1, 1, "found", 0},
		{"200 that does not decode", withID, nil, false, func(p *createProbe) {
			p.answers = answers{func(w http.ResponseWriter, r *http.Request) {
				p.m.Server.ServeHTTP(httptest.NewRecorder(), r)
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"status":"approved","uuid":`)
			}}
		}, 1, 1, 1, "found", 0},
		{"a lookup fails, the next finds it", withID, nil, false, func(p *createProbe) {
			p.answers = answers{applyThen(p, 503)}
			p.lookupFails = map[int32]int{1: 503}
		}, 1, 2, 1, "found", 0},
		{"429 after commit, then already exists", withID, nil, false, func(p *createProbe) { p.answers = answers{applyThen(p, 429)} }, 2, 1, 1, "found", 0},
		{"429 is retried: it was not applied", withID, nil, false, func(p *createProbe) { p.answers = answers{refuse(429)} }, 2, 0, 1, "found", 0},
		{"503, never committed: the lookups run out", withID, nil, false, func(p *createProbe) { p.answers = answers{refuse(503)} }, 1, 2, 0, "unknown", 503},
		{"one budget: a 429 retry leaves one lookup", withID, nil, false, func(p *createProbe) { p.answers = answers{refuse(429), refuse(503)} }, 2, 1, 0, "unknown", 503},
		{"one budget: no retries means no lookup", withID, []monri.Option{monri.WithMaxRetries(0)}, false, func(p *createProbe) { p.answers = answers{applyThen(p, 503)} }, 1, 0, 1, "unknown", 503},
		{"without a merchant id", monri.CustomerParams{Name: ptr("Ada")}, nil, false, func(p *createProbe) { p.answers = answers{applyThen(p, 503)} }, 1, 0, 1, "unknown", 503},
		{"401 is a refusal", withID, nil, false, func(p *createProbe) { p.answers = answers{refuse(401)} }, 1, 0, 0, "refused", 401},
		{"already exists on the first attempt is a refusal", withID, nil, true, func(*createProbe) {}, 1, 0, 1, "refused", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			m := mock.Start(t)
			if tc.existing {
				_, err := fastRetryClient(t, m.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken)).Customers.Create(t.Context(), tc.params)
				require.NoError(t, err)
			}
			probe := newCreateProbe(m)
			tc.setup(probe)
			ts := httptest.NewServer(probe)
			defer ts.Close()
			c := fastRetryClient(t, ts.URL, append([]monri.Option{monri.WithCredentials(m.MerchantKey, m.AuthenticityToken)}, tc.opts...)...)

			cust, err := c.Customers.Create(t.Context(), tc.params)

			assert.Equal(t, tc.wantPosts, probe.posts.Load(), "POSTs")
			assert.Equal(t, tc.wantLookups, probe.lookups.Load(), "lookups")
			stored := m.Server.Customers()
			assert.Len(t, stored, tc.stored)
			var unknown *monri.OutcomeUnknownError
			var apiErr *monri.Error
			switch tc.want {
			case "found":
				require.NoError(t, err)
				require.Len(t, stored, 1)
				assert.Equal(t, stored[0].UUID, cust.UUID)
			case "unknown":
				require.ErrorAs(t, err, &unknown)
				assert.Equal(t, deref(tc.params.MerchantCustomerID), unknown.MerchantCustomerID)
				require.ErrorAs(t, err, &apiErr, "the failure that made it uncertain is kept")
				assert.Equal(t, tc.wantStatus, apiErr.HTTPStatus)
				assert.Contains(t, err.Error(), "outcome unknown")
			case "refused":
				assert.False(t, errors.As(err, &unknown), "a refusal is certain: %v", err)
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.wantStatus, apiErr.HTTPStatus)
			default:
				t.Fatalf("unknown want %q", tc.want)
			}
		})
	}
}

// TestUncertainCreateHonoursTheContext: a context that ends while the
// outcome is uncertain ends the call at once with OutcomeUnknownError, which
// still matches the context's error.
func TestUncertainCreateHonoursTheContext(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t)
	probe := newCreateProbe(m)
	ctx, cancel := context.WithCancel(t.Context())
	probe.answers = []func(http.ResponseWriter, *http.Request){func(w http.ResponseWriter, r *http.Request) {
		m.Server.ServeHTTP(httptest.NewRecorder(), r)
		cancel()
		answer(w, 503)
	}}
	ts := httptest.NewServer(probe)
	defer ts.Close()
	c := fastRetryClient(t, ts.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))

	_, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("ctx-1")})
	var unknown *monri.OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, "ctx-1", unknown.MerchantCustomerID)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int32(1), probe.posts.Load())
	assert.Equal(t, int32(0), probe.lookups.Load())

	// A context that has already ended sends nothing.
	_, err = c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("ctx-2")})
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.As(err, &unknown))
	assert.Equal(t, int32(1), probe.posts.Load())
}

// TestUncertainCreateStopsBeforeTheDeadline: when the wait before the first
// lookup would outlast the context's deadline, Create does not start it and
// returns at once: outcome unknown, with context.DeadlineExceeded for
// errors.Is, as the transport does for a retry it cannot start. The backoff
// of an hour against a deadline a minute away leaves no timing to race.
func TestUncertainCreateStopsBeforeTheDeadline(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t)
	probe := newCreateProbe(m)
	probe.answers = []func(http.ResponseWriter, *http.Request){applyThen(probe, 503)}
	ts := httptest.NewServer(probe)
	defer ts.Close()
	c := fastRetryClient(t, ts.URL, monri.WithCredentials(m.MerchantKey, m.AuthenticityToken),
		monri.WithBackoff(time.Hour, time.Hour))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	_, err := c.Customers.Create(ctx, monri.CustomerParams{MerchantCustomerID: ptr("deadline-1")})
	var unknown *monri.OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, "deadline-1", unknown.MerchantCustomerID)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var apiErr *monri.Error
	require.ErrorAs(t, err, &apiErr, "the create's own answer is kept")
	assert.Equal(t, 503, apiErr.HTTPStatus)
	assert.NoError(t, ctx.Err(), "returned at once, not at the deadline")
	assert.Equal(t, int32(1), probe.posts.Load())
	assert.Equal(t, int32(0), probe.lookups.Load())
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestOutcomeUnknownErrorHasNoSecret: the error, in every format, carries
// the merchant id and the failures but no credential, digest or header.
func TestOutcomeUnknownErrorHasNoSecret(t *testing.T) {
	clearEnv(t)
	m := mock.Start(t, mock.WithCredentials(secretKey, secretToken))
	probe := newCreateProbe(m)
	probe.answers = []func(http.ResponseWriter, *http.Request){func(w http.ResponseWriter, _ *http.Request) { answer(w, 503) }}
	ts := httptest.NewServer(probe)
	defer ts.Close()
	c := fastRetryClient(t, ts.URL, monri.WithCredentials(secretKey, secretToken))

	_, err := c.Customers.Create(t.Context(), monri.CustomerParams{MerchantCustomerID: ptr("quiet-1")})
	var unknown *monri.OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, err)
		assert.Contains(t, out, "quiet-1", format)
		assert.NotContains(t, out, secretKey, format)
		assert.NotContains(t, out, secretToken, format)
		assert.NotContains(t, out, "WP3-v2.1", format)
		assert.NotRegexp(t, hex128, out, format)
	}
}

// TestUncertainCreateBudgetFollowsTheRequestOptions: WithRequestMaxRetries
// sets the one budget of POSTs and lookups for that call, and the lookups
// carry the call's header.
func TestUncertainCreateBudgetFollowsTheRequestOptions(t *testing.T) {
	cases := []struct {
		name        string
		client      []monri.Option
		retries     int
		wantLookups int32
	}{
		{"none: no lookup", nil, 0, 0},
		{"more than the client's", []monri.Option{monri.WithMaxRetries(0)}, 3, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			m := mock.Start(t)
			probe := newCreateProbe(m)
			probe.answers = []func(http.ResponseWriter, *http.Request){func(w http.ResponseWriter, _ *http.Request) { answer(w, 503) }}
			var traced atomic.Int32
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Trace-Id") == "t-1" {
					traced.Add(1)
				}
				probe.ServeHTTP(w, r)
			}))
			defer ts.Close()
			c := fastRetryClient(t, ts.URL, append([]monri.Option{monri.WithCredentials(m.MerchantKey, m.AuthenticityToken)}, tc.client...)...)

			_, err := c.Customers.Create(t.Context(), monri.CustomerParams{MerchantCustomerID: ptr("budget-1")},
				monri.WithRequestMaxRetries(tc.retries), monri.WithRequestHeader("X-Trace-Id", "t-1"))
			var unknown *monri.OutcomeUnknownError
			require.ErrorAs(t, err, &unknown)
			assert.EqualValues(t, 1, probe.posts.Load(), "never a second POST")
			assert.Equal(t, tc.wantLookups, probe.lookups.Load())
			assert.Equal(t, 1+tc.wantLookups, traced.Load(), "every request of the call carries its header")
		})
	}
}
