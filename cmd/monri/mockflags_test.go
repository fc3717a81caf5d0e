package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startMockCommand runs `monri mock --addr 127.0.0.1:0 args...` until the
// test ends and returns its base URL.
func startMockCommand(t *testing.T, args ...string) string {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"mock", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, io.Discard, func(string) string { return "" })
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		assert.Equal(t, 0, <-done)
	})
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	url, ok := strings.CutPrefix(lines.Text(), "Monri mock listening on ")
	require.True(t, ok, lines.Text())
	go func() {
		for lines.Scan() {
		}
	}()
	return url
}

// An unsigned create-or-update whose order_info the contract forbids (too
// short): refused by default, stored with both checks off.
func TestMockCommandNoVerifyNoValidate(t *testing.T) {
	const body = `{"order_number":"flags-1","amount":100,"currency":"EUR","transaction_type":"purchase","order_info":"x"}`
	post := func(url string) int {
		resp, err := http.Post(url+"/v2/terminal-entry/create-or-update", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusUnauthorized, post(startMockCommand(t)))
	assert.Equal(t, http.StatusBadRequest, post(startMockCommand(t, "--no-verify")))
	assert.Equal(t, http.StatusOK, post(startMockCommand(t, "--no-verify", "--no-validate")))
}

// --link-updates: an update without ch_full_name keeps it under merge (the
// default) and drops it under replace; an unknown mode is a usage error.
func TestMockCommandLinkUpdates(t *testing.T) {
	const first = `{"order_number":"modes-1","amount":100,"currency":"EUR","transaction_type":"purchase","order_info":"first","ch_full_name":"Ada Lovelace"}`
	const second = `{"order_number":"modes-1","amount":200,"currency":"EUR","transaction_type":"purchase","order_info":"second"}`
	post := func(url, body string) string {
		resp, err := http.Post(url+"/v2/terminal-entry/create-or-update", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
		return string(b)
	}
	for _, tc := range []struct {
		args     []string
		keepName bool
	}{
		{[]string{"--no-verify"}, true},
		{[]string{"--no-verify", "--link-updates", "merge"}, true},
		{[]string{"--no-verify", "--link-updates", "replace"}, false},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			url := startMockCommand(t, tc.args...)
			post(url, first)
			got := post(url, second)
			assert.Equal(t, tc.keepName, strings.Contains(got, "Ada Lovelace"), got)
		})
	}
	var stderr strings.Builder
	code := run(t.Context(), []string{"mock", "--addr", "127.0.0.1:0", "--link-updates", "patch"}, strings.NewReader(""), io.Discard, &stderr, func(string) string { return "" })
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), `--link-updates: "patch" is not merge or replace`)
}
