// Command monri is the shell's way into Monri's Customers and Pay By Link
// APIs: a demo that needs no setup, an offline WP3-v2.1 digest calculator
// and verifier, the mock server, and one command per API operation.
//
//	go run ./cmd/monri demo
//	monri sign --merchant-key-file key.txt --authenticity-token T --path '/v2/customers?limit=1'
//	monri customers list --all | jq .
//
// Exit codes: 0 success, 1 a failed call or check, 2 a usage error, 130
// interrupted. The first SIGINT or SIGTERM cancels the running command; a
// second one exits at once.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	code := process{
		args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		signals: signals, exit: os.Exit, isTerminal: isTerminal,
	}.run(context.Background())
	signal.Stop(signals)
	os.Exit(code)
}

// isTerminal reports whether s is a character device such as a terminal;
// a pipe or a file is not. /dev/null counts as one too, which only adds
// the stdin hint to a read that ends at once.
func isTerminal(s any) bool {
	f, ok := s.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
