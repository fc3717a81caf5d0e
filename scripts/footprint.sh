#!/usr/bin/env bash
# What monri costs an application's module graph, checked against ceilings.
#
# 1. A throwaway module importing monri and signer, tidied against this
#    checkout (replace), may require only the runtime's modules and keep at
#    most MAX_SUM_LINES lines of go.sum.
# 2. One that also imports mock may require no module its build does not
#    link (the generator and the linters stay out), within its own ceilings.
# 3. The CLI links neither testing nor net/http/httptest.
#
# Run by `make footprint` and CI. Needs only Go; modules come from the cache
# or the module proxy. Raise a ceiling only with a reason in the commit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GO="${GO:-go}"

# The facade's runtime: oapi-codegen's runtime and what it needs.
ALLOWED_REQUIRES="github.com/apapsch/go-jsonmerge/v2 github.com/google/uuid github.com/oapi-codegen/runtime"
MAX_REQUIRES=3
MAX_SUM_LINES=36
# With mock: kin-openapi and what it links, plus one module its tests use.
MAX_MOCK_REQUIRES=11
MAX_MOCK_SUM_LINES=52
# Build tools this repository pins (go.mod's tool directive, tools/*/go.mod):
# no application may ever be made to require them.
FORBIDDEN_REQUIRES="github.com/oapi-codegen/oapi-codegen/v2 github.com/oasdiff/oasdiff github.com/golangci/golangci-lint/v2 honnef.co/go/tools github.com/speakeasy-api/openapi golang.org/x/tools"

work="$(mktemp -d)"; [ -z "${KEEP:-}" ] || echo "work: $work"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export GOWORK=off GOFLAGS=-mod=mod

fail=0
problem() { echo "footprint: $*" >&2; fail=1; }

# consumer DIR IMPORTS...: a module whose one package imports the given
# monri packages, tidied against this checkout.
consumer() {
	local dir="$1"
	shift
	mkdir -p "$dir"
	{
		echo "module example.com/footprint"
		echo
		echo "go 1.25.0"
		echo
		echo "require github.com/monri-go/monri v0.0.0-00010101000000-000000000000"
		echo
		echo "replace github.com/monri-go/monri => $ROOT"
	} >"$dir/go.mod"
	{
		echo "// Package main uses the packages an application would."
		echo "package main"
		echo
		echo "import ("
		for p in "$@"; do echo "	_ \"github.com/monri-go/monri$p\""; done
		echo ")"
		echo
		echo "func main() {}"
	} >"$dir/main.go"
	(cd "$dir" && "$GO" mod tidy)
}

# requires DIR: the modules DIR's go.mod requires, but monri itself.
requires() {
	awk '/^require \(/{b=1;next} b&&/^\)/{b=0;next} b{print $1;next} /^require [^(]/{print $2}' "$1/go.mod" |
		grep -vx 'github.com/monri-go/monri' | sort -u
}

echo "== an application importing monri and signer"
consumer "$work/app" "" /signer
reqs="$(requires "$work/app")"
nreq=$(printf '%s\n' "$reqs" | grep -c . || true)
nsum=$(wc -l <"$work/app/go.sum")
echo "requirements: $nreq (ceiling $MAX_REQUIRES): $(echo $reqs)"
echo "go.sum lines: $nsum (ceiling $MAX_SUM_LINES)"
[ "$nreq" -le "$MAX_REQUIRES" ] || problem "monri and signer need $nreq requirements, more than $MAX_REQUIRES"
[ "$nsum" -le "$MAX_SUM_LINES" ] || problem "monri and signer need $nsum go.sum lines, more than $MAX_SUM_LINES"
for r in $reqs; do
	case " $ALLOWED_REQUIRES " in
	*" $r "*) ;;
	*) problem "monri and signer require $r, which is not the runtime's" ;;
	esac
done

echo "== an application importing monri, signer and mock"
consumer "$work/mockapp" "" /signer /mock
reqs="$(requires "$work/mockapp")"
modules() { grep -vx 'github.com/monri-go/monri' | sort -u || true; }
linked="$(cd "$work/mockapp" && "$GO" list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}' . | modules)"
# go mod tidy also keeps what the tests of the imported packages need
# (kin-openapi's YAML library tests with gopkg.in/check.v1); those modules
# are never linked but are no cost of monri's making.
pkgs="$(cd "$work/mockapp" && "$GO" list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' .)"
tested="$(cd "$work/mockapp" && "$GO" list -deps -test -f '{{with .Module}}{{if not .Main}}{{.Path}}{{end}}{{end}}' $pkgs | modules)"
nreq=$(printf '%s\n' "$reqs" | grep -c . || true)
nlinked=$(printf '%s\n' "$linked" | grep -c . || true)
fortests="$(comm -23 <(printf '%s\n' "$reqs") <(printf '%s\n' "$linked") | grep . || true)"
echo "requirements: $nreq (ceiling $MAX_MOCK_REQUIRES); modules linked: $nlinked; required but not linked: $(printf '%s\n' "$fortests" | grep -c . || true) ($(echo $fortests)); go.sum lines: $(wc -l <"$work/mockapp/go.sum") (ceiling $MAX_MOCK_SUM_LINES)"
[ "$nreq" -le "$MAX_MOCK_REQUIRES" ] || problem "monri, signer and mock need $nreq requirements, more than $MAX_MOCK_REQUIRES"
nsum=$(wc -l <"$work/mockapp/go.sum")
[ "$nsum" -le "$MAX_MOCK_SUM_LINES" ] || problem "monri, signer and mock need $nsum go.sum lines, more than $MAX_MOCK_SUM_LINES"
for r in $reqs $(requires "$work/app"); do
	case " $FORBIDDEN_REQUIRES " in
	*" $r "*) problem "an application importing monri requires $r, a build tool of this repository" ;;
	esac
done
stray="$(comm -23 <(printf '%s\n' "$reqs") <(printf '%s\n' "$tested") | grep . || true)"
if [ -n "$stray" ]; then
	problem "importing mock requires modules that neither its build nor its packages' tests use: $(echo $stray)"
fi

echo "== the CLI links no test machinery"
testpkgs="$(cd "$ROOT" && "$GO" list -deps ./cmd/monri | grep -xE 'testing|net/http/httptest|testing/.*' || true)"
if [ -n "$testpkgs" ]; then
	problem "cmd/monri links $(echo $testpkgs)"
else
	echo "cmd/monri: no testing, no net/http/httptest"
fi

if [ "$fail" -ne 0 ]; then
	exit 1
fi
echo "footprint: ok"
