// Command apicheck records the exported Go API of each public package in
// api/<name>.txt and checks that the files match the code.
//
//	go run ./internal/cmd/apicheck -w   # make api: rewrite the files
//	go run ./internal/cmd/apicheck      # make check-api: fail on a difference
//
// Each line is one exported declaration, "pkg <path>, <kind> <name> ...",
// sorted, read from the source with go/parser alone: parameter names, doc
// comments, struct tags and unexported code do not appear, so only a change
// a caller can see changes a file. It is the std library's parser rather
// than golang.org/x/exp/cmd/apidiff because apidiff's recorded form is
// binary export data, which cannot be read in a review, and it would be one
// more pinned module for a list the parser gives in a few hundred lines.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// module is the module path; the packages below are relative to its root.
const module = "github.com/monri-go/monri"

// packages are the public packages and their files under api/. Everything
// else is a command or under internal/.
var packages = []pkg{
	{".", "monri.txt"},
	{"gen", "gen.txt"},
	{"mock", "mock.txt"},
	{"openapi", "openapi.txt"},
	{"signer", "signer.txt"},
	{"spectest", "spectest.txt"},
	{"wire", "wire.txt"},
}

// pkg is a package directory, relative to the module root, and its file
// under api/.
type pkg struct{ dir, file string }

const header = "# The exported API, written by `make api` (go run ./internal/cmd/apicheck -w). Do not edit.\n"

func main() {
	write := flag.Bool("w", false, "rewrite the files instead of checking them")
	root := flag.String("root", ".", "the module's root directory")
	flag.Parse()
	if err := run(*root, packages, *write, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run writes or checks every package's file under root/api, and says on
// out what differs.
func run(root string, pkgs []pkg, write bool, out io.Writer) error {
	stale := 0
	var report strings.Builder
	for _, p := range pkgs {
		importPath := module
		if p.dir != "." {
			importPath += "/" + p.dir
		}
		lines, err := api(filepath.Join(root, p.dir), importPath)
		if err != nil {
			return err
		}
		want := []byte(header + strings.Join(lines, "\n") + "\n")
		path := filepath.Join(root, "api", p.file)
		if write {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { //nolint:gosec // a source folder of the repository
				return err
			}
			if err := os.WriteFile(path, want, 0o644); err != nil { //nolint:gosec // committed files, readable like the rest of the checkout
				return err
			}
			continue
		}
		got, err := os.ReadFile(path) //nolint:gosec // path is api/<name>.txt from the fixed list above
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		if bytes.Equal(got, want) {
			continue
		}
		stale++
		fmt.Fprintf(&report, "api/%s differs from the code:\n", p.file)
		removed, added := diff(parse(got), lines)
		for _, l := range removed {
			fmt.Fprintf(&report, "  - %s\n", l)
		}
		for _, l := range added {
			fmt.Fprintf(&report, "  + %s\n", l)
		}
	}
	if _, err := io.WriteString(out, report.String()); err != nil {
		return err
	}
	if stale > 0 {
		return fmt.Errorf("apicheck: the exported API changed (%d file(s)); run make api and add a CHANGELOG entry", stale)
	}
	return nil
}

// parse reads a file's lines back, without the header and blank lines.
func parse(b []byte) []string {
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// diff returns the lines only in old (removed) and only in cur (added).
func diff(old, cur []string) (removed, added []string) {
	inOld := make(map[string]bool, len(old))
	for _, l := range old {
		inOld[l] = true
	}
	inNew := make(map[string]bool, len(cur))
	for _, l := range cur {
		inNew[l] = true
		if !inOld[l] {
			added = append(added, l)
		}
	}
	for _, l := range old {
		if !inNew[l] {
			removed = append(removed, l)
		}
	}
	return removed, added
}
