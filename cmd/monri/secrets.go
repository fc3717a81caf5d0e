package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri"
)

// secretFlags are how a command gets the merchant key and the authenticity
// token: the environment by default, a file (or - for stdin) for scripts,
// and the plain flags with a warning, since ps and shell history show them.
type secretFlags struct {
	merchantKey, authenticityToken         string
	merchantKeyFile, authenticityTokenFile string
	// what says what the secrets are for, in flag help.
	what string
}

func (s *secretFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.merchantKey, "merchant-key", "", s.what+"merchant key; visible to other users in ps: prefer $"+monri.EnvMerchantKey+" or --merchant-key-file")
	f.StringVar(&s.authenticityToken, "authenticity-token", "", s.what+"authenticity token (default $"+monri.EnvAuthenticityToken+")")
	f.StringVar(&s.merchantKeyFile, "merchant-key-file", "", "read the merchant key from this file, or - for standard input")
	f.StringVar(&s.authenticityTokenFile, "authenticity-token-file", "", "read the authenticity token from this file, or - for standard input")
}

// load fills the secrets from the files, or else from the environment when
// fromEnv, warning once about a secret given as a plain flag. It reports
// whether the caller gave any secret at all.
func (s *secretFlags) load(ctx context.Context, a *app, cmd *cobra.Command, fromEnv bool) (bool, error) {
	changed := cmd.Flags().Changed
	if changed("merchant-key") && changed("merchant-key-file") {
		return false, usagef("give the merchant key with --merchant-key-file or --merchant-key, not both")
	}
	if changed("authenticity-token") && changed("authenticity-token-file") {
		return false, usagef("give the authenticity token with --authenticity-token-file or --authenticity-token, not both")
	}
	if s.merchantKeyFile == "-" && s.authenticityTokenFile == "-" {
		return false, usagef("only one of --merchant-key-file and --authenticity-token-file can be -")
	}
	for _, w := range []struct{ flag, env string }{
		{"merchant-key", monri.EnvMerchantKey}, {"authenticity-token", monri.EnvAuthenticityToken},
	} {
		if changed(w.flag) {
			a.stderr.printf("monri: warning: --%s is visible to other users of this machine (ps, shell history); use $%s or --%s-file\n", w.flag, w.env, w.flag)
		}
	}
	var err error
	if s.merchantKeyFile != "" {
		if s.merchantKey, err = a.readSecret(ctx, "--merchant-key-file", s.merchantKeyFile); err != nil {
			return false, err
		}
	}
	if s.authenticityTokenFile != "" {
		if s.authenticityToken, err = a.readSecret(ctx, "--authenticity-token-file", s.authenticityTokenFile); err != nil {
			return false, err
		}
	}
	given := s.merchantKey != "" || s.authenticityToken != ""
	if fromEnv {
		if s.merchantKey == "" {
			s.merchantKey = a.getenv(monri.EnvMerchantKey)
		}
		if s.authenticityToken == "" {
			s.authenticityToken = a.getenv(monri.EnvAuthenticityToken)
		}
		given = given || s.merchantKey != "" || s.authenticityToken != ""
	}
	return given, nil
}

// maxSecret bounds a secret file; keys and tokens are short.
const maxSecret = 4 << 10

// readSecret reads one secret from a file or stdin, without the trailing
// newline. The error names the flag, never the content.
func (a *app) readSecret(ctx context.Context, flag, path string) (string, error) {
	var (
		b   []byte
		err error
	)
	if path == "-" {
		b, err = a.readStdin(ctx, "the secret for "+flag, maxSecret+1)
		if err != nil {
			return "", fmt.Errorf("%s -: %w", flag, err)
		}
	} else if b, err = readFileUpTo(path, maxSecret+1); err != nil {
		return "", usagef("%s %s: %s", flag, path, fileProblem(err))
	}
	if len(b) > maxSecret {
		return "", usagef("%s: more than %d bytes, the limit for a secret: is it the right file?", flag, maxSecret)
	}
	v := strings.TrimRight(string(b), "\r\n")
	if v == "" || strings.ContainsAny(v, "\r\n") {
		return "", usagef("%s: the file must hold the secret on one line", flag)
	}
	return v, nil
}
