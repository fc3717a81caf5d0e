#!/usr/bin/env bash
# Installs Debian's chromium package when no chromium is on PATH (CI runs as
# root on a fresh machine; elsewhere sudo is used when available).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
	exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "install-chromium: run as root, or install Debian's chromium package" >&2; exit 1; }
	sudo="sudo"
fi
echo "chromium: installing Debian's chromium package"
start=$SECONDS
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
if ! { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; } >"$log" 2>&1; then
	cat "$log"
	rm -f "$log"
	exit 1
fi
rm -f "$log"
echo "chromium: installed in $((SECONDS - start))s"
