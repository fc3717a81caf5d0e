package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri/internal/version"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// app is what every command shares: its streams and the environment, passed
// in so tests run commands in-process.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// usageError marks an error as the caller's misuse: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errReported is an error already reported in full: exit code 1, nothing more printed.
var errReported = errors.New("reported")

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var usage usageError
	switch {
	case errors.Is(err, errReported):
		return exitFail
	case errors.As(err, &usage) || isCobraUsage(err):
		fmt.Fprintf(stderr, "monri: %v\nRun 'monri --help' for usage.\n", err)
		return exitUsage
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "monri: ") { // the facade's errors name themselves
		msg = "monri: " + msg
	}
	fmt.Fprintln(stderr, msg)
	return exitFail
}

// cobraUsage matches cobra's own messages for an unknown command or bad arguments.
var cobraUsage = regexp.MustCompile(`^(unknown command|unknown flag|unknown shorthand|accepts |requires |invalid argument|flag needs|required flag)`)

func isCobraUsage(err error) bool { return cobraUsage.MatchString(err.Error()) }

// exactArgs is cobra.ExactArgs with a usage error, naming what is expected.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s, got %d argument(s)", what, len(args))
		}
		return nil
	}
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "monri",
		Short:         "Monri's Customers and Pay By Link APIs from the shell",
		Long:          "monri runs a demo against an embedded mock, signs and verifies WP3-v2.1 headers offline,\nserves the mock, and calls every Customers and Pay By Link operation.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.Version = version.Read().Version // adds --version, printed by the template
	root.SetVersionTemplate(versionLine())
	root.AddCommand(a.demoCommand(), a.signCommand(), a.verifyCommand(), a.mockCommand(), a.customersCommand(), a.linksCommand())
	root.AddCommand(a.conformanceCommand())
	root.AddCommand(a.versionCommand())
	return root
}
