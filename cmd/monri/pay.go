package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri/mock"
	"github.com/monri-go/monri/signer"
)

// linksPayCommand is `monri links pay ORDER`: the buyer's Pay button on the
// mock's payment page, from the shell.
func (a *app) linksPayCommand() *cobra.Command {
	var baseURL string
	var timeout, callbackWait time.Duration
	secrets := secretFlags{what: "the mock's "}
	cmd := &cobra.Command{
		Use:   "pay ORDER_NUMBER",
		Short: "Pay a link on the mock as a buyer would (works only against the mock)",
		Long: "pay plays the buyer against monri-go's mock: it POSTs the payment page's Pay form,\n" +
			"/pay/ORDER_NUMBER/pay at --base-url, as a browser does. The mock approves the link, sends\n" +
			"the signed callback to the link's callback_url_override, and answers with a redirect to\n" +
			"the success URL and its digest, which pay prints without following it.\n\n" +
			"It works only against the mock (monri mock, or a mock.Server in your tests): Monri's own\n" +
			"payment page takes a card from a person. It needs no credentials, as a buyer has none.\n" +
			"A link that is paid already, deactivated or expired is refused (exit code 1).\n\n" +
			"It then reads the mock's callback log (GET /__mock/callbacks, signed with the mock's default\n" +
			"test credentials unless the --*-file flags give others), waiting up to --callback-wait for the\n" +
			"first delivery attempt, and prints how the callback went: \"callback\" is null when the link\n" +
			"has no callback URL; a callback not delivered is also reported on stderr.",
		Args: exactArgs(1, "the order number"),
		RunE: func(cmd *cobra.Command, args []string) error {
			target, err := payTarget(baseURL, args[0])
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			redirect, err := payAsBuyer(ctx, target)
			if err != nil {
				return err
			}
			out := payResult{OrderNumber: args[0], Paid: true, RedirectURL: redirect}
			custom, err := secrets.load(ctx, a, cmd, false)
			if err != nil {
				return err
			}
			key, token := mock.DefaultMerchantKey, mock.DefaultAuthenticityToken
			if custom {
				key, token = secrets.merchantKey, secrets.authenticityToken
			}
			out.Callback, err = callbackOutcomeOf(ctx, baseURL, key, token, args[0], callbackWait)
			switch {
			case err != nil:
				out.CallbackLogError = err.Error()
				fmt.Fprintf(a.stderr, "monri: warning: paid, but the mock's callback log could not be read: %v\n", err)
			case out.Callback != nil && !out.Callback.Delivered:
				fmt.Fprintf(a.stderr, "monri: warning: paid, but the callback to %s was not delivered (%d attempt(s)): %s\n",
					out.Callback.URL, out.Callback.Attempts, out.Callback.LastError)
			}
			return a.printJSON(out)
		},
	}
	cmd.Flags().StringVar(&baseURL, "base-url", "", "the mock's URL, e.g. http://127.0.0.1:4010 (required)")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "how long to wait for the mock")
	cmd.Flags().DurationVar(&callbackWait, "callback-wait", 5*time.Second, "how long to wait for the callback's delivery (at most 1m)")
	secrets.register(cmd)
	return cmd
}

// payResult is what links pay prints.
type payResult struct {
	OrderNumber      string           `json:"order_number"`
	Paid             bool             `json:"paid"`
	RedirectURL      string           `json:"redirect_url"`
	Callback         *callbackOutcome `json:"callback"`
	CallbackLogError string           `json:"callback_log_error,omitempty"`
}

// callbackOutcome is the mock's log entry for a link's callback.
type callbackOutcome struct {
	URL        string `json:"url"`
	Delivered  bool   `json:"delivered"`
	Attempts   int    `json:"attempts"`
	LastStatus int    `json:"last_status"`
	LastError  string `json:"last_error,omitempty"`
	Done       bool   `json:"done"`
	Refused    bool   `json:"refused"`
}

// callbackOutcomeOf reads the mock's callback log, waiting up to wait for
// deliveries in flight, and returns the last entry for order, or nil.
func callbackOutcomeOf(ctx context.Context, baseURL, key, token, order string, wait time.Duration) (*callbackOutcome, error) {
	if wait < 0 || wait > time.Minute {
		wait = 5 * time.Second
	}
	sg, err := signer.New(key, token)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/__mock/callbacks?wait="+url.QueryEscape(wait.String()), nil)
	if err != nil {
		return nil, err
	}
	if err := sg.Sign(req); err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /__mock/callbacks answered %d: pass --merchant-key-file and --authenticity-token-file if the mock has its own credentials", resp.StatusCode)
	}
	var log struct {
		Callbacks []callbackOutcome `json:"callbacks"`
	}
	var orders struct {
		Callbacks []struct {
			OrderNumber string `json:"order_number"`
		} `json:"callbacks"`
	}
	if json.Unmarshal(body, &log) != nil || json.Unmarshal(body, &orders) != nil {
		return nil, errors.New("GET /__mock/callbacks: the answer is not the mock's callback log")
	}
	for i := len(log.Callbacks) - 1; i >= 0; i-- {
		if orders.Callbacks[i].OrderNumber == order {
			return &log.Callbacks[i], nil
		}
	}
	return nil, nil
}

// payTarget is the Pay form's action on the mock at baseURL.
func payTarget(baseURL, order string) (string, error) {
	if baseURL == "" {
		return "", usagef("--base-url is required: pay works only against the mock (monri mock prints its URL)")
	}
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", usagef("--base-url: %q is not an absolute http(s) URL", baseURL)
	}
	if h := strings.ToLower(u.Hostname()); h == "monri.com" || strings.HasSuffix(h, ".monri.com") {
		return "", usagef("--base-url: pay works only against the mock, not against Monri")
	}
	if order == "" {
		return "", usagef("the order number is empty")
	}
	return strings.TrimRight(baseURL, "/") + "/pay/" + url.PathEscape(order) + "/pay", nil
}

// payAsBuyer posts the empty Pay form and returns the redirect's Location.
func payAsBuyer(ctx context.Context, target string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, nil)
	if err != nil {
		return "", fmt.Errorf("pay: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("pay: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") != "" {
		return resp.Header.Get("Location"), nil
	}
	var e struct {
		Status  string `json:"status"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		return "", fmt.Errorf("pay: %d %s: %s", resp.StatusCode, e.Status, e.Message)
	}
	return "", fmt.Errorf("pay: %s answered %d, not the mock's redirect: is --base-url the mock?", target, resp.StatusCode)
}
