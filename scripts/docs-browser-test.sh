#!/usr/bin/env bash
# Opens build/docs/index.html in real headless Chromium (offline) and checks
# that every operation of openapi/monri.yaml is listed by its summary in the
# DOM the page's scripts build. Saves screenshots in build/screenshots/.
# Run `make docs` (scripts/build-docs.sh) first; `make docs-test` does both.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/spec-common.sh"

if [ ! -f "$BUILD/docs/index.html" ] || [ ! -f "$BUILD/docs/openapi.json" ]; then
	echo "docs-test: build/docs/ is missing; run make docs first" >&2
	exit 1
fi
"$ROOT/scripts/install-chromium.sh"
chromium="$(command -v chromium)"
echo "docs-test: $("$chromium" --version 2>/dev/null | head -n1)"
exec node "$ROOT/scripts/docs-browser-test.mjs" \
	--chromium "$chromium" \
	--page "$BUILD/docs/index.html" \
	--spec "$BUILD/docs/openapi.json" \
	--out "$BUILD/docs-test" \
	--screenshots "$BUILD/screenshots"
