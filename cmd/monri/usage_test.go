package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

func TestUnknownSubcommandsAreUsageErrors(t *testing.T) {
	cases := []struct {
		args       []string
		want, help string
	}{
		{[]string{"customers", "lst"}, `unknown command "lst" for "monri customers"; did you mean "list"?`, "monri customers"},
		{[]string{"links", "lst", "--base-url", "X"}, `unknown command "lst" for "monri links"; it has activate, create-or-update, deactivate, pay, show`, "monri links"},
		{[]string{"links", "shwo"}, `did you mean "show"?`, "monri links"},
		{[]string{"frobnicate"}, `unknown command "frobnicate" for "monri"`, "monri"},
		{[]string{"demoo"}, `did you mean "demo"?`, "monri"},
		{[]string{"mock", "resett"}, `unknown command "resett" for "monri mock"; did you mean "reset"?`, "monri mock"},
		{[]string{"customers"}, "monri customers needs a subcommand: create, delete, get", "monri customers"},
		{[]string{"links"}, "needs a subcommand", "monri links"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := cli(t, nil, "", c.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, c.want)
			assert.Contains(t, r.stderr, "Run '"+c.help+" --help' for usage.")
			assert.NotContains(t, r.stderr, "unknown flag")
			assert.Empty(t, r.stdout)
		})
	}
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	r := cli(t, nil, "", "--help")
	require.Equal(t, 0, r.code)
	for _, want := range []string{"Exit codes:", "0    success", "1    Monri or the network failed", "2    usage error", "130  interrupted"} {
		assert.Contains(t, r.stdout, want)
	}
	r = cli(t, nil, "")
	assert.Equal(t, 0, r.code, "bare monri shows the help")
	assert.Contains(t, r.stdout, "Exit codes:")
}

// Flag values and --data fields are reported in words: the flag or field,
// the rule, the fix; never strconv text or Go type names.
func TestMessagesSayWhatToDo(t *testing.T) {
	creds := []string{"--base-url", "http://127.0.0.1:1"}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"decimal amount", []string{"links", "create-or-update", "--amount", "10.24"}, `--amount: "10.24" is not a whole number: amounts are in minor units, e.g. --amount 1024 for 10.24`},
		{"limit not a number", []string{"customers", "list", "--limit", "ten"}, `--limit: "ten" is not a whole number`},
		{"timeout without unit", []string{"customers", "list", "--timeout", "5"}, `--timeout: "5" is not a duration, e.g. 500ms, 30s or 2m`},
		{"amount as a string", []string{"links", "create-or-update", "--data", `{"amount":"1024"}`}, `--data: "amount" must be a whole number in minor units, e.g. 1024 for 10.24, not a string`},
		{"array body", []string{"customers", "create", "--data", `[1,2]`}, `--data must be a JSON object {...}, not an array`},
		{"file without @", []string{"customers", "create", "--data", "nope.json"}, `--data: "nope.json" is not JSON; to read a file, write --data @nope.json`},
		{"missing @file", []string{"customers", "create", "--data", "@testdata/nope.json"}, `--data @testdata/nope.json: no such file`},
		{"unknown field", []string{"customers", "create", "--data", `{"nickname":"x"}`}, `--data: unknown field "nickname"`},
		{"misspelt flag", []string{"customers", "list", "--bse-url", "x"}, "unknown flag --bse-url; did you mean --base-url?"},
		{"bad expires-at", []string{"links", "create-or-update", "--expires-at", "tomorrow"}, `--expires-at: "tomorrow" is not a timestamp; write e.g. 2026-12-31T23:59:59+01:00`},
		{"base-url without a scheme", []string{"customers", "list", "--base-url", "127.0.0.1:4010"}, `--base-url: "127.0.0.1:4010" is not an absolute http(s) URL: add https:// (or http:// for a loopback host)`},
		{"bad env", append([]string{"customers", "list", "--env", "staging", "--merchant-key-file", "testdata/secret_key.txt", "--authenticity-token-file", "testdata/secret_token.txt"}, creds...), `--env: "staging" is not an environment: use test or prod`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cli(t, nil, "", c.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, c.want)
			assert.Contains(t, r.stderr, "Run 'monri "+strings.Join(c.args[:2], " ")+" --help' for usage.")
			for _, leak := range []string{"strconv", "ParseInt", "int64", "gen.", "[]interface", "monri: monri:", "JSON string"} {
				assert.NotContains(t, r.stderr, leak)
			}
		})
	}
}

// The body is checked against the contract before anything is sent: each
// field once, by its flag when a flag gave it.
func TestLinkCheckedAgainstTheContract(t *testing.T) {
	o := newOps(t)
	cases := []struct {
		name  string
		args  []string
		lines []string
	}{
		{"only the order number", []string{"--order-number", "o-1"}, []string{
			"4 problems, nothing was sent:",
			`  --amount is required (or "amount" in --data)`,
			`  --currency is required (or "currency" in --data)`,
			`  --order-info is required (or "order_info" in --data)`,
			`  --transaction-type is required (or "transaction_type" in --data)`,
		}},
		{"bad flags", []string{"--order-number", "o-1", "--amount", "0", "--currency", "eu", "--order-info", "x", "--transaction-type", "buy", "--language", "de"}, []string{
			"5 problems, nothing was sent:",
			"  --amount: must be at least 1",
			"  --currency: must be an ISO 4217 code in capitals, e.g. EUR",
			"  --language: must be one of en, es, ba, hr",
			"  --order-info: length must be 3-100",
			"  --transaction-type: must be one of authorize, purchase",
		}},
		{"from --data", []string{"--data", `{"order_number":"o-1","amount":5,"currency":"EUR","transaction_type":"purchase","order_info":"ab","ch_country":"bih"}`}, []string{
			"2 problems, nothing was sent:",
			`  "ch_country" in --data: must be an ISO 3166-1 code in capitals, e.g. BA or BIH, or its 3-digit number`,
			`  "order_info" in --data: length must be 3-100`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := o.run("", append([]string{"links", "create-or-update"}, c.args...)...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			for _, l := range c.lines {
				assert.Contains(t, r.stderr, l+"\n")
			}
			assert.Equal(t, 1, strings.Count(r.stderr, "currency")-strings.Count(r.stderr, `"currency" in --data`)+boolInt(!strings.Contains(r.stderr, "currency")), "the currency rule once: %s", r.stderr)
		})
	}
	assert.Empty(t, o.m.Server.PayByLinks(), "nothing reached the server")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The new flags reach the request, and a flag overrides the field in --data.
func TestLinkFlagsOverrideData(t *testing.T) {
	m, err := mock.New()
	require.NoError(t, err)
	defer func() { assert.NoError(t, m.Close()) }()
	var sent map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &sent)
		r.Body = io.NopCloser(bytes.NewReader(body))
		m.ServeHTTP(w, r)
	}))
	defer srv.Close()
	env := envMap{monri.EnvMerchantKey: mock.DefaultMerchantKey, monri.EnvAuthenticityToken: mock.DefaultAuthenticityToken}
	r := cli(t, env, "", "links", "create-or-update", "--base-url", srv.URL, "--data", "@testdata/link.json",
		"--order-number", "flags-urls-1", "--order-info", "From the flag",
		"--callback-url", "http://127.0.0.1:1/cb", "--success-url", "https://shop.example/ok",
		"--cancel-url", "https://shop.example/cancel", "--expires-at", "2099-12-31T23:59:59+01:00", "--language", "hr")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "flags-urls-1", sent["order_number"])
	assert.Equal(t, "From the flag", sent["order_info"], "the flag beats --data")
	assert.EqualValues(t, 30, sent["amount"], "--data's field where no flag is given")
	assert.Equal(t, "http://127.0.0.1:1/cb", sent["callback_url_override"])
	assert.Equal(t, "https://shop.example/ok", sent["success_url_override"])
	assert.Equal(t, "https://shop.example/cancel", sent["cancel_url_override"])
	assert.Equal(t, "hr", sent["language"])
	assert.Contains(t, sent["expires_at"], "2099-12-31")

	r = cli(t, nil, "", "links", "create-or-update", "--help")
	assert.Contains(t, r.stdout, "a flag overrides the same field in --data")
	for _, f := range []string{"order-number", "amount", "currency", "order-info", "transaction-type"} {
		assert.Regexp(t, `--`+f+` \S+\s+\[required\]`, r.stdout)
	}
}

func TestCompletionOffersEnumValues(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"links", "create-or-update", "--transaction-type", ""}, []string{"authorize", "purchase"}},
		{[]string{"links", "create-or-update", "--language", ""}, []string{"en", "es", "ba", "hr"}},
		{[]string{"customers", "list", "--env", ""}, []string{"test", "prod"}},
		{[]string{"demo", "--env", ""}, []string{"test", "prod"}},
	}
	for _, c := range cases {
		r := cli(t, nil, "", append([]string{"__complete"}, c.args...)...)
		require.Equal(t, 0, r.code, r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		assert.Equal(t, c.want, lines[:len(lines)-1], "%v", c.args)
		assert.Equal(t, ":4", lines[len(lines)-1], "no file names")
	}
}

// JSON on stdout keeps & < > as they are, is one line when piped and
// indented on a terminal unless --compact.
func TestJSONOutput(t *testing.T) {
	o := newOps(t)
	r := o.run("", "customers", "create", "--name", "Books & <more>")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"name":"Books & <more>"`)
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"), "one line when piped")
	var c monri.Customer
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &c))

	terminal := func(compact bool) string {
		var out strings.Builder
		a := &app{stdout: newStream(&out), isTerminal: func(s any) bool { return s == &out }, compact: compact}
		require.NoError(t, a.printJSON(map[string]string{"redirect_url": "http://x/?a=1&b=2"}))
		return out.String()
	}
	assert.Equal(t, "{\n  \"redirect_url\": \"http://x/?a=1&b=2\"\n}\n", terminal(false))
	assert.Equal(t, "{\"redirect_url\":\"http://x/?a=1&b=2\"}\n", terminal(true))
}

func TestFailureHints(t *testing.T) {
	m := mock.Start(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(key, []byte("not-the-key\n"), 0o600))
	r := cli(t, envMap{monri.EnvAuthenticityToken: m.AuthenticityToken}, "", "customers", "list", "--base-url", m.URL, "--merchant-key-file", key)
	assert.Equal(t, exitFail, r.code)
	assert.Contains(t, r.stderr, "401")
	assert.Contains(t, r.stderr, "hint: the server refused the credentials or the signature: check that $MONRI_MERCHANT_KEY and $MONRI_AUTHENTICITY_TOKEN")
	assert.NotContains(t, r.stderr, "not-the-key")

	r = cli(t, envMap{monri.EnvMerchantKey: "k", monri.EnvAuthenticityToken: "t"}, "", "customers", "list", "--base-url", closedURL(t))
	assert.Equal(t, exitFail, r.code)
	assert.Contains(t, r.stderr, "monri: network error: nothing is listening at 127.0.0.1:")
	assert.Contains(t, r.stderr, "hint: start a local server with 'monri mock'")

	r = cli(t, nil, "", "verify", "--merchant-key-file", "testdata/docs_key.txt", "--authenticity-token", docsToken,
		"--path", "/v2/payment/new", "--body", `{"example":"1"}`, "--header", "WP3-v2.1 "+docsToken+" 1593457122 "+docsDigest)
	assert.Equal(t, exitFail, r.code)
	assert.Contains(t, r.stdout, "invalid: timestamp outside the allowed window")
	assert.Contains(t, r.stderr, "hint: to check a header from the past, such as the docs' example, pass --now")
}

// closedURL is a loopback URL nobody listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	return url
}
