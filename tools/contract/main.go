// Command contract is the breaking-change gate of make check-contract: it
// compares openapi/monri.yaml with the last released contract using oasdiff
// and fails on a breaking change, unless the major version was bumped and
// openapi/CHANGELOG.md lists the change under that version's "Breaking".
//
// It lives in its own module (tools/contract/go.mod) so that oasdiff and its
// dependencies pin here and never enter the SDK's go.mod.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	base := flag.String("base", "../../openapi/released/monri.yaml", "the last released contract")
	revision := flag.String("revision", "../../openapi/monri.yaml", "the contract to check")
	changelog := flag.String("changelog", "../../openapi/CHANGELOG.md", "the contract's CHANGELOG")
	flag.Parse()

	read := func(path string) []byte {
		b, err := os.ReadFile(path) //nolint:gosec // G304: the contracts and CHANGELOG the flags name
		if err != nil {
			fmt.Fprintln(os.Stderr, "check-contract:", err)
			os.Exit(2)
		}
		return b
	}
	v, err := Check(read(*base), read(*revision), read(*changelog))
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-contract:", err)
		os.Exit(2)
	}
	fmt.Print(v.Report())
	if !v.Pass {
		os.Exit(1)
	}
}
