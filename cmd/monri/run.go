package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/spf13/cobra"

	"github.com/monri-go/monri/internal/version"
	"github.com/monri-go/monri/mock"
)

// Exit codes, documented in `monri --help` and the README.
const (
	exitOK          = 0
	exitFail        = 1
	exitUsage       = 2
	exitInterrupted = 130
)

const exitCodesHelp = `Exit codes:
  0    success
  1    Monri or the network failed, a check failed (verify: invalid), or stdout could not be written
  2    usage error: a flag, argument or --data problem; nothing was sent
  130  interrupted (Ctrl-C or SIGTERM)`

// app is what every command shares: its streams, the environment and the
// process hooks, passed in so tests run commands in-process.
type app struct {
	stdin io.Reader
	// stdout and stderr remember their first write error (see stream).
	stdout, stderr *stream
	getenv         func(string) string
	// isTerminal reports whether a stream is a terminal.
	isTerminal func(any) bool
	// compact is --compact: one line of JSON even on a terminal.
	compact bool
	// transport carries the demo's requests; nil means http.DefaultTransport.
	transport http.RoundTripper
	// mockOptions are added to monri mock's own (tests observe the mock).
	mockOptions []mock.Option
	// interrupted is set by the first signal.
	interrupted atomic.Bool
}

// process is one run of the CLI: arguments, streams and the OS hooks.
type process struct {
	args           []string
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// signals delivers SIGINT and SIGTERM; nil means none arrive.
	signals <-chan os.Signal
	// exit ends the process at once, on a second signal.
	exit func(code int)
	// isTerminal reports whether a stream is a terminal; nil means never.
	isTerminal func(any) bool
	// transport, when not nil, carries the demo's requests (tests).
	transport http.RoundTripper
	// mockOptions are added to monri mock's own options (tests).
	mockOptions []mock.Option
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

// run executes the command line without signals and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return process{args: args, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}.run(ctx)
}

// run executes the command line and returns the exit code. The first
// signal cancels the command's context; a second one calls p.exit.
func (p process) run(parent context.Context) int {
	isTerminal := p.isTerminal
	if isTerminal == nil {
		isTerminal = func(any) bool { return false }
	}
	a := &app{stdin: p.stdin, stdout: newStream(p.stdout), stderr: newStream(p.stderr), getenv: p.getenv, isTerminal: isTerminal, transport: p.transport, mockOptions: p.mockOptions}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	if p.signals != nil {
		done := make(chan struct{})
		defer close(done)
		go a.watchSignals(p.signals, cancel, p.exit, done)
	}

	root := a.rootCommand()
	root.SetArgs(p.args)
	root.SetIn(p.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	werr := a.stdout.failed()
	if err == nil && werr == nil {
		return exitOK
	}
	if err != nil && a.interrupted.Load() {
		a.stderr.println("monri: interrupted")
		return exitInterrupted
	}
	// Output that could not be written fails the command, however it was
	// printed: a line, JSON (err wraps werr) or cobra's help and version.
	if werr != nil && (err == nil || errors.Is(err, werr)) {
		a.stderr.println("monri: write output:", werr)
		return exitFail
	}
	var usage usageError
	switch {
	case errors.Is(err, errReported):
		return exitFail
	case errors.As(err, &usage) || isCobraUsage(err):
		path := "monri"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		a.stderr.printf("monri: %s\nRun '%s --help' for usage.\n", strings.TrimPrefix(err.Error(), "monri: "), path)
		return exitUsage
	}
	a.stderr.println(describeFailure(err))
	return exitFail
}

// watchSignals cancels the commands' context on the first signal and exits
// with 130 on the second, for a command that does not stop.
func (a *app) watchSignals(signals <-chan os.Signal, cancel context.CancelFunc, exit func(int), done <-chan struct{}) {
	select {
	case <-signals:
		a.interrupted.Store(true)
		cancel()
	case <-done:
		return
	}
	select {
	case <-signals:
		a.stderr.println("monri: interrupted again: exiting now")
		if exit != nil {
			exit(exitInterrupted)
		}
	case <-done:
	}
}

// cobraUsage matches cobra's own messages for an unknown command or bad arguments.
var cobraUsage = regexp.MustCompile(`^(unknown command|unknown flag|unknown shorthand|accepts |requires |invalid argument|flag needs|required flag|bad flag syntax)`)

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
		Use:   "monri",
		Short: "Monri's Customers and Pay By Link APIs from the shell",
		Long: "monri runs a demo against an embedded mock, signs and verifies WP3-v2.1 headers offline,\n" +
			"serves the mock, and calls every Customers and Pay By Link operation.\n\n" +
			"Credentials come from MONRI_MERCHANT_KEY and MONRI_AUTHENTICITY_TOKEN, or from\n" +
			"--merchant-key-file and --authenticity-token-file (- reads standard input).\n" +
			"JSON goes to stdout, indented on a terminal and one line when piped (or with --compact).\n\n" +
			exitCodesHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVar(&a.compact, "compact", false, "print JSON on one line, even on a terminal")
	root.SetFlagErrorFunc(flagError)
	root.Version = version.Read().Version // adds --version, printed by the template
	root.SetVersionTemplate(versionLine())
	root.AddCommand(a.demoCommand(), a.signCommand(), a.verifyCommand(), a.mockCommand(), a.customersCommand(), a.linksCommand())
	root.AddCommand(a.conformanceCommand())
	root.AddCommand(a.versionCommand())
	return group(root)
}

// group makes cmd a command that only holds subcommands: run bare or with
// an unknown subcommand it is a usage error that suggests the closest one.
// Unknown flags are ignored there so that the subcommand's name is what
// gets reported, not a flag meant for it.
func group(cmd *cobra.Command) *cobra.Command {
	cmd.Args = cobra.ArbitraryArgs
	cmd.SuggestionsMinimumDistance = 2
	cmd.FParseErrWhitelist.UnknownFlags = true
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var names []string
		for _, c := range cmd.Commands() {
			if c.IsAvailableCommand() {
				names = append(names, c.Name())
			}
		}
		if len(args) == 0 {
			if !cmd.HasParent() {
				return cmd.Help()
			}
			return usagef("%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(names, ", "))
		}
		return unknownSubcommand(cmd, args[0], names)
	}
	return cmd
}

// unknownSubcommand is the usage error for a subcommand cmd does not have,
// suggesting the closest of names.
func unknownSubcommand(cmd *cobra.Command, name string, names []string) error {
	cmd.SuggestionsMinimumDistance = 2
	msg := fmt.Sprintf("unknown command %q for %q", name, cmd.CommandPath())
	if s := cmd.SuggestionsFor(name); len(s) > 0 {
		slices.SortStableFunc(s, func(x, y string) int { return editDistance(name, x) - editDistance(name, y) })
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	} else {
		msg += "; it has " + strings.Join(names, ", ")
	}
	return usagef("%s", msg)
}

// editDistance is the Levenshtein distance, to pick the closest suggestion.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
