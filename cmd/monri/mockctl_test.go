package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// The control subcommands against an in-process mock.
func TestMockControlCommands(t *testing.T) {
	run := mock.Start(t)
	ctl := func(args ...string) result {
		t.Helper()
		return cli(t, nil, "", append(append([]string{"mock"}, args...), "--base-url", run.URL)...)
	}
	jsonOf := func(r result) map[string]any {
		t.Helper()
		require.Equal(t, 0, r.code, "stderr %s", r.stderr)
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), r.stdout)
		return v
	}
	c, err := monri.NewClient(monri.WithBaseURL(run.URL), monri.WithCredentials(run.MerchantKey, run.AuthenticityToken))
	require.NoError(t, err)
	for _, order := range []string{"cli-1", "cli-2"} {
		_, err = c.PayByLink.CreateOrUpdate(t.Context(), demoLink(order, 100))
		require.NoError(t, err)
	}

	paid := jsonOf(ctl("pay", "cli-1"))
	assert.Equal(t, "approved", paid["link"].(map[string]any)["terminal_entry_status"])
	r := ctl("pay", "cli-1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "the mock answered 409: order_number: the payment link is already paid")

	assert.Contains(t, jsonOf(ctl("cancel", "cli-2"))["redirect_url"], "/pay/cli-2/cancelled")
	assert.Equal(t, "expired", jsonOf(ctl("expire", "cli-2"))["terminal_entry_status"])
	assert.Contains(t, jsonOf(ctl("callbacks", "--wait", "5s")), "callbacks")
	reqs := jsonOf(ctl("requests"))["requests"].([]any)
	assert.NotEmpty(t, reqs)

	assert.Equal(t, 0.0, jsonOf(ctl("faults"))["error_rate"])
	set := jsonOf(ctl("faults", "--error-rate", "0.25", "--latency", "2ms", "--seed", "9"))
	assert.Equal(t, 0.25, set["error_rate"])
	assert.Equal(t, 2.0, set["latency_ms"])
	assert.Equal(t, 9.0, set["seed"])
	assert.Equal(t, mock.FaultSettings{ErrorRate: 0.25, Latency: 2e6, Seed: ptrTo(int64(9))}, run.Server.Faults())
	bad := ctl("faults", "--error-rate", "3")
	assert.Equal(t, 1, bad.code)
	assert.Contains(t, bad.stderr, "error_rate: must be within [0, 1], got 3")
	jsonOf(ctl("faults", "--error-rate", "0"))

	assert.Equal(t, "reset", jsonOf(ctl("reset"))["status"])
	assert.Empty(t, run.Server.PayByLinks())

	wrongKey := cli(t, nil, "", "mock", "reset", "--base-url", run.URL, "--merchant-key", "other")
	assert.Equal(t, 1, wrongKey.code)
	assert.Contains(t, wrongKey.stderr, "the mock answered 401")
	usage := cli(t, nil, "", "mock", "pay")
	assert.Equal(t, 2, usage.code)
	assert.Contains(t, usage.stderr, "the link's order number")
}

// monri mock logs requests to stderr unless --quiet, never credentials.
func TestMockCommandLogsRequests(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		args := []string{"mock", "--addr", "127.0.0.1:0", "--allow-callback-host", "merchant.example"}
		if quiet {
			args = append(args, "--quiet")
		}
		pr, pw := io.Pipe()
		var errOut lockedWriter
		errOut.w = io.Discard
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, args, strings.NewReader(""), pw, &errOut, func(string) string { return "" })
			pw.Close()
		}()
		lines := bufio.NewScanner(pr)
		require.True(t, lines.Scan())
		url := strings.TrimPrefix(lines.Text(), "Monri mock listening on ")
		go func() {
			for lines.Scan() {
			}
		}()
		r := cli(t, nil, "", "mock", "requests", "--base-url", url)
		require.Equal(t, 0, r.code, r.stderr)
		cancel()
		require.Equal(t, 0, <-done)
		errOut.mu.Lock()
		logged := errOut.buf.String()
		errOut.mu.Unlock()
		if quiet {
			assert.Empty(t, logged)
			continue
		}
		assert.Contains(t, logged, "msg=request method=GET path=/__mock/requests status=200")
		assert.NotContains(t, logged, "WP3-v2.1")
		assert.NotContains(t, logged, mock.DefaultMerchantKey)
	}
}

func ptrTo[T any](v T) *T { return &v }
