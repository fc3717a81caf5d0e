package main

import (
	"bytes"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// noDNS fails every request as a resolver without the host would.
type noDNS struct{}

func (noDNS) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Name: r.URL.Hostname(), Err: "no such host", IsNotFound: true}}
}

func demoWith(t *testing.T, env envMap, tr http.RoundTripper, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := process{args: append([]string{"demo"}, args...), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: env.get, transport: tr}.run(t.Context())
	return result{code, out.String(), errOut.String()}
}

// Monri's test environment from MONRI_*: the first line says so, and a
// DNS failure is reported as a network failure, not as resolving an
// uncertain create.
func TestDemoSaysWhereItRunsAndReportsNetworkFailures(t *testing.T) {
	env := envMap{monri.EnvMerchantKey: secretKey, monri.EnvAuthenticityToken: "tok-demo"}
	r := demoWith(t, env, noDNS{})
	assert.Equal(t, exitFail, r.code)
	lines := strings.Split(r.stdout, "\n")
	assert.Equal(t, "Running against Monri's test environment at https://ipgtest.monri.com with the credentials from MONRI_MERCHANT_KEY/MONRI_AUTHENTICITY_TOKEN.", lines[0])
	assert.Contains(t, r.stdout, "FAIL  1. create customer")
	assert.Contains(t, r.stdout, `error: network error: cannot resolve the host "ipgtest.monri.com": no such host`)
	assert.NotContains(t, r.stdout, "uncertain")
	assert.NotContains(t, r.stdout+r.stderr, secretKey)

	r = demoWith(t, nil, noDNS{}, "--base-url", "https://mock.invalid:4010", "--merchant-key-file", "testdata/secret_key.txt", "--authenticity-token-file", "testdata/secret_token.txt")
	assert.Equal(t, "Running against https://mock.invalid:4010 (--base-url) with the credentials from --merchant-key-file/--authenticity-token-file.", strings.SplitN(r.stdout, "\n", 2)[0])
}

// A server that is not a mock's payment page: the demo says it skipped
// the buyer's steps instead of leaving them out silently.
func TestDemoSkipsTheBuyerOnlyWithAReason(t *testing.T) {
	m := mock.Start(t)
	// The link's payment_url names the Host the mock saw; a proxy with
	// another Host makes it not the --base-url's page, as on Monri.
	proxy := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Host = "ipgtest.monri.com"
		m.Server.ServeHTTP(w, r)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = proxy.Serve(ln) }()
	defer proxy.Close()
	env := envMap{monri.EnvMerchantKey: m.MerchantKey, monri.EnvAuthenticityToken: m.AuthenticityToken}
	r := demoWith(t, env, nil, "--base-url", "http://"+ln.Addr().String())
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "Skipped the buyer-pays steps: the link's payment_url is not a mock's payment page")
	assert.Contains(t, r.stdout, "All 12 steps passed.")
}

func TestDemoExplainsStatus(t *testing.T) {
	r := cli(t, nil, "", "demo")
	require.Equal(t, 0, r.code, r.stdout)
	assert.Regexp(t, `ok    9\. show pay-by-link .*\n.*status=approved  terminal_entry_status=pending\n\s+\(status is this request's outcome; terminal_entry_status is the payment's: pending until a buyer pays\)\n`, r.stdout)
}
