#!/usr/bin/env bash
# make consumer-test: proof that the published contract serves a non-Go team.
# Generates a TypeScript client from openapi/monri.yaml with the pinned
# openapi-typescript (tools/consumer, npm ci), type-checks it and the test
# with tsc --strict, and runs the test with node: it starts
# `go run ./cmd/monri mock` on a free loopback port and calls all nine
# operations and two error cases through openapi-fetch, signing in a
# middleware. Everything it writes goes to build/consumer/.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/spec-common.sh"
CONSUMER="$ROOT/tools/consumer"
out="$BUILD/consumer"

command -v node >/dev/null && command -v npm >/dev/null || { echo "consumer-test: node and npm are required" >&2; exit 1; }
stamp="$CONSUMER/node_modules/.monri-lock.sha256"
lock_sum="$(sha256sum "$CONSUMER/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
	echo "consumer-test: npm ci in tools/consumer"
	rm -f "$stamp"
	(cd "$CONSUMER" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
	echo "$lock_sum" >"$stamp"
fi

rm -rf "$out"
mkdir -p "$out/src"
cp "$CONSUMER"/src/*.ts "$out/src/"
cp "$CONSUMER/tsconfig.json" "$CONSUMER/package.json" "$out/"
ln -s "$CONSUMER/node_modules" "$out/node_modules"
bin="$CONSUMER/node_modules/.bin"

echo "consumer-test: openapi-typescript $("$bin/openapi-typescript" --version 2>/dev/null | tr -d '\n'), typescript $("$bin/tsc" --version | cut -d' ' -f2)"
"$bin/openapi-typescript" "$ROOT/openapi/monri.yaml" --output "$out/src/monri.ts" >"$out/openapi-typescript.log" 2>&1 ||
	{ cat "$out/openapi-typescript.log"; exit 1; }
"$bin/tsc" -p "$out/tsconfig.json"
echo "consumer-test: tsc --strict: no errors"
cd "$ROOT"
exec node "$out/dist/main.js" "$ROOT"
