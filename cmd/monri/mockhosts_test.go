package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

// hostRule is how the mock's callback log says a host was refused.
const hostRule = "is not loopback nor allowed"

// errNoDNS is what every DNS lookup gets during TestMockCommandAllowCallbackHost.
var errNoDNS = errors.New("no DNS in tests")

// failDNSLookups makes every DNS query fail before it leaves the process, so that a
// callback to an allowed non-loopback name cannot send traffic off the
// machine; /etc/hosts still answers (localhost).
func failDNSLookups(t *testing.T) {
	t.Helper()
	saved := net.DefaultResolver
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errNoDNS
	}}
	t.Cleanup(func() { net.DefaultResolver = saved })
}

// startMockProcess runs `monri mock --addr 127.0.0.1:0 args...` with
// options added, stops it with a Ctrl-C on the injected signal channel when
// the test ends, and returns its base URL.
func startMockProcess(t *testing.T, opts []mock.Option, args ...string) string {
	t.Helper()
	pr, pw := io.Pipe()
	signals := make(chan os.Signal, 1)
	done := make(chan int, 1)
	go func() {
		done <- process{
			args:  append([]string{"mock", "--addr", "127.0.0.1:0", "--quiet"}, args...),
			stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard, getenv: envMap{}.get,
			signals: signals, exit: func(int) { t.Error("one Ctrl-C must not force an exit") },
			mockOptions: opts,
		}.run(context.Background())
		_ = pw.Close() // a PipeWriter's Close always returns nil
	}()
	t.Cleanup(func() {
		signals <- os.Interrupt
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

// callbackEntry is one entry of GET /__mock/callbacks as the CLI prints it.
type callbackEntry struct {
	URL       string `json:"url"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
	Done      bool   `json:"done"`
	Refused   bool   `json:"refused"`
}

// --allow-callback-host reaches mock.WithCallbackHosts: a callback to a
// non-loopback name is refused by the host rule unless the flag (given
// once or repeated) names it, and then the mock tries to deliver it.
func TestMockCommandAllowCallbackHost(t *testing.T) {
	failDNSLookups(t)
	env := envMap{monri.EnvMerchantKey: mock.DefaultMerchantKey, monri.EnvAuthenticityToken: mock.DefaultAuthenticityToken}
	// One attempt: the lookup fails at once, and delivery is over.
	policy := []mock.Option{mock.WithCallbackPolicy(mock.CallbackPolicy{Attempts: 1})}
	hosts := []string{"shop.test", "other.test", "third.test"}
	for _, tc := range []struct {
		name    string
		args    []string
		allowed []string // of hosts; the others must be refused
	}{
		{"default", nil, nil},
		{"one flag", []string{"--allow-callback-host", "shop.test"}, []string{"shop.test"}},
		{"repeated flag", []string{"--allow-callback-host", "shop.test", "--allow-callback-host", "OTHER.test"}, []string{"shop.test", "other.test"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := startMockProcess(t, policy, tc.args...)
			for i, host := range hosts {
				order := "hosts-" + string(rune('a'+i))
				r := cli(t, env, "", "links", "create-or-update", "--base-url", url, "--order-number", order,
					"--amount", "100", "--currency", "EUR", "--order-info", "host rule test", "--transaction-type", "purchase",
					"--callback-url", "http://"+host+":9/callback")
				require.Equal(t, 0, r.code, r.stderr)
				r = cli(t, nil, "", "mock", "pay", order, "--base-url", url)
				require.Equal(t, 0, r.code, r.stderr)
			}
			r := cli(t, nil, "", "mock", "callbacks", "--wait", "5s", "--base-url", url)
			require.Equal(t, 0, r.code, r.stderr)
			var log struct {
				Callbacks []callbackEntry `json:"callbacks"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &log), r.stdout)
			require.Len(t, log.Callbacks, len(hosts))
			for i, host := range hosts {
				e := log.Callbacks[i]
				assert.Equal(t, "http://"+host+":9/callback", e.URL)
				assert.True(t, e.Done, host)
				if !slices.Contains(tc.allowed, host) {
					assert.True(t, e.Refused, host)
					assert.Contains(t, e.LastError, hostRule, host)
					assert.Zero(t, e.Attempts, host)
					continue
				}
				assert.False(t, e.Refused, host)
				assert.NotContains(t, e.LastError, hostRule, host)
				assert.Equal(t, 1, e.Attempts, host)
				// The attempt got as far as looking the name up.
				assert.Contains(t, e.LastError, errNoDNS.Error(), host)
			}
		})
	}
}
