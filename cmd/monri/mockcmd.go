package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/mock"
)

func (a *app) mockCommand() *cobra.Command {
	var (
		addr                 string
		secrets              = secretFlags{what: "the "}
		latency              time.Duration
		errorRate, dropRate  float64
		seed                 int64
		noVerify, noValidate bool
		linkUpdates          string
		quiet                bool
		callbackHosts        []string
	)
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Serve the stateful Monri mock until interrupted",
		Long: "mock serves Monri's Customers and Pay By Link APIs from memory, checking every signature\n" +
			"and every request against the contract (--no-verify and --no-validate turn those checks off).\n" +
			"It binds loopback unless --addr says otherwise; beyond loopback it needs credentials of\n" +
			"your own (--merchant-key-file and --authenticity-token-file), since the default test\n" +
			"credentials are public. It never prints credentials you gave it. It sends payment callbacks\n" +
			"only to loopback hosts unless --allow-callback-host says otherwise, and logs one line per\n" +
			"request and callback attempt to stderr unless --quiet.\n\n" +
			"The first Ctrl-C stops it within a second, cutting requests in flight; a second one exits at once.\n" + controlHelp,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 { // a misspelt control subcommand
				var names []string
				for _, c := range cmd.Commands() {
					names = append(names, c.Name())
				}
				return unknownSubcommand(cmd, args[0], names)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, r := range []struct {
				flag string
				v    float64
			}{{"error-rate", errorRate}, {"drop-rate", dropRate}} {
				if r.v < 0 || r.v > 1 {
					return usagef("--%s: %v is not a fraction between 0 and 1, e.g. 0.3 for 30%%", r.flag, r.v)
				}
			}
			if latency < 0 {
				return usagef("--latency: %v is negative; give a duration such as 50ms", latency)
			}
			custom, err := secrets.load(cmd.Context(), a, cmd, false)
			if err != nil {
				return err
			}
			if !custom && !loopbackAddr(addr) {
				return usagef("--addr %s accepts connections from other machines, and the default test credentials are public: "+
					"set your own with --merchant-key-file and --authenticity-token-file, or listen on 127.0.0.1", addr)
			}
			opts := []mock.Option{
				mock.WithLatency(latency), mock.WithErrorRate(errorRate), mock.WithDropRate(dropRate),
			}
			if custom {
				opts = append(opts, mock.WithCredentials(secrets.merchantKey, secrets.authenticityToken))
			}
			if cmd.Flags().Changed("seed") {
				opts = append(opts, mock.WithSeed(seed))
			}
			if noVerify {
				opts = append(opts, mock.WithoutVerification())
			}
			if noValidate {
				opts = append(opts, mock.WithoutValidation())
			}
			updates, err := mock.ParseLinkUpdates(linkUpdates)
			if err != nil {
				return usagef("--link-updates: %q is not merge or replace", linkUpdates)
			}
			opts = append(opts, mock.WithLinkUpdates(updates))
			if len(callbackHosts) > 0 {
				opts = append(opts, mock.WithCallbackHosts(callbackHosts...))
			}
			if !quiet {
				opts = append(opts, mock.WithRequestLog(slog.New(slog.NewTextHandler(a.stderr, nil))))
			}
			srv, err := mock.New(append(opts, a.mockOptions...)...)
			if err != nil {
				return usagef("%v", err)
			}
			defer func() { _ = srv.Close() }() // serveMock closes it too; this covers a failed Listen
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			return serveMock(cmd.Context(), a, srv, ln, custom)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:4010", "address to listen on")
	secrets.register(cmd)
	f.DurationVar(&latency, "latency", 0, "delay added to every answer")
	f.Float64Var(&errorRate, "error-rate", 0, "fraction of answers turned into 500 or 503")
	f.Float64Var(&dropRate, "drop-rate", 0, "fraction of connections dropped before answering")
	f.Int64Var(&seed, "seed", 0, "seed for fault decisions, to repeat a run")
	f.BoolVar(&noVerify, "no-verify", false, "accept requests without checking their WP3-v2.1 signature")
	f.StringVar(&linkUpdates, "link-updates", "merge", "what a link create-or-update does to an existing link: merge the fields sent, or replace the entry with the body")
	f.BoolVar(&noValidate, "no-validate", false, "skip checking requests against the contract (handlers still refuse what they cannot store)")
	f.StringArrayVar(&callbackHosts, "allow-callback-host", nil, "also send callbacks to this host (repeatable; '*' for any)")
	f.BoolVar(&quiet, "quiet", false, "do not log requests and callback attempts to stderr")
	cmd.AddCommand(a.mockControlCommands()...)
	return cmd
}

// shutdownGrace is how long requests in flight may finish after Ctrl-C.
const shutdownGrace = 500 * time.Millisecond

// serveMock serves until ctx ends (SIGINT or SIGTERM), then gives requests
// in flight shutdownGrace and cuts the rest. custom says the credentials
// are the caller's, which it never prints.
func serveMock(ctx context.Context, a *app, srv *mock.Server, ln net.Listener, custom bool) error {
	url := "http://" + ln.Addr().String()
	a.stdout.printf("Monri mock listening on %s\n", url)
	if custom {
		a.stdout.printf("  monri demo --base-url %s   (with the credentials you gave the mock, e.g. in $%s and $%s)\n",
			url, monri.EnvMerchantKey, monri.EnvAuthenticityToken)
	} else {
		// The mock's own test credentials are public; clients need them.
		a.stdout.printf("  %s=%s %s=%s monri demo --base-url %s\n",
			monri.EnvMerchantKey, mock.DefaultMerchantKey, monri.EnvAuthenticityToken, mock.DefaultAuthenticityToken, url)
	}
	a.stdout.printf("  contract: %s/openapi.yaml; stop with Ctrl-C\n", url)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	_ = srv.Close() // no more callbacks; requests still arriving get 503
	if err := hs.Shutdown(grace); err != nil {
		_ = hs.Close() // cut what is still in flight
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	a.stdout.println("Monri mock stopped")
	return nil
}

// loopbackAddr reports whether a listen address accepts connections only
// from this machine.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
