package mock_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/gen"
	"github.com/monri-go/monri/mock"
)

// isolated returns an http.Client with its own connection pool.
func isolated(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// outcome names what the client saw: ok, a status code, or drop for a
// transport error. An injected error must have Monri's 5xx shape.
func outcome(t *testing.T, resp *http.Response, err error) string {
	t.Helper()
	if err != nil {
		return "drop"
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(resp.Body)
	require.NoError(t, rerr)
	if resp.StatusCode == http.StatusOK {
		return "ok"
	}
	var e gen.MonriError
	require.NoError(t, json.Unmarshal(body, &e), "%s", body)
	assert.Equal(t, gen.MonriErrorStatusError, e.Status)
	assert.Contains(t, e.Message, "fault injected by the mock")
	return fmt.Sprint(resp.StatusCode)
}

// createMany sends n customer creates (POST: never retried by net/http)
// and returns what the client saw for each.
func createMany(t *testing.T, run *mock.Running, n int) []string {
	t.Helper()
	c := plainClient(t, run, nil, isolated(t))
	out := make([]string, n)
	for i := range n {
		resp, err := c.CreateCustomer(context.Background(), gen.CustomerRequest{Name: ptrTo(fmt.Sprintf("c%d", i))})
		out[i] = outcome(t, resp, err)
	}
	return out
}

func count(outcomes []string, what string) int {
	n := 0
	for _, o := range outcomes {
		if o == what {
			n++
		}
	}
	return n
}

func TestFaultsAreDeterministicWithASeed(t *testing.T) {
	opts := func(seed int64) []mock.Option {
		return []mock.Option{mock.WithSeed(seed), mock.WithErrorRate(0.3), mock.WithDropRate(0.2)}
	}
	first := mock.Start(t, opts(42)...)
	a := createMany(t, first, 60)
	b := createMany(t, mock.Start(t, opts(42)...), 60)
	require.Equal(t, a, b, "the same seed must make the same decisions")
	for _, want := range []string{"ok", "500", "503", "drop"} {
		assert.Positive(t, count(a, want), "no %s in %v", want, a)
	}
	assert.NotEqual(t, a, createMany(t, mock.Start(t, opts(7)...), 60), "another seed, other decisions")
	// Before mutation (the default), only the requests that got through
	// changed anything.
	assert.Len(t, first.Server.Customers(), count(a, "ok"))
}

func TestFaultPhases(t *testing.T) {
	tests := []struct {
		name          string
		opts          []mock.Option
		clientSees    []string // any of
		customersLeft int
	}{
		{"error before mutation", []mock.Option{mock.WithErrorRate(1)}, []string{"500", "503"}, 0},
		{"error after mutation: a lost response", []mock.Option{mock.WithErrorRate(1), mock.WithFaultPhase(mock.FaultAfterMutation)}, []string{"500", "503"}, 1},
		{"drop before mutation", []mock.Option{mock.WithDropRate(1)}, []string{"drop"}, 0},
		{"drop after mutation: a lost response", []mock.Option{mock.WithDropRate(1), mock.WithFaultPhase(mock.FaultAfterMutation)}, []string{"drop"}, 1},
		{"drop wins over error", []mock.Option{mock.WithDropRate(1), mock.WithErrorRate(1)}, []string{"drop"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := mock.Start(t, append(tt.opts, mock.WithSeed(1))...)
			got := createMany(t, run, 1)
			assert.Contains(t, tt.clientSees, got[0])
			assert.Len(t, run.Server.Customers(), tt.customersLeft)
		})
	}
}

func TestDropIsAClientError(t *testing.T) {
	run := mock.Start(t, mock.WithDropRate(1))
	c := plainClient(t, run, nil, isolated(t))
	_, err := c.CreateCustomerWithResponse(context.Background(), gen.CustomerRequest{})
	require.Error(t, err)
	assert.ErrorIs(t, err, io.EOF)
	// The contract itself is never faulted.
	r := send(t, run, request{method: http.MethodGet, target: "/openapi.yaml"})
	assert.Equal(t, http.StatusOK, r.status)
}

func TestErrorRateIsAFraction(t *testing.T) {
	run := mock.Start(t, mock.WithSeed(3), mock.WithErrorRate(0.25))
	c := plainClient(t, run, nil, isolated(t))
	var got []string
	for range 400 {
		resp, err := c.ListCustomers(context.Background(), nil)
		got = append(got, outcome(t, resp, err))
	}
	faults := count(got, "500") + count(got, "503")
	assert.InDelta(t, 100, faults, 30, "about a quarter of 400 responses")
	assert.Positive(t, count(got, "500"))
	assert.Positive(t, count(got, "503"))
	assert.Zero(t, count(got, "drop"))
}

func TestLatency(t *testing.T) {
	const latency = 40 * time.Millisecond
	run := mock.Start(t, mock.WithLatency(latency))
	c := client(t, run, nil)
	start := time.Now()
	r, err := c.ListCustomersWithResponse(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, r.StatusCode())
	assert.GreaterOrEqual(t, time.Since(start), latency)
}
