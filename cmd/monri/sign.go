package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/signer"
)

// maxBody bounds the body sign and verify read.
const maxBody = 64 << 20

// signedInput is what sign and verify both read: credentials, path and body.
type signedInput struct {
	secrets              secretFlags
	path, body, bodyFile string
}

func (in *signedInput) register(cmd *cobra.Command) {
	f := cmd.Flags()
	in.secrets.register(cmd)
	f.StringVar(&in.path, "path", "", "request target as sent: path plus query, e.g. '/v2/customers?limit=1' (required)")
	f.StringVar(&in.body, "body", "", "request body, exactly as sent (GET and DELETE: leave empty)")
	f.StringVar(&in.bodyFile, "body-file", "", "read the body from this file, or - for standard input")
}

// load checks the input and reads the body.
func (in *signedInput) load(ctx context.Context, a *app, cmd *cobra.Command) (body []byte, err error) {
	if in.bodyFile == "-" && (in.secrets.merchantKeyFile == "-" || in.secrets.authenticityTokenFile == "-") {
		return nil, usagef("only one of --body-file and the secret files can be -")
	}
	if _, err := in.secrets.load(ctx, a, cmd, true); err != nil {
		return nil, err
	}
	switch {
	case in.secrets.merchantKey == "":
		return nil, usagef("the merchant key is required: set %s or pass --merchant-key-file", monri.EnvMerchantKey)
	case in.secrets.authenticityToken == "":
		return nil, usagef("the authenticity token is required: set %s or pass --authenticity-token-file", monri.EnvAuthenticityToken)
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
		body, err = a.readStdin(ctx, "the body", maxBody+1)
	default:
		body, err = readFileUpTo(in.bodyFile, maxBody+1)
		if err != nil {
			return nil, usagef("--body-file %s: %s", in.bodyFile, fileProblem(err))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("--body-file -: %w", err)
	}
	if len(body) > maxBody {
		return nil, usagef("--body-file: more than %d bytes, the limit for a body", maxBody)
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
		Example: "  export MONRI_MERCHANT_KEY=qwert1234 MONRI_AUTHENTICITY_TOKEN=7db11ea5d4a1af32421b564c79b946d1ead3daf0\n" +
			"  monri sign --timestamp 1593457122 --path /v2/payment/new --body '{\"example\":\"1\"}'",
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := in.load(cmd.Context(), a, cmd)
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
			digest := signer.Digest(in.secrets.merchantKey, ts, in.secrets.authenticityToken, in.path, body)
			if digestOnly {
				a.stdout.println(digest)
				return nil
			}
			a.stdout.printf("%s %s %s %s\n", signer.Scheme, in.secrets.authenticityToken, ts, digest)
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
			body, err := in.load(cmd.Context(), a, cmd)
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
			s, err := signer.New(in.secrets.merchantKey, in.secrets.authenticityToken, signer.WithWindow(window), signer.WithClock(clock))
			if err != nil {
				return usagef("%v", err)
			}
			if err := s.Verify(header, in.path, body); err != nil {
				a.stdout.printf("invalid: %s\n", strings.TrimPrefix(err.Error(), "signer: "))
				if errors.Is(err, signer.ErrStale) && !cmd.Flags().Changed("now") {
					a.stderr.println("hint: to check a header from the past, such as the docs' example, pass --now with a Unix time near its timestamp")
				}
				return errReported
			}
			a.stdout.println("valid")
			return nil
		},
	}
	in.register(cmd)
	cmd.Flags().StringVar(&header, "header", "", "the Authorization header value to check (required)")
	cmd.Flags().DurationVar(&window, "window", signer.DefaultWindow, "how far the timestamp may be from now")
	cmd.Flags().Int64Var(&now, "now", 0, "Unix seconds to take as now (default the current time)")
	return cmd
}
