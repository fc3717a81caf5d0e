#!/usr/bin/env bash
# Installs the peer of make bench-peer, Stoplight Prism, pinned exactly in
# tools/bench/package.json and package-lock.json, into the git-ignored
# tools/bench/node_modules with `npm ci`, as scripts/spec-tools.sh does for
# the spec linters.
#
# Idempotent: when the pinned version is installed and the lock file is the
# one of the last install, it does nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools/bench"

# No telemetry, update checks or install-time analytics.
export SCARF_ANALYTICS=false DO_NOT_TRACK=1
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

command -v node >/dev/null && command -v npm >/dev/null || {
	echo "bench-tools: node and npm are required (Prism 5.14.2 needs Node 18.20.1+)" >&2
	exit 1
}

stamp="$TOOLS/node_modules/.monri-lock.sha256"
lock_sum="$(sha256sum "$TOOLS/package-lock.json" | cut -d' ' -f1)"

version() {
	node -e 'try { console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version) } catch { console.log("none") }' \
		"$TOOLS/node_modules/@stoplight/prism-cli/package.json"
}
want="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).devDependencies["@stoplight/prism-cli"])' "$TOOLS/package.json")"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] && [ "$(version)" = "$want" ]; then
	echo "bench tools: already installed"
else
	echo "bench tools: npm ci in tools/bench (node $(node --version), npm $(npm --version 2>/dev/null))"
	start=$SECONDS
	rm -f "$stamp"
	# --ignore-scripts: Prism needs no install script; it also skips @scarf/scarf's analytics.
	(cd "$TOOLS" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
	[ "$(version)" = "$want" ] || { echo "bench-tools: npm ci did not install @stoplight/prism-cli $want" >&2; exit 1; }
	echo "$lock_sum" >"$stamp"
	echo "bench tools: installed in $((SECONDS - start))s"
fi
echo "bench tools: @stoplight/prism-cli $(version)"
