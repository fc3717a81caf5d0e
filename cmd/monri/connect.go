package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
)

// connection is how a command reaches Monri: flags first, then MONRI_* variables.
type connection struct {
	secrets             secretFlags
	baseURL, env        string
	timeout             time.Duration
	debug, insecureHTTP bool
	secretsLoaded       bool
}

func (c *connection) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&c.baseURL, "base-url", "", "send requests to this server instead of Monri's (e.g. a mock): https://, or http:// to a loopback host")
	f.BoolVar(&c.insecureHTTP, "insecure-http", false, "allow an http:// --base-url whose host is not loopback (signed requests travel in clear text)")
	c.secrets.register(cmd)
	f.StringVar(&c.env, "env", "test", "Monri environment: test or prod; prod only when given explicitly")
	f.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout per attempt")
	f.BoolVar(&c.debug, "debug", false, "log each HTTP attempt to stderr (never credentials or signatures)")
	completeValues(cmd, "env", func() []string { return []string{"test", "prod"} })
}

// resolve fills credentials from the files or the environment and reports
// whether any were given at all.
func (c *connection) resolve(a *app, cmd *cobra.Command) (bool, error) {
	given, err := c.secrets.load(cmd.Context(), a, cmd, true)
	c.secretsLoaded = true
	return given, err
}

// client builds the facade. hc, when not nil, carries the requests.
func (c *connection) client(a *app, cmd *cobra.Command, hc *http.Client) (*monri.Client, error) {
	if !c.secretsLoaded {
		if _, err := c.resolve(a, cmd); err != nil {
			return nil, err
		}
	}
	env, err := monri.ParseEnvironment(c.env)
	if err != nil {
		return nil, usagef("--env: %q is not an environment: use test or prod", c.env)
	}
	// The flags typed on this line are checked before the environment's credentials.
	if c.baseURL != "" {
		if err := checkBaseURL(c.baseURL, c.insecureHTTP); err != nil {
			return nil, err
		}
	}
	if c.secrets.merchantKey == "" || c.secrets.authenticityToken == "" {
		return nil, usagef("no credentials: set %s and %s, or pass --merchant-key-file and --authenticity-token-file", monri.EnvMerchantKey, monri.EnvAuthenticityToken)
	}
	opts := []monri.Option{
		monri.WithCredentials(c.secrets.merchantKey, c.secrets.authenticityToken),
		monri.WithEnvironment(env), // never Production from MONRI_ENVIRONMENT alone
		monri.WithTimeout(c.timeout),
		monri.WithUserAgent("monri-cli"),
	}
	if c.baseURL != "" {
		opts = append(opts, monri.WithBaseURL(c.baseURL))
		if c.insecureHTTP {
			opts = append(opts, monri.WithInsecureHTTP())
		}
	}
	if hc != nil {
		opts = append(opts, monri.WithHTTPClient(hc))
	}
	if c.debug {
		opts = append(opts, monri.WithLogger(slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	cl, err := monri.NewClient(opts...)
	if err != nil {
		if strings.Contains(err.Error(), "WithBaseURL") {
			return nil, usagef("--base-url: %v", err)
		}
		return nil, fmt.Errorf("configure client: %w", err)
	}
	return cl, nil
}

// checkBaseURL applies the library's rule for --base-url (monri.CheckBaseURL)
// and says how to fix it in the CLI's own terms.
func checkBaseURL(baseURL string, insecureHTTP bool) error {
	err := monri.CheckBaseURL(baseURL, insecureHTTP)
	switch {
	case err == nil:
		return nil
	case monri.CheckBaseURL(baseURL, true) == nil:
		return usagef("--base-url: this http:// URL would send signed requests in clear text to a host that is not loopback: use https://, or pass --insecure-http to allow it")
	}
	return usagef("--base-url: %v", strings.TrimPrefix(err.Error(), "monri: WithBaseURL: "))
}
