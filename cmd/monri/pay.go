package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// linksPayCommand is `monri links pay ORDER`: the buyer's Pay button on the
// mock's payment page, from the shell.
func (a *app) linksPayCommand() *cobra.Command {
	var baseURL string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "pay ORDER_NUMBER",
		Short: "Pay a link on the mock as a buyer would (works only against the mock)",
		Long: "pay plays the buyer against monri-go's mock: it POSTs the payment page's Pay form,\n" +
			"/pay/ORDER_NUMBER/pay at --base-url, as a browser does. The mock approves the link, sends\n" +
			"the signed callback to the link's callback_url_override, and answers with a redirect to\n" +
			"the success URL and its digest, which pay prints without following it.\n\n" +
			"It works only against the mock (monri mock, or a mock.Server in your tests): Monri's own\n" +
			"payment page takes a card from a person. It needs no credentials, as a buyer has none.\n" +
			"A link that is paid already, deactivated or expired is refused (exit code 1).",
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
			return a.printJSON(struct {
				OrderNumber string `json:"order_number"`
				Paid        bool   `json:"paid"`
				RedirectURL string `json:"redirect_url"`
			}{args[0], true, redirect})
		},
	}
	cmd.Flags().StringVar(&baseURL, "base-url", "", "the mock's URL, e.g. http://127.0.0.1:4010 (required)")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "how long to wait for the mock")
	return cmd
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
