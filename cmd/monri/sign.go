package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/signer"
)

// signedInput is what sign and verify both read: credentials, path and body.
type signedInput struct {
	merchantKey, authenticityToken string
	path, body, bodyFile           string
}

func (in *signedInput) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&in.merchantKey, "merchant-key", "", "merchant key (default $MONRI_MERCHANT_KEY)")
	f.StringVar(&in.authenticityToken, "authenticity-token", "", "authenticity token (default $MONRI_AUTHENTICITY_TOKEN)")
	f.StringVar(&in.path, "path", "", "request target as sent: path plus query, e.g. '/v2/customers?limit=1' (required)")
	f.StringVar(&in.body, "body", "", "request body, exactly as sent (GET and DELETE: leave empty)")
	f.StringVar(&in.bodyFile, "body-file", "", "read the body from this file, or - for standard input")
}

// load checks the input and reads the body.
func (in *signedInput) load(a *app) (body []byte, err error) {
	if in.merchantKey == "" {
		in.merchantKey = a.getenv(monri.EnvMerchantKey)
	}
	if in.authenticityToken == "" {
		in.authenticityToken = a.getenv(monri.EnvAuthenticityToken)
	}
	switch {
	case in.merchantKey == "":
		return nil, usagef("--merchant-key is required (or set %s)", monri.EnvMerchantKey)
	case in.authenticityToken == "":
		return nil, usagef("--authenticity-token is required (or set %s)", monri.EnvAuthenticityToken)
	case in.path == "":
		return nil, usagef("--path is required, e.g. --path '/v2/customers?limit=1'")
	case !strings.HasPrefix(in.path, "/"):
		return nil, usagef("--path must start with /: it is the request target, path plus query, not a URL")
	case in.body != "" && in.bodyFile != "":
		return nil, usagef("give the body with --body or --body-file, not both")
	}
	switch in.bodyFile {
	case "":
		return []byte(in.body), nil
	case "-":
		body, err = io.ReadAll(a.stdin)
	default:
		body, err = os.ReadFile(in.bodyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("--body-file: %w", err)
	}
	return body, nil
}

func (a *app) signCommand() *cobra.Command {
	var in signedInput
	var timestamp int64
	var digestOnly bool
	cmd := &cobra.Command{
		Use:   "sign",
		Short: "Print the WP3-v2.1 Authorization header for a request (offline)",
		Long: "sign computes what Monri's Calculate Digest page does, offline: the Authorization header value\n" +
			"WP3-v2.1 <token> <timestamp> <digest>, where digest = sha512(merchant_key + timestamp + token + path + body).",
		Example: "  monri sign --merchant-key qwert1234 --authenticity-token 7db11ea5d4a1af32421b564c79b946d1ead3daf0 \\\n" +
			"    --timestamp 1593457122 --path /v2/payment/new --body '{\"example\":\"1\"}'",
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := in.load(a)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("timestamp") {
				timestamp = time.Now().Unix()
			}
			if timestamp < 0 {
				return usagef("--timestamp must be Unix seconds, not negative")
			}
			ts := strconv.FormatInt(timestamp, 10)
			digest := signer.Digest(in.merchantKey, ts, in.authenticityToken, in.path, body)
			if digestOnly {
				fmt.Fprintln(a.stdout, digest)
				return nil
			}
			fmt.Fprintf(a.stdout, "%s %s %s %s\n", signer.Scheme, in.authenticityToken, ts, digest)
			return nil
		},
	}
	in.register(cmd)
	cmd.Flags().Int64Var(&timestamp, "timestamp", 0, "Unix seconds to sign with (default now)")
	cmd.Flags().BoolVar(&digestOnly, "digest", false, "print only the digest")
	return cmd
}

func (a *app) verifyCommand() *cobra.Command {
	var in signedInput
	var header string
	var window time.Duration
	var now int64
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check a WP3-v2.1 Authorization header against a request (offline)",
		Long:  "verify prints 'valid', or 'invalid: <reason>' and exits 1. It never prints the merchant key.",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := in.load(a)
			if err != nil {
				return err
			}
			if header == "" {
				return usagef("--header is required: the Authorization value, 'WP3-v2.1 <token> <timestamp> <digest>'")
			}
			clock := time.Now
			if cmd.Flags().Changed("now") {
				at := time.Unix(now, 0)
				clock = func() time.Time { return at }
			}
			s, err := signer.New(in.merchantKey, in.authenticityToken, signer.WithWindow(window), signer.WithClock(clock))
			if err != nil {
				return usagef("%v", err)
			}
			if err := s.Verify(header, in.path, body); err != nil {
				fmt.Fprintf(a.stdout, "invalid: %v\n", err)
				return errReported
			}
			fmt.Fprintln(a.stdout, "valid")
			return nil
		},
	}
	in.register(cmd)
	cmd.Flags().StringVar(&header, "header", "", "the Authorization header value to check (required)")
	cmd.Flags().DurationVar(&window, "window", signer.DefaultWindow, "how far the timestamp may be from now")
	cmd.Flags().Int64Var(&now, "now", 0, "Unix seconds to take as now (default the current time)")
	return cmd
}
