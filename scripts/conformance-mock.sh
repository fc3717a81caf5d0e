#!/usr/bin/env bash
# monri conformance against monri mock, both as built binaries: the CLI's
# black-box path from flags to exit code. The mock listens on a free loopback
# port that it prints; a trap stops it however this script ends. Then no
# customer may be left in the mock, and no recorded file may hold the
# credentials or an Authorization value.
set -euo pipefail
cd "$(dirname "$0")/.."
GO="${GO:-go}"

work="$(mktemp -d)"
mock_pid=""
cleanup() {
	if [ -n "$mock_pid" ]; then
		kill "$mock_pid" 2>/dev/null || true
		wait "$mock_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

"$GO" build -o "$work/monri" ./cmd/monri

# The mock's first line names its URL; read it through a FIFO, which blocks
# until the line is written (bounded by read -t), so nothing sleeps or polls.
mkfifo "$work/out"
"$work/monri" mock --addr 127.0.0.1:0 >"$work/out" 2>"$work/mock.err" &
mock_pid=$!
exec 3<"$work/out"
if ! IFS= read -r -t 60 first <&3; then
	echo "monri mock did not start:"; cat "$work/mock.err"; exit 1
fi
cat <&3 >/dev/null & # keep draining the mock's stdout
url="${first##* }"
case "$url" in
http://127.0.0.1:*) ;;
*) echo "unexpected first line from monri mock: $first"; exit 1 ;;
esac

# The mock's default test credentials: the docs' example (mock.DefaultMerchantKey, mock.DefaultAuthenticityToken).
set +e
MONRI_MERCHANT_KEY=qwert1234 MONRI_AUTHENTICITY_TOKEN=7db11ea5d4a1af32421b564c79b946d1ead3daf0 \
	"$work/monri" conformance --base-url "$url" --record "$work/record"
code=$?
set -e
if [ "$code" -ne 0 ]; then
	echo "monri conformance against monri mock exited $code, want 0"
	exit 1
fi
# The run cleans up after itself: the fresh mock has no customer left.
left="$(MONRI_MERCHANT_KEY=qwert1234 MONRI_AUTHENTICITY_TOKEN=7db11ea5d4a1af32421b564c79b946d1ead3daf0 \
	"$work/monri" customers list --base-url "$url" --compact)"
if [ "$left" != "[]" ]; then
	echo "monri conformance left customers in monri mock: $left"
	exit 1
fi
# --record never writes the key, the token or an Authorization value.
if leaks="$(grep -rlF -e qwert1234 -e 7db11ea5d4a1af32421b564c79b946d1ead3daf0 -e 'WP3-v2.1' "$work/record")"; then
	echo "monri conformance --record wrote credentials or an Authorization value into:"
	echo "$leaks"
	exit 1
fi
echo "monri conformance: every check passed against monri mock ($(ls "$work/record" | wc -l) exchanges recorded)"
