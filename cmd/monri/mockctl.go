package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// The subcommands of monri mock that drive a running mock through its
// control API (/__mock/), signed like any API call.

// controlHelp lists the control API for monri mock --help.
const controlHelp = `
Control API (signed with WP3-v2.1 and the mock's credentials, JSON answers):
  POST /__mock/reset                              forget all state and logs
  POST /__mock/customers/{uuid}/payment-methods   seed a saved card (body: a payment method)
  POST /__mock/links/{order_number}/pay           pay as the payment page does (404, 409 when unpayable)
  POST /__mock/links/{order_number}/cancel        where Cancel sends the buyer (changes nothing)
  POST /__mock/links/{order_number}/expire        expire the link now (409 when paid)
  GET  /__mock/callbacks[?wait=5s]                the callback log, refused deliveries included
  GET  /__mock/requests                           the last requests: method, path, status, rule
  GET  /__mock/faults                             error_rate, drop_rate, latency_ms, seed
  PUT  /__mock/faults                             replace them, e.g. {"error_rate":0.1,"drop_rate":0,"latency_ms":50}
The subcommands below call them, with the credentials of $MONRI_MERCHANT_KEY and
$MONRI_AUTHENTICITY_TOKEN (or --merchant-key-file and --authenticity-token-file), else the
mock's public default ones. From another language, sign as 'monri sign' does, e.g.
  export MONRI_MERCHANT_KEY=qwert1234 MONRI_AUTHENTICITY_TOKEN=7db11ea5d4a1af32421b564c79b946d1ead3daf0
  curl -X POST -H "Authorization: $(monri sign --path /__mock/reset)" http://127.0.0.1:4010/__mock/reset`

// mockTarget is how a control subcommand reaches a running mock. Its
// credentials come as every command's do (secretFlags), and default to the
// mock's public test credentials, which a mock started without any uses.
type mockTarget struct {
	baseURL      string
	secrets      secretFlags
	insecureHTTP bool
	timeout      time.Duration
}

func (m *mockTarget) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&m.baseURL, "base-url", "http://127.0.0.1:4010", "the running mock's base URL: https://, or http:// to a loopback host")
	f.BoolVar(&m.insecureHTTP, "insecure-http", false, "allow an http:// --base-url whose host is not loopback (signed requests travel in clear text)")
	m.secrets.what = "the running mock's "
	m.secrets.register(cmd)
	f.DurationVar(&m.timeout, "timeout", 30*time.Second, "timeout of the request")
}

// signer builds the signer from the flags, the files or the environment,
// else the mock's default test credentials.
func (m *mockTarget) signer(ctx context.Context, a *app, cmd *cobra.Command) (*signer.Signer, error) {
	if _, err := m.secrets.load(ctx, a, cmd, true); err != nil {
		return nil, err
	}
	if m.secrets.merchantKey == "" {
		m.secrets.merchantKey = mock.DefaultMerchantKey
	}
	if m.secrets.authenticityToken == "" {
		m.secrets.authenticityToken = mock.DefaultAuthenticityToken
	}
	sg, err := signer.New(m.secrets.merchantKey, m.secrets.authenticityToken)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return sg, nil
}

// call sends one signed control request and prints the JSON answer as
// every command prints JSON (printJSON). An answer other than 200 is an
// error naming the mock's message.
func (m *mockTarget) call(cmd *cobra.Command, a *app, method, path string, body []byte) error {
	if err := checkBaseURL(m.baseURL, m.insecureHTTP); err != nil {
		return err
	}
	ctx := cmd.Context()
	sg, err := m.signer(ctx, a, cmd)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(m.baseURL, "/")+path, rd)
	if err != nil {
		return usagef("--base-url: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := sg.Sign(req); err != nil {
		return fmt.Errorf("sign the request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: no answer from the mock: %w", method, path, unwrapURLError(err))
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Message string }
		if json.Unmarshal(answer, &e) == nil && e.Message != "" {
			return fmt.Errorf("%s %s: the mock answered %d: %s", method, path, resp.StatusCode, e.Message)
		}
		return fmt.Errorf("%s %s: the mock answered %d", method, path, resp.StatusCode)
	}
	// Decoded, not copied: the mock escapes & < > as \u0026..., which
	// printJSON does not. Numbers stay as sent.
	dec := json.NewDecoder(bytes.NewReader(answer))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return fmt.Errorf("%s %s: the answer is not JSON", method, path)
	}
	return a.printJSON(v)
}

// unwrapURLError drops net/http's quoting of the method and URL, which the
// caller's message already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// mockControlCommands are the subcommands of monri mock.
func (a *app) mockControlCommands() []*cobra.Command {
	simple := func(use, short, method, path string) *cobra.Command {
		var m mockTarget
		cmd := &cobra.Command{
			Use: use, Short: short, Args: exactArgs(0, "no arguments"),
			RunE: func(cmd *cobra.Command, _ []string) error { return m.call(cmd, a, method, path, nil) },
		}
		m.register(cmd)
		return cmd
	}
	link := func(verb, short string) *cobra.Command {
		var m mockTarget
		cmd := &cobra.Command{
			Use: verb + " ORDER_NUMBER", Short: short, Args: exactArgs(1, "the link's order number"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return m.call(cmd, a, http.MethodPost, "/__mock/links/"+url.PathEscape(args[0])+"/"+verb, nil)
			},
		}
		m.register(cmd)
		return cmd
	}
	return []*cobra.Command{
		simple("reset", "Forget every customer, link, payment method, callback and logged request", http.MethodPost, "/__mock/reset"),
		a.mockCallbacksCommand(),
		simple("requests", "Print the last requests the mock answered", http.MethodGet, "/__mock/requests"),
		a.mockFaultsCommand(),
		link("pay", "Pay a link as the payment page's Pay button does, sending its callback"),
		link("cancel", "Print where the payment page's Cancel button sends the buyer"),
		link("expire", "Expire a link now, so that it can no longer be paid"),
	}
}

func (a *app) mockCallbacksCommand() *cobra.Command {
	var m mockTarget
	var wait time.Duration
	cmd := &cobra.Command{
		Use:   "callbacks",
		Short: "Print the callback log: each callback, where it went, and how each attempt ended",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := "/__mock/callbacks"
			if wait < 0 {
				return usagef("--wait must not be negative")
			}
			if wait > 0 {
				path += "?wait=" + url.QueryEscape(wait.String())
				m.timeout += wait
			}
			return m.call(cmd, a, http.MethodGet, path, nil)
		},
	}
	m.register(cmd)
	cmd.Flags().DurationVar(&wait, "wait", 0, "first wait up to this long for deliveries in flight to end (at most 1m)")
	return cmd
}

func (a *app) mockFaultsCommand() *cobra.Command {
	var m mockTarget
	var errorRate, dropRate float64
	var latency time.Duration
	var seed int64
	cmd := &cobra.Command{
		Use:   "faults",
		Short: "Print the faults the mock injects, or replace them with the flags given",
		Long: "faults prints error_rate, drop_rate, latency_ms and seed. With any of --error-rate, --drop-rate,\n" +
			"--latency or --seed it replaces them all: a setting not given is 0 (off), and the seed stays.",
		Example: "  monri mock faults --error-rate 0.2 --seed 7\n  monri mock faults --error-rate 0   # all off again",
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			if !f.Changed("error-rate") && !f.Changed("drop-rate") && !f.Changed("latency") && !f.Changed("seed") {
				return m.call(cmd, a, http.MethodGet, "/__mock/faults", nil)
			}
			body := `{"error_rate":` + strconv.FormatFloat(errorRate, 'g', -1, 64) +
				`,"drop_rate":` + strconv.FormatFloat(dropRate, 'g', -1, 64) +
				`,"latency_ms":` + strconv.FormatFloat(float64(latency.Microseconds())/1000, 'g', -1, 64)
			if f.Changed("seed") {
				body += `,"seed":` + strconv.FormatInt(seed, 10)
			}
			return m.call(cmd, a, http.MethodPut, "/__mock/faults", []byte(body+"}"))
		},
	}
	m.register(cmd)
	f := cmd.Flags()
	f.Float64Var(&errorRate, "error-rate", 0, "fraction of API answers turned into 500 or 503")
	f.Float64Var(&dropRate, "drop-rate", 0, "fraction of API connections dropped")
	f.DurationVar(&latency, "latency", 0, "delay added to every API answer")
	f.Int64Var(&seed, "seed", 0, "restart fault decisions from this seed")
	return cmd
}
