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

	"github.com/monri-go/monri/mock"
)

func (a *app) mockCommand() *cobra.Command {
	var (
		addr, merchantKey, token string
		latency                  time.Duration
		errorRate, dropRate      float64
		seed                     int64
		noVerify, noValidate     bool
		quiet                    bool
		callbackHosts            []string
	)
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Serve the stateful Monri mock until interrupted",
		Long: "mock serves Monri's Customers and Pay By Link APIs from memory, checking every signature\n" +
			"and every request against the contract (--no-verify and --no-validate turn those checks off).\n" +
			"It binds loopback unless --addr says otherwise, sends payment callbacks only to loopback hosts\n" +
			"unless --allow-callback-host says otherwise, and logs one line per request and callback attempt\n" +
			"to stderr unless --quiet.\n" + controlHelp,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := []mock.Option{
				mock.WithLatency(latency), mock.WithErrorRate(errorRate), mock.WithDropRate(dropRate),
			}
			if merchantKey != "" || token != "" {
				opts = append(opts, mock.WithCredentials(merchantKey, token))
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
			if len(callbackHosts) > 0 {
				opts = append(opts, mock.WithCallbackHosts(callbackHosts...))
			}
			if !quiet {
				opts = append(opts, mock.WithRequestLog(slog.New(slog.NewTextHandler(a.stderr, nil))))
			}
			srv, err := mock.New(opts...)
			if err != nil {
				return usagef("%v", err)
			}
			defer srv.Close()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			return serveMock(cmd.Context(), a, srv, ln, merchantKey, token)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:4010", "address to listen on")
	f.StringVar(&merchantKey, "merchant-key", "", "merchant key clients must sign with (default the docs' example)")
	f.StringVar(&token, "authenticity-token", "", "authenticity token clients must sign with (default the docs' example)")
	f.DurationVar(&latency, "latency", 0, "delay added to every answer")
	f.Float64Var(&errorRate, "error-rate", 0, "fraction of answers turned into 500 or 503")
	f.Float64Var(&dropRate, "drop-rate", 0, "fraction of connections dropped before answering")
	f.Int64Var(&seed, "seed", 0, "seed for fault decisions, to repeat a run")
	f.BoolVar(&noVerify, "no-verify", false, "accept requests without checking their WP3-v2.1 signature")
	f.BoolVar(&noValidate, "no-validate", false, "skip checking requests against the contract (handlers still refuse what they cannot store)")
	f.StringArrayVar(&callbackHosts, "allow-callback-host", nil, "also send callbacks to this host (repeatable; '*' for any)")
	f.BoolVar(&quiet, "quiet", false, "do not log requests and callback attempts to stderr")
	cmd.AddCommand(a.mockControlCommands()...)
	return cmd
}

// serveMock serves until ctx ends (SIGINT or SIGTERM), then shuts down gracefully.
func serveMock(ctx context.Context, a *app, srv *mock.Server, ln net.Listener, merchantKey, token string) error {
	if merchantKey == "" {
		merchantKey, token = mock.DefaultMerchantKey, mock.DefaultAuthenticityToken
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(a.stdout, "Monri mock listening on %s\n", url)
	// These are the mock's own test credentials, printed so clients can use them.
	fmt.Fprintf(a.stdout, "  monri demo --base-url %s --merchant-key %s --authenticity-token %s\n", url, merchantKey, token)
	fmt.Fprintf(a.stdout, "  contract: %s/openapi.yaml; stop with Ctrl-C\n", url)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(a.stdout, "Monri mock stopped")
	return nil
}
