#!/bin/sh
# lint_openapi.sh REDOCLY OPENAPI.json - lints with @redocly/cli's recommended
# rules; fails on any error or warning.
if [ ! -x "$1" ]; then
    echo "$1 is missing: run 'npm ci' in tests/serve"
    exit 1
fi
out=$("$1" lint "$2" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || exit 1
echo "$out" | grep -q "Your API description is valid" || exit 1
if echo "$out" | grep -qi "warning"; then exit 1; fi
exit 0
