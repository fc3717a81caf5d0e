#!/usr/bin/env bash
# Renders openapi/monri.yaml into one self-contained HTML page with the pinned
# Redocly CLI: build/docs/index.html. --inlineBundle embeds Redoc's scripts, so
# the page needs no network (Redocly's default loads them from its CDN).
# Also writes build/openapi.json (and build/docs/openapi.json, which the docs
# test reads), the same contract converted to JSON by Redocly's bundler, never
# by hand: other teams take that file. It must parse to the same document.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/spec-common.sh"

"$ROOT/scripts/spec-tools.sh"
cd "$ROOT"
out="$BUILD/docs"
rm -rf "$out"
mkdir -p "$out"

log="$out/build-docs.log"
if ! "$BIN/redocly" build-docs "$SPEC" --config "$REDOCLY_CONFIG" --inlineBundle \
	--output "$out/index.html" >"$log" 2>&1; then
	cat "$log"
	exit 1
fi
if ! "$BIN/redocly" bundle "$SPEC" --config "$REDOCLY_CONFIG" --output "$out/openapi.json" >>"$log" 2>&1; then
	cat "$log"
	exit 1
fi

# Self-contained: no script, stylesheet, font or image is loaded from anywhere.
external="$(grep -Eo '<(script|link|img|iframe)\b[^>]*\b(src|href)="(https?:)?//[^"]*"' "$out/index.html" || true)"
if [ -n "$external" ]; then
	echo "build-docs: the page loads resources from the network:"
	echo "$external"
	exit 1
fi
# The JSON form must say exactly what the YAML says (a bundler that dropped or
# rewrote something would hand other teams another contract).
if ! node -e '
const yaml = require(process.argv[1] + "/@stoplight/yaml");
const fs = require("fs");
require("assert").deepStrictEqual(JSON.parse(fs.readFileSync(process.argv[3], "utf8")),
	yaml.parse(fs.readFileSync(process.argv[2], "utf8")));' "$TOOLS/node_modules" "$SPEC" "$out/openapi.json"; then
	echo "build-docs: $out/openapi.json differs from $SPEC"
	exit 1
fi
cp "$out/openapi.json" "$BUILD/openapi.json"
echo "docs: build/openapi.json, build/docs/index.html ($(($(stat -c %s "$out/index.html") / 1024)) KiB, self-contained), build/docs/openapi.json"
