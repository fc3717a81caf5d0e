# Sourced by the scripts/*spec* and docs scripts: where things are, and the
# environment the pinned spec tools (tools/spec/) always run with.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/tools/spec"
BIN="$TOOLS/node_modules/.bin"
BUILD="$ROOT/build"
# Paths relative to $ROOT, so that tool output names files the way the repo does.
SPEC="${MONRI_SPEC:-openapi/monri.yaml}"  # MONRI_SPEC: lint or render another copy
REDOCLY_CONFIG="tools/spec/redocly.yaml"
SPECTRAL_RULESET="tools/spec/.spectral.yaml"

# No telemetry, update checks or install-time analytics from any of the tools.
export REDOCLY_TELEMETRY=off                # Redocly CLI usage telemetry (also `telemetry: off` in redocly.yaml)
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true  # Redocly CLI "new version" check
export SCARF_ANALYTICS=false                # @scarf/scarf, an install script of Spectral's (npm ci also runs with --ignore-scripts)
export DO_NOT_TRACK=1
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# spec_tool_version NAME: the version of an installed tools/spec package.
spec_tool_version() {
	node -e 'const fs = require("fs");
		try { console.log(JSON.parse(fs.readFileSync(process.argv[1] + "/package.json", "utf8")).version) }
		catch { console.log("none") }' "$TOOLS/node_modules/$1"
}
