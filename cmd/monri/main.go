// Command monri is the shell's way into Monri's Customers and Pay By Link
// APIs: a demo that needs no setup, an offline WP3-v2.1 digest calculator
// and verifier, the mock server, and one command per API operation.
//
//	go run ./cmd/monri demo
//	monri sign --merchant-key K --authenticity-token T --path '/v2/customers?limit=1'
//	monri customers list --all | jq .
//
// Exit codes: 0 success, 1 a failed call or check, 2 a usage error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
