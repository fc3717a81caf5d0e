package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

const (
	docsKey    = "qwert1234"
	docsToken  = "7db11ea5d4a1af32421b564c79b946d1ead3daf0"
	docsDigest = "bd120476c656a8ec3ce5d6a150f17061d03a8e280b0fbba278a73a15066830562f73ce5536882c9222e265f1ff6c2df629173375b549cba5a9275b08686f32ea"
	secretKey  = "sk-SECRET-cli-merchant-key-51b0"
)

type result struct {
	code           int
	stdout, stderr string
}

// cli runs the command in-process with only the given environment.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(stdin), &out, &errOut, func(k string) string { return env[k] })
	return result{code, out.String(), errOut.String()}
}

func TestSignDocsVector(t *testing.T) {
	base := []string{"sign", "--merchant-key", docsKey, "--authenticity-token", docsToken, "--timestamp", "1593457122", "--path", "/v2/payment/new"}
	r := cli(t, nil, "", append(base, "--body", `{"example":"1"}`)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "WP3-v2.1 "+docsToken+" 1593457122 "+docsDigest+"\n", r.stdout)

	r = cli(t, nil, "", append(base, "--body", `{"example":"1"}`, "--digest")...)
	assert.Equal(t, docsDigest+"\n", r.stdout)

	r = cli(t, nil, "", append(base, "--body-file", "testdata/example_body.json", "--digest")...)
	assert.Equal(t, docsDigest+"\n", r.stdout)

	r = cli(t, nil, `{"example":"1"}`, append(base, "--body-file", "-", "--digest")...)
	assert.Equal(t, docsDigest+"\n", r.stdout)

	// Credentials from the environment.
	r = cli(t, map[string]string{monri.EnvMerchantKey: docsKey, monri.EnvAuthenticityToken: docsToken}, "",
		"sign", "--timestamp", "1593457122", "--path", "/v2/payment/new", "--body", `{"example":"1"}`, "--digest")
	assert.Equal(t, docsDigest+"\n", r.stdout)
}

func TestSignCoversTheQuery(t *testing.T) {
	sign := func(path string) string {
		r := cli(t, nil, "", "sign", "--merchant-key", docsKey, "--authenticity-token", docsToken, "--timestamp", "1593457122", "--path", path, "--digest")
		require.Equal(t, 0, r.code, r.stderr)
		return strings.TrimSpace(r.stdout)
	}
	withQuery := sign("/v2/customers?limit=1")
	assert.Equal(t, signer.Digest(docsKey, "1593457122", docsToken, "/v2/customers?limit=1", nil), withQuery)
	assert.NotEqual(t, sign("/v2/customers"), withQuery)
}

func TestSignWithoutTimestampUsesNow(t *testing.T) {
	r := cli(t, nil, "", "sign", "--merchant-key", docsKey, "--authenticity-token", docsToken, "--path", "/v2/customers")
	require.Equal(t, 0, r.code, r.stderr)
	s, err := signer.New(docsKey, docsToken)
	require.NoError(t, err)
	assert.NoError(t, s.Verify(strings.TrimSpace(r.stdout), "/v2/customers", nil), "a fresh header verifies against the current clock")
}

func TestSignAndVerifyUsageErrors(t *testing.T) {
	creds := []string{"--merchant-key", docsKey, "--authenticity-token", docsToken}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no path", append([]string{"sign"}, creds...), "--path is required"},
		{"url not path", append([]string{"sign", "--path", "https://ipgtest.monri.com/v2/customers"}, creds...), "must start with /"},
		{"two bodies", append([]string{"sign", "--path", "/x", "--body", "a", "--body-file", "-"}, creds...), "not both"},
		{"no key", []string{"sign", "--authenticity-token", docsToken, "--path", "/x"}, "the merchant key is required: set MONRI_MERCHANT_KEY"},
		{"bad timestamp", append([]string{"sign", "--path", "/x", "--timestamp", "soon"}, creds...), "timestamp"},
		{"negative timestamp", append([]string{"sign", "--path", "/x", "--timestamp", "-5"}, creds...), "negative"},
		{"missing body file", append([]string{"sign", "--path", "/x", "--body-file", "testdata/nope.json"}, creds...), "--body-file"},
		{"verify without header", append([]string{"verify", "--path", "/x"}, creds...), "--header is required"},
		{"unknown flag", []string{"sign", "--nope"}, "unknown flag"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"extra argument", append([]string{"sign", "--path", "/x", "extra"}, creds...), "no arguments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cli(t, nil, "", c.args...)
			assert.Equal(t, 2, r.code, r.stderr)
			assert.Contains(t, r.stderr, c.want)
			if c.name != "unknown command" {
				assert.Contains(t, r.stderr, "Run 'monri "+c.args[0]+" --help' for usage.", "points to the subcommand's help")
			}
			assert.Empty(t, r.stdout)
		})
	}
}

func TestVerify(t *testing.T) {
	header := "WP3-v2.1 " + docsToken + " 1593457122 " + docsDigest
	base := []string{"verify", "--merchant-key", docsKey, "--authenticity-token", docsToken, "--now", "1593457200", "--path", "/v2/payment/new"}
	cases := []struct {
		name   string
		args   []string
		code   int
		output string
	}{
		{"valid", append(base, "--header", header, "--body", `{"example":"1"}`), 0, "valid\n"},
		{"tampered body", append(base, "--header", header, "--body", `{"example":"2"}`), 1, "invalid: "},
		{"stale", append(append([]string{}, base...), "--header", header, "--body", `{"example":"1"}`, "--window", "1m"), 1, "invalid: "},
		{"lower-case scheme", append(base, "--header", strings.ToLower(header[:8])+header[8:], "--body", `{"example":"1"}`), 1, "invalid: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cli(t, nil, "", c.args...)
			assert.Equal(t, c.code, r.code, r.stderr)
			assert.True(t, strings.HasPrefix(r.stdout, c.output), r.stdout)
			assert.NotContains(t, r.stdout+r.stderr, docsKey)
			assert.NotContains(t, r.stdout+r.stderr, docsDigest[:32], "no digest echoed")
		})
	}
}

func TestDemoEmbeddedMock(t *testing.T) {
	r := cli(t, nil, "", "demo")
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	assert.Contains(t, lines[0], "embedded Monri mock at http://127.0.0.1:")
	assert.Equal(t, 14, strings.Count(r.stdout, "\nok "), r.stdout)
	assert.NotContains(t, r.stdout, "FAIL")
	assert.Contains(t, r.stdout, "GET    /v2/customers?limit=10 -> 200", "request lines show the query")
	// On the embedded mock the buyer pays: the shop's CallbackHandler gets
	// the verified callback, and the link shows approved.
	assert.Regexp(t, `ok   13\. buyer pays, callback arrives POST   /monri/callback -> 200\n\s+order_number=demo-\w+  redirect_digest=valid  response_code=0000  status=approved\n`, r.stdout)
	assert.Regexp(t, `ok   14\. show paid pay-by-link .* -> 200\n.*terminal_entry_status=approved\n`, r.stdout)
	assert.Contains(t, r.stdout, "All 14 steps passed.")
	assert.Equal(t, "Stopped the embedded mock.", lines[len(lines)-1])
}

func TestDemoJSONLines(t *testing.T) {
	r := cli(t, nil, "", "demo", "--json")
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	steps := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &v), line)
		if _, ok := v["step"]; ok {
			steps++
			assert.Equal(t, true, v["ok"], line)
			assert.EqualValues(t, 200, v["status"], line)
			assert.NotEmpty(t, v["method"])
			assert.NotEmpty(t, v["target"])
		}
	}
	assert.Equal(t, 14, steps)
}

func TestDemoWrongCredentialsFails(t *testing.T) {
	m := mock.Start(t, mock.WithCredentials("another-key", "another-token"))
	r := cli(t, nil, "", "demo", "--base-url", m.URL, "--merchant-key", secretKey, "--authenticity-token", docsToken)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "FAIL  1. create customer")
	assert.Contains(t, r.stdout, "-> 401")
	assert.NotContains(t, r.stdout+r.stderr, secretKey)
}

func TestDemoAgainstAGivenServer(t *testing.T) {
	m := mock.Start(t, mock.WithCredentials(secretKey, "tok-cli-1"))
	env := map[string]string{monri.EnvMerchantKey: secretKey, monri.EnvAuthenticityToken: "tok-cli-1"}
	r := cli(t, env, "", "demo", "--base-url", m.URL)
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "Running against "+m.URL+" (--base-url) with the credentials from MONRI_MERCHANT_KEY/MONRI_AUTHENTICITY_TOKEN.\n"), r.stdout)
	assert.Contains(t, r.stdout, "All 14 steps passed.", "the buyer pays on any mock that serves the payment page")
	assert.Contains(t, r.stdout, "buyer pays, callback arrives POST   /monri/callback -> 200")
	assert.NotContains(t, r.stdout+r.stderr, secretKey)
	assert.Len(t, m.Server.PayByLinks(), 1)

	r = cli(t, nil, "", "demo", "--base-url", m.URL)
	assert.Equal(t, 2, r.code, "a server without credentials is a usage error")
	assert.Contains(t, r.stderr, "no credentials")

	r = cli(t, env, "", "demo", "--env", "staging")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--env")
}

// ops runs operation commands against one mock with a secret key.
type ops struct {
	t    *testing.T
	m    *mock.Running
	seen strings.Builder
}

func newOps(t *testing.T) *ops {
	return &ops{t: t, m: mock.Start(t, mock.WithCredentials(secretKey, "tok-ops-1"))}
}

func (o *ops) run(stdin string, args ...string) result {
	o.t.Helper()
	args = append(args, "--base-url", o.m.URL, "--merchant-key", secretKey, "--authenticity-token", "tok-ops-1")
	r := cli(o.t, nil, stdin, args...)
	o.seen.WriteString(r.stdout + r.stderr)
	return r
}

func (o *ops) json(v any, stdin string, args ...string) {
	o.t.Helper()
	r := o.run(stdin, args...)
	require.Equal(o.t, 0, r.code, "%v: %s", args, r.stderr)
	require.NoError(o.t, json.Unmarshal([]byte(r.stdout), v), r.stdout)
}

func TestCustomerCommands(t *testing.T) {
	o := newOps(t)
	var c monri.Customer
	o.json(&c, `{"email":"ada@example.com","metadata":{"tier":"gold"}}`, "customers", "create", "--data", "-", "--merchant-customer-id", "cli-1", "--name", "Ada")
	require.NotNil(t, c.UUID)
	assert.Equal(t, "Ada", *c.Name)
	assert.Equal(t, "ada@example.com", *c.Email)
	assert.Equal(t, "gold", c.Metadata["tier"])

	var got monri.Customer
	o.json(&got, "", "customers", "get", c.UUID)
	assert.Equal(t, "cli-1", *got.MerchantCustomerID)
	o.json(&got, "", "customers", "get-by-merchant-id", "cli-1")
	assert.Equal(t, c.UUID, got.UUID)
	o.json(&got, "", "customers", "update", c.UUID, "--city", "Mostar")
	assert.Equal(t, "Mostar", *got.City)
	assert.Equal(t, "Ada", *got.Name)

	for i := range 3 {
		var more monri.Customer
		o.json(&more, "", "customers", "create", "--data", `{"merchant_customer_id":"cli-more-`+string(rune('a'+i))+`"}`)
	}
	var page []monri.Customer
	o.json(&page, "", "customers", "list", "--limit", "2")
	assert.Len(t, page, 2)
	var all []monri.Customer
	o.json(&all, "", "customers", "list", "--all", "--limit", "2")
	assert.Len(t, all, 4)

	var methods []monri.PaymentMethod
	o.json(&methods, "", "customers", "payment-methods", c.UUID, "--all")
	assert.Empty(t, methods)

	var deleted monri.DeletedCustomer
	o.json(&deleted, "", "customers", "delete", c.UUID)
	assert.True(t, deleted.Deleted)

	r := o.run("", "customers", "get", "00000000-0000-4000-8000-000000000000")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "404")
	assert.Empty(t, r.stdout)

	r = o.run("", "customers", "create", "--country", "Bosnia")
	assert.Equal(t, 2, r.code, "checked against the contract before sending")
	assert.Contains(t, r.stderr, "--country: must be an ISO 3166-1 code")

	assert.NotContains(t, o.seen.String(), secretKey)
}

func TestDataParsing(t *testing.T) {
	o := newOps(t)
	cases := []struct {
		name, data, want string
	}{
		{"broken JSON", `{"name":`, "invalid JSON"},
		{"unknown field", `{"nickname":"x"}`, "nickname"},
		{"wrong type", `{"name":5}`, `--data: "name" must be a string, not a number`},
		{"two values", `{} {}`, "more than one JSON value"},
		{"missing file", `@testdata/nope.json`, "--data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := o.run("", "customers", "create", "--data", c.data)
			assert.Equal(t, 2, r.code, r.stderr)
			assert.Contains(t, r.stderr, c.want)
		})
	}
	assert.Empty(t, o.m.Server.Customers(), "no bad input reached the server")

	r := cli(t, nil, "", "customers", "list")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "no credentials")
	r = o.run("", "customers", "get")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "uuid")
}

func TestLinkCommands(t *testing.T) {
	o := newOps(t)
	var l monri.PayByLink
	o.json(&l, "", "links", "create-or-update", "--data", "@testdata/link.json")
	assert.EqualValues(t, "created", l.Status)
	o.json(&l, "", "links", "create-or-update", "--data", "@testdata/link.json", "--amount", "60")
	assert.EqualValues(t, "updated", l.Status)
	assert.Equal(t, int64(60), l.Amount)
	order := "6638614b544b7058414b5467304146574c647841"
	o.json(&l, "", "links", "show", order)
	assert.EqualValues(t, "approved", l.Status)
	o.json(&l, "", "links", "deactivate", order, "--data", "@testdata/link.json", "--amount", "60")
	assert.False(t, l.Active)
	assert.Equal(t, int64(60), l.Amount)
	o.json(&l, "", "links", "activate", "--data", "@testdata/link.json", "--amount", "60")
	assert.True(t, l.Active)
	assert.Equal(t, "John Doe", *l.ChFullName)

	for _, args := range [][]string{
		{"links", "deactivate", order},
		{"links", "activate", order, "--amount", "60"},
	} {
		r := o.run("", args...)
		assert.Equal(t, 2, r.code, "%v", args)
		assert.Contains(t, r.stderr, "sends the link's whole body", "%v", args)
		assert.Contains(t, r.stderr, "missing: ", "%v", args)
	}
	r := o.run("", "links", "deactivate", "other-order", "--data", "@testdata/link.json", "--order-number", order)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "differ")
	o.json(&l, "", "links", "show", order)
	assert.True(t, l.Active, "a refused call sent nothing")

	o.json(&l, "", "links", "create-or-update", "--order-number", "flags-1", "--amount", "100", "--currency", "EUR", "--order-info", "By flags", "--transaction-type", "authorize")
	assert.EqualValues(t, "authorize", l.TransactionType)

	r = o.run("", "links", "show", "no-such-order")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "404")
	r = o.run("", "links", "create-or-update", "--amount", "1")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "--order-number is required")
	assert.NotContains(t, o.seen.String(), secretKey)
}

// lockedWriter lets the test read what the mock command printed so far.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
	w   io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	return l.w.Write(p)
}

func TestMockCommandServesUntilCancelled(t *testing.T) {
	pr, pw := io.Pipe()
	out := &lockedWriter{w: pw}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"mock", "--addr", "127.0.0.1:0"}, strings.NewReader(""), out, io.Discard, func(string) string { return "" })
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	first := lines.Text()
	require.True(t, strings.HasPrefix(first, "Monri mock listening on http://127.0.0.1:"), first)
	url := strings.TrimPrefix(first, "Monri mock listening on ")
	require.True(t, lines.Scan())
	assert.Contains(t, lines.Text(), "MONRI_MERCHANT_KEY="+mock.DefaultMerchantKey+" MONRI_AUTHENTICITY_TOKEN="+mock.DefaultAuthenticityToken+" monri demo --base-url "+url, "prints the public test credentials to use")
	go func() {
		for lines.Scan() {
		}
	}()

	c, err := monri.NewClient(monri.WithBaseURL(url), monri.WithCredentials(mock.DefaultMerchantKey, mock.DefaultAuthenticityToken))
	require.NoError(t, err)
	_, err = c.PayByLink.CreateOrUpdate(t.Context(), demoLink("served-1", 100))
	require.NoError(t, err)

	cancel()
	assert.Equal(t, 0, <-done)
	out.mu.Lock()
	defer out.mu.Unlock()
	assert.Contains(t, out.buf.String(), "Monri mock stopped")
}

func TestMockCommandRejectsBadOptions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--error-rate", "2"}, "--error-rate: 2 is not a fraction between 0 and 1"},
		{[]string{"--drop-rate", "-0.1"}, "--drop-rate: -0.1 is not a fraction"},
		{[]string{"--latency", "-1s"}, "--latency: -1s is negative"},
		{[]string{"--latency", "5"}, `--latency: "5" is not a duration, e.g. 500ms`},
		{[]string{"--addr", ":4020"}, "--addr :4020 accepts connections from other machines"},
		{[]string{"--addr", "0.0.0.0:0"}, "set your own with --merchant-key-file"},
	} {
		r := cli(t, nil, "", append([]string{"mock"}, c.args...)...)
		assert.Equal(t, 2, r.code, "%v: %s", c.args, r.stderr)
		assert.Contains(t, r.stderr, c.want)
		assert.NotContains(t, r.stderr, "With", "no Go option names")
		assert.Empty(t, r.stdout, "nothing served")
	}
}
