package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

func TestLinksPay(t *testing.T) {
	o := newOps(t)
	var l monri.PayByLink
	o.json(&l, "", "links", "create-or-update", "--order-number", "cli-pay-1", "--amount", "1024",
		"--currency", "EUR", "--order-info", "Two books", "--transaction-type", "purchase",
		"--data", `{"success_url_override":"https://shop.example/ok"}`)

	dir := t.TempDir()
	keyFile, tokenFile := filepath.Join(dir, "key"), filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(keyFile, []byte(secretKey+"\n"), 0o600))
	require.NoError(t, os.WriteFile(tokenFile, []byte("tok-ops-1\n"), 0o600))
	r := cli(t, nil, "", "links", "pay", "cli-pay-1", "--base-url", o.m.URL, "--merchant-key-file", keyFile, "--authenticity-token-file", tokenFile)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Empty(t, r.stderr, "the callback log was read with the mock's own credentials")
	assert.NotContains(t, r.stdout, "callback_log_error")
	var out struct {
		OrderNumber string `json:"order_number"`
		Paid        bool   `json:"paid"`
		RedirectURL string `json:"redirect_url"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	assert.Equal(t, "cli-pay-1", out.OrderNumber)
	assert.True(t, out.Paid)
	assert.NoError(t, signer.VerifySuccessURL(secretKey, out.RedirectURL), out.RedirectURL)
	assert.Contains(t, r.stdout, "&", "the redirect URL pastes into a browser")
	assert.NotContains(t, r.stdout, `\u0026`)
	assert.Contains(t, r.stdout, `"callback":null`, "no callback URL, no callback")

	o.json(&l, "", "links", "show", "cli-pay-1")
	assert.EqualValues(t, "approved", l.TerminalEntryStatus)

	r = cli(t, nil, "", "links", "pay", "cli-pay-1", "--base-url", o.m.URL+"/")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "409 invalid-request: order_number: the payment link is already paid")
	assert.Empty(t, r.stdout)

	r = cli(t, nil, "", "links", "pay", "no-such-order", "--base-url", o.m.URL)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "404")

	o.json(&l, "", "links", "create-or-update", "--order-number", "cli-pay-2", "--amount", "1",
		"--currency", "EUR", "--order-info", "Off", "--transaction-type", "purchase", "--data", `{"active":false}`)
	r = cli(t, nil, "", "links", "pay", "cli-pay-2", "--base-url", o.m.URL)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "deactivated")
	o.json(&l, "", "links", "show", "cli-pay-2")
	assert.EqualValues(t, "expired", l.TerminalEntryStatus, "an unpaid link that is not active is expired")
	assert.NotContains(t, o.seen.String(), secretKey)
}

func TestLinksPayWorksOnlyAgainstTheMock(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"links", "pay", "o-1"}, "--base-url is required"},
		{[]string{"links", "pay", "o-1", "--base-url", "https://ipgtest.monri.com"}, "only against the mock"},
		{[]string{"links", "pay", "o-1", "--base-url", "https://IPG.monri.com/"}, "only against the mock"},
		{[]string{"links", "pay", "o-1", "--base-url", "127.0.0.1:4010"}, "not an absolute http(s) URL"},
		{[]string{"links", "pay", "--base-url", "http://127.0.0.1:1"}, "the order number"},
	} {
		r := cli(t, nil, "", c.args...)
		assert.Equal(t, 2, r.code, "%v: %s", c.args, r.stderr)
		assert.Contains(t, r.stderr, c.want)
	}

	// A server that is not the mock: no redirect, so not a payment.
	notMock := httptest.NewServer(http.NotFoundHandler())
	defer notMock.Close()
	r := cli(t, nil, "", "links", "pay", "o-1", "--base-url", notMock.URL)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "is --base-url the mock?")
}

// A link that names a callback URL gets the callback when the CLI pays it.
func TestLinksPaySendsTheCallback(t *testing.T) {
	m := mock.Start(t)
	got := make(chan monri.Callback, 1)
	shop := httptest.NewServer(monri.CallbackHandler(m.MerchantKey, func(_ context.Context, cb monri.Callback) error {
		got <- cb
		return nil
	}))
	defer shop.Close()
	c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	require.NoError(t, err)
	p := demoLink("cli-pay-cb", 500)
	p.CallbackURLOverride = monri.String(shop.URL + "/cb")
	_, err = c.PayByLink.CreateOrUpdate(t.Context(), p)
	require.NoError(t, err)

	r := cli(t, nil, "", "links", "pay", "cli-pay-cb", "--base-url", m.URL)
	require.Equal(t, 0, r.code, r.stderr)
	var out payResult
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	require.NotNil(t, out.Callback, "links pay reports the callback from the mock's log")
	assert.True(t, out.Callback.Delivered, r.stdout)
	assert.Equal(t, shop.URL+"/cb", out.Callback.URL)
	assert.Empty(t, r.stderr)
	require.NoError(t, m.Server.WaitCallbacks(t.Context()))
	cb := <-got
	assert.Equal(t, "cli-pay-cb", cb.OrderNumber)
	assert.Equal(t, int64(500), cb.Amount)
}

// A callback nobody receives: links pay says so, on stdout and stderr.
func TestLinksPayReportsAnUndeliveredCallback(t *testing.T) {
	m := mock.Start(t)
	c, err := monri.NewClient(monri.WithBaseURL(m.URL), monri.WithCredentials(m.MerchantKey, m.AuthenticityToken))
	require.NoError(t, err)
	p := demoLink("cli-pay-lost", 500)
	p.CallbackURLOverride = monri.String(closedURL(t) + "/cb")
	_, err = c.PayByLink.CreateOrUpdate(t.Context(), p)
	require.NoError(t, err)

	r := cli(t, nil, "", "links", "pay", "cli-pay-lost", "--base-url", m.URL, "--callback-wait", "1s")
	require.Equal(t, 0, r.code, "the payment happened: %s", r.stderr)
	var out payResult
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	require.NotNil(t, out.Callback)
	assert.False(t, out.Callback.Delivered)
	assert.Contains(t, r.stderr, "monri: warning: paid, but the callback to "+*p.CallbackURLOverride+" was not delivered")
}
