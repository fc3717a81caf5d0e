package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"reflect"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/monri-go/monri"
	"github.com/monri-go/monri/internal/ruletext"
)

// Messages say which flag or field is wrong, the rule, and the fix, in
// words: no Go type names, no strconv text.

// flagError rewrites pflag's parse errors.
func flagError(cmd *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	var unknown *pflag.NotExistError
	switch {
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return usagef("--%s: %q is not %s", f.Name, invalid.GetValue(), flagRule(f))
	case errors.As(err, &unknown) && unknown.GetSpecifiedShortnames() == "":
		if near := closestFlag(cmd, unknown.GetSpecifiedName()); near != "" {
			return usagef("unknown flag --%s; did you mean --%s?", unknown.GetSpecifiedName(), near)
		}
	}
	return usageError{err}
}

// closestFlag is the command's flag nearest to name, within two edits.
func closestFlag(cmd *cobra.Command, name string) string {
	best, bestDist := "", 3
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if d := editDistance(name, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	return best
}

// flagRule says in words what a flag of this type takes.
func flagRule(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "int", "int64", "int32", "uint", "uint64":
		if f.Name == "amount" {
			return "a whole number: amounts are in minor units, e.g. --amount 1024 for 10.24"
		}
		return "a whole number"
	case "float64", "float32":
		return "a number, e.g. 0.25"
	case "duration":
		return "a duration, e.g. 500ms, 30s or 2m"
	case "bool":
		return "true or false"
	}
	return "a valid " + f.Value.Type()
}

// jsonKindWords names each kind of JSON value in the CLI's messages.
var jsonKindWords = map[ruletext.Kind]string{
	ruletext.Integer: "a whole number", ruletext.Number: "a number", ruletext.String: "a string",
	ruletext.Boolean: "true or false", ruletext.Array: "an array", ruletext.Object: "an object",
}

// jsonKind says in words what JSON a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if w, ok := jsonKindWords[ruletext.KindOf(t)]; ok {
		return w
	}
	return "a different JSON value"
}

// fieldHint adds what a field's unit is where a number alone misleads.
func fieldHint(field string) string {
	if field == "amount" {
		return " in minor units, e.g. 1024 for 10.24"
	}
	return ""
}

// describeFailure words a failed call for stderr, with a hint where the
// fix is usually the same.
func describeFailure(err error) string {
	if msg, ok := networkProblem(err); ok {
		return "monri: " + msg
	}
	msg := "monri: " + strings.TrimPrefix(err.Error(), "monri: ")
	switch {
	case monri.IsUnauthorized(err):
		return msg + "\nhint: the server refused the credentials or the signature: check that $" +
			monri.EnvMerchantKey + " and $" + monri.EnvAuthenticityToken + " (or the --*-file flags) belong to this server and --env"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		return msg + "\nhint: the server did not answer in time; --timeout sets the limit per attempt"
	}
	return msg
}

// networkProblem words a failure to reach the server at all, with a hint,
// and reports whether err is one.
func networkProblem(err error) (string, bool) {
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		return fmt.Sprintf("network error: cannot resolve the host %q: %s\nhint: check --base-url and your network", dns.Name, dns.Err), true
	case errors.Is(err, syscall.ECONNREFUSED):
		addr := ""
		if errors.As(err, &op) && op.Addr != nil {
			addr = " at " + op.Addr.String()
		}
		return "network error: nothing is listening" + addr + " (connection refused)\n" +
			"hint: start a local server with 'monri mock', or check --base-url", true
	case errors.As(err, &op):
		return "network error: " + op.Error(), true
	}
	return "", false
}
