package mock_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri/mock"
)

// TestFaultScript: each API request meets the script's next step, in
// order, in the configured phase; after the script, none (or the random
// faults, when configured).
func TestFaultScript(t *testing.T) {
	script := []mock.ScriptedFault{mock.Script503, mock.ScriptNone, mock.Script500, mock.ScriptDrop}
	tests := []struct {
		name          string
		opts          []mock.Option
		want          []string
		customersLeft int
	}{
		{"before mutation", nil, []string{"503", "ok", "500", "drop", "ok", "ok"}, 3},
		{"after mutation: every create applied", []mock.Option{mock.WithFaultPhase(mock.FaultAfterMutation)},
			[]string{"503", "ok", "500", "drop", "ok", "ok"}, 6},
		{"then the random faults", []mock.Option{mock.WithErrorRate(1)}, []string{"503", "ok", "500", "drop", "5xx", "5xx"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := mock.Start(t, append(tt.opts, mock.WithFaultScript(script...))...)
			got := createMany(t, run, len(tt.want))
			for i, o := range got {
				if tt.want[i] == "5xx" && (o == "500" || o == "503") {
					got[i] = "5xx"
				}
			}
			assert.Equal(t, tt.want, got)
			assert.Len(t, run.Server.Customers(), tt.customersLeft)
		})
	}
}

// TestFaultScriptSkipsTheContract: only API requests take a step.
func TestFaultScriptSkipsTheContract(t *testing.T) {
	run := mock.Start(t, mock.WithFaultScript(mock.Script500))
	r := send(t, run, request{method: http.MethodGet, target: "/openapi.yaml"})
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, []string{"500", "ok"}, createMany(t, run, 2))
}

// TestFaultScriptHang: the request gets no answer until the client gives
// up; the next one goes through.
func TestFaultScriptHang(t *testing.T) {
	run := mock.Start(t, mock.WithFaultScript(mock.ScriptHang))
	c := plainClient(t, run, nil, isolated(t))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	resp, err := c.ListCustomers(ctx, nil)
	if err == nil {
		_ = resp.Body.Close()
	}
	require.ErrorIs(t, err, context.DeadlineExceeded, "a hang answers nothing, whatever the wait")
	resp, err = c.ListCustomers(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, "ok", outcome(t, resp, err))
}

func TestFaultScriptRejectsUnknownSteps(t *testing.T) {
	_, err := mock.New(mock.WithFaultScript(mock.ScriptNone, mock.ScriptedFault(9)))
	require.EqualError(t, err, "mock: WithFaultScript: step 1: unknown fault ScriptedFault(9)")
	assert.Equal(t, "ScriptHang", mock.ScriptHang.String())
}
