#!/usr/bin/env bash
# make pay-test: a buyer pays a Pay By Link payment page in real headless
# Chromium. TestPayInBrowser (internal/browsertest) serves the mock and a
# shop (monri.CallbackHandler, monri.VerifySuccessRedirect) on 127.0.0.1,
# creates a link, and runs scripts/pay-browser-test.mjs, which drives
# Debian's chromium with the pinned playwright-core (tools/spec; no browser
# download) to click Pay. The test then checks the final URL's digest with
# signer.VerifySuccessURL, the verified callback and the link's status.
# Screenshots: build/screenshots/pay-*.png; the go test log: build/pay-test/.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/spec-common.sh"

"$ROOT/scripts/spec-tools.sh" # installs playwright-core with the spec tools
"$ROOT/scripts/install-chromium.sh"
chromium="$(command -v chromium)"
echo "pay-test: $("$chromium" --version 2>/dev/null | head -n1), playwright-core $(spec_tool_version playwright-core)"

cd "$ROOT"
out="$BUILD/pay-test"
mkdir -p "$out"
rm -f "$BUILD"/screenshots/pay-*.png
log="$out/go-test.log"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 MONRI_BROWSER_TEST=1 MONRI_CHROMIUM="$chromium"
if ! "${GO:-go}" test -count=1 -run '^TestPayInBrowser$' -v ./internal/browsertest/ >"$log" 2>&1; then
	cat "$log"
	echo "pay-test: FAILED (log: build/pay-test/go-test.log)"
	exit 1
fi
if ! grep '^pay-test: ' "$log"; then
	cat "$log"
	echo "pay-test: FAILED: the browser test did not run"
	exit 1
fi
echo "pay-test: passed; screenshots $(cd "$ROOT" && ls build/screenshots/pay-*.png | tr '\n' ' ')"
