package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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
	assert.Equal(t, mock.FaultSettings{ErrorRate: 0.25, Latency: 2e6, Seed: monri.Int64(9)}, run.Server.Faults())
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
			_ = pw.Close() // a PipeWriter's Close always returns nil
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
		// A refused request (its rule is logged) and a paid link whose
		// callback is delivered at the first attempt.
		unsigned, err := http.Get(url + "/v2/customers?limit=1")
		require.NoError(t, err)
		require.NoError(t, unsigned.Body.Close())
		require.Equal(t, http.StatusUnauthorized, unsigned.StatusCode)
		receiver := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		creds := envMap{monri.EnvMerchantKey: mock.DefaultMerchantKey, monri.EnvAuthenticityToken: mock.DefaultAuthenticityToken}
		r = cli(t, creds, "", "links", "create-or-update", "--base-url", url, "--data", "@testdata/link.json",
			"--order-number", "log-1", "--callback-url", receiver.URL+"/cb")
		require.Equal(t, 0, r.code, r.stderr)
		r = cli(t, nil, "", "links", "pay", "log-1", "--base-url", url)
		require.Equal(t, 0, r.code, r.stderr)
		receiver.Close()
		cancel()
		require.Equal(t, 0, <-done)
		errOut.mu.Lock()
		logged := errOut.buf.String()
		errOut.mu.Unlock()
		if quiet {
			assert.Empty(t, logged)
			continue
		}
		assert.Contains(t, logged, "msg=request method=GET path=/__mock/requests status=200 duration=")
		assert.Regexp(t, `msg=request method=GET path="/v2/customers\?limit=1" status=401 duration=\S+ rule="authorization: `, logged)
		assert.Contains(t, logged, `msg="callback attempt" order_number=log-1 url=`+receiver.URL+"/cb attempt=1 status=200 delivered=true")
		assert.NotContains(t, logged, "WP3-v2.1")
		assert.NotContains(t, logged, mock.DefaultMerchantKey)
	}
}

// The control subcommands take credentials as every command does, falling
// back to the mock's public defaults, and warn about the plain flags.
func TestMockControlCredentials(t *testing.T) {
	custom := mock.Start(t, mock.WithCredentials(fileKey, fileToken))
	byDefault := mock.Start(t)
	files := []string{"--merchant-key-file", "testdata/secret_key.txt", "--authenticity-token-file", "testdata/secret_token.txt"}
	cases := []struct {
		name     string
		url      string
		env      envMap
		args     []string
		code     int
		stderr   string
		noSecret string
	}{
		{"defaults against a default mock", byDefault.URL, nil, nil, 0, "", ""},
		{"defaults against a custom mock", custom.URL, nil, nil, 1, "the mock answered 401", ""},
		{"environment", custom.URL, envMap{monri.EnvMerchantKey: fileKey, monri.EnvAuthenticityToken: fileToken}, nil, 0, "", fileKey},
		{"files", custom.URL, nil, files, 0, "", fileKey},
		{"file beats environment", custom.URL, envMap{monri.EnvMerchantKey: "wrong", monri.EnvAuthenticityToken: fileToken}, files[:2], 0, "", fileKey},
		{"plain flags warn", custom.URL, nil, []string{"--merchant-key", fileKey, "--authenticity-token", fileToken}, 0,
			"monri: warning: --merchant-key is visible to other users of this machine", fileKey},
		{"missing file", custom.URL, nil, []string{"--merchant-key-file", "testdata/nope.txt"}, exitUsage,
			"--merchant-key-file testdata/nope.txt: no such file", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cli(t, c.env, "", append([]string{"mock", "requests", "--base-url", c.url}, c.args...)...)
			assert.Equal(t, c.code, r.code, r.stderr)
			if c.stderr == "" {
				assert.Empty(t, r.stderr)
			} else {
				assert.Contains(t, r.stderr, c.stderr)
			}
			if c.noSecret != "" {
				assert.NotContains(t, r.stdout+r.stderr, c.noSecret)
			}
		})
	}

	far := cli(t, nil, "", "mock", "reset", "--base-url", "http://192.0.2.1:4010")
	assert.Equal(t, exitUsage, far.code, "signed requests in clear text beyond loopback need --insecure-http")
	assert.Contains(t, far.stderr, "--insecure-http")
}

// The control subcommands print JSON as every command does: & < > as they
// are, one line when piped or with --compact, indented on a terminal.
func TestMockControlOutput(t *testing.T) {
	m := mock.Start(t)
	c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	require.NoError(t, err)
	_, err = c.Customers.List(t.Context(), &monri.ListParams{Limit: monri.Int(1), Offset: monri.Int(0)})
	require.NoError(t, err)

	ctl := func(terminal bool, extra ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		code := process{
			args:  append([]string{"mock", "requests", "--base-url", m.URL}, extra...),
			stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: envMap{}.get,
			isTerminal: func(s any) bool { return terminal && s == &out },
		}.run(t.Context())
		require.Equal(t, 0, code, errOut.String())
		assert.True(t, json.Valid(out.Bytes()), out.String())
		return out.String()
	}
	piped := ctl(false)
	assert.Contains(t, piped, "limit=1&offset=0", "not HTML-escaped")
	assert.NotContains(t, piped, `\u0026`)
	assert.Equal(t, 1, strings.Count(piped, "\n"), "one line when piped")
	assert.Contains(t, ctl(true), "\n  \"requests\": [\n", "indented on a terminal")
	assert.Equal(t, 1, strings.Count(ctl(true, "--compact"), "\n"), "--compact on a terminal")
}
