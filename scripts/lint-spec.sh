#!/usr/bin/env bash
# Lints openapi/monri.yaml with the pinned Redocly CLI (recommended ruleset,
# tools/spec/redocly.yaml) and Spectral CLI (spectral:oas plus monri-go's
# description rules, tools/spec/.spectral.yaml).
#
# Fails on any error or warning from either tool, and on any problem Redocly
# was told to ignore: the contract stays clean, no rule is switched off.
# Machine-readable results are left in build/lint/.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/spec-common.sh"

"$ROOT/scripts/spec-tools.sh"
cd "$ROOT"
out="$BUILD/lint"
mkdir -p "$out"
rm -f "$out"/redocly.* "$out"/spectral.*
failed=0

echo "== Redocly CLI $(spec_tool_version @redocly/cli): lint, recommended ruleset"
# JSON first, for exact counts; the human format only when there is something to show.
"$BIN/redocly" lint "$SPEC" --config "$REDOCLY_CONFIG" --lint-config=error --format=json \
	>"$out/redocly.json" 2>"$out/redocly.log" || true
if ! counts="$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals;
		console.log(`${r.errors} ${r.warnings} ${r.ignored}`)' "$out/redocly.json" 2>/dev/null)"; then
	echo "redocly: no result; its output:"
	cat "$out/redocly.log" "$out/redocly.json"
	exit 1
fi
read -r errors warnings ignored <<<"$counts"
echo "redocly: $errors errors, $warnings warnings, $ignored ignored"
if [ "$errors" != 0 ] || [ "$warnings" != 0 ] || [ "$ignored" != 0 ]; then
	"$BIN/redocly" lint "$SPEC" --config "$REDOCLY_CONFIG" --format=codeframe 2>&1 | grep -v '[║╔╚]' || true
	[ "$ignored" = 0 ] || echo "redocly: problems are being ignored (.redocly.lint-ignore.yaml?); fix them instead"
	failed=1
fi

echo "== Spectral CLI $(spec_tool_version @stoplight/spectral-cli): lint, spectral:oas + monri rules"
"$BIN/spectral" lint "$SPEC" --ruleset "$SPECTRAL_RULESET" --format=json --output="$out/spectral.json" \
	--fail-severity=hint --quiet >"$out/spectral.log" 2>&1 || true
if ! counts="$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const n = [0, 0, 0, 0]; for (const x of r) n[x.severity]++; console.log(n.join(" "))' "$out/spectral.json" 2>/dev/null)"; then
	echo "spectral: no result; its output:"
	cat "$out/spectral.log"
	exit 1
fi
read -r errors warnings infos hints <<<"$counts"
echo "spectral: $errors errors, $warnings warnings, $infos infos, $hints hints"
if [ "$errors" != 0 ] || [ "$warnings" != 0 ]; then
	"$BIN/spectral" lint "$SPEC" --ruleset "$SPECTRAL_RULESET" --format=stylish || true
	failed=1
fi

if [ "$failed" != 0 ]; then
	echo "lint-spec: FAILED (fix openapi/monri.yaml; see build/lint/)"
	exit 1
fi
echo "lint-spec: both linters report no problems"
