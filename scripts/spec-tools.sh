#!/usr/bin/env bash
# Installs the spec tools pinned in tools/spec/package.json and package-lock.json
# (Redocly CLI, Spectral CLI, and playwright-core for make pay-test) into
# tools/spec/node_modules with `npm ci`.
#
# Idempotent: when every pinned package is installed at its exact version and
# the lock file is the one of the last install, it does nothing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/spec-common.sh"

command -v node >/dev/null && command -v npm >/dev/null || {
	echo "spec-tools: node and npm are required (Redocly CLI needs Node 20.19+ or 22.12+)" >&2
	exit 1
}

stamp="$TOOLS/node_modules/.monri-lock.sha256"
lock_sum="$(sha256sum "$TOOLS/package-lock.json" | cut -d' ' -f1)"

# installed: true when every devDependency of package.json is installed at
# exactly the version package.json pins, and the lock file is unchanged.
installed() {
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] || return 1
	node -e 'const fs = require("fs"), dir = process.argv[1];
		const want = JSON.parse(fs.readFileSync(dir + "/package.json", "utf8")).devDependencies;
		for (const [name, version] of Object.entries(want)) {
			let got = "none";
			try { got = JSON.parse(fs.readFileSync(`${dir}/node_modules/${name}/package.json`, "utf8")).version } catch {}
			if (got !== version) process.exit(1);
		}' "$TOOLS"
}

if installed; then
	echo "spec tools: already installed"
else
	echo "spec tools: npm ci in tools/spec (node $(node --version), npm $(npm --version 2>/dev/null))"
	start=$SECONDS
	rm -f "$stamp"
	# --ignore-scripts: no package needs an install script; it also skips the
	# analytics one (@scarf/scarf) that Spectral's packages carry.
	# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core drives Debian's chromium.
	(cd "$TOOLS" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
	echo "$lock_sum" >"$stamp"
	installed || { echo "spec-tools: npm ci did not install the pinned versions" >&2; exit 1; }
	echo "spec tools: installed in $((SECONDS - start))s"
fi
echo "spec tools: @redocly/cli $(spec_tool_version @redocly/cli), @stoplight/spectral-cli $(spec_tool_version @stoplight/spectral-cli), playwright-core $(spec_tool_version playwright-core)"
