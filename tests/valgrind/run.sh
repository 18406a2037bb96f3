#!/bin/sh
# tests/valgrind/run.sh ROTA SRCDIR - runs the CLI on small inputs under
# valgrind: any memory error or definite leak fails (exit 99 from valgrind).
# Skipped (exit 77) when valgrind is not installed or in a sanitizer build.
set -u
rota=$1 src=$2
command -v valgrind >/dev/null 2>&1 || exit 77
if nm "$rota" 2>/dev/null | grep -q __asan_init; then exit 77; fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
vg() {
    valgrind --quiet --error-exitcode=99 --leak-check=full \
             --errors-for-leak-kinds=definite --track-fds=no "$@"
}
fail=0
expect() { # expect CODE CMD...: the command must exit with CODE
    want=$1; shift
    vg "$@" >/dev/null 2>"$tmp/err"; got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL (exit $got, want $want): $*"; cat "$tmp/err"; fail=1
    fi
}
expect 0 "$rota" solve "$src/instances/tiny-2.yaml" -o "$tmp/t2.json" --time-limit 20 --quiet
expect 0 "$rota" check "$src/instances/tiny-2.yaml" "$tmp/t2.json"
expect 0 "$rota" solve "$src/instances/tiny-3.yaml" -o "$tmp/t3.json" --time-limit 3 --quiet
expect 0 "$rota" validate "$src/instances/rudersdal-cycle2-1.yaml"
expect 0 "$rota" validate "$src/instances/jammerbugt-matrix-1.yaml"
expect 2 "$rota" validate "$src/tests/load/bad/duplicate-key.yaml"
expect 2 "$rota" validate "$src/tests/load/bad/alias-anchor.yaml"
expect 2 "$rota" validate "$src/tests/load/bad/matrix-errors.yaml"
expect 2 "$rota" validate "$src/tests/load/bad/many-errors.yaml"
expect 0 "$rota" check "$src/tests/check/hand/hand.yaml" "$src/tests/check/hand/hand.json" --json
expect 2 "$rota" check "$src/tests/check/hand/hand.yaml" "$src/tests/check/malformed/syntax.json"
sed 's/"objective": [0-9.]*/"objective": 1.5/' "$tmp/t2.json" > "$tmp/bad.json"
expect 3 "$rota" check "$src/instances/tiny-2.yaml" "$tmp/bad.json"
printf '{"format": "rota-roster/1", "format": 1}' > "$tmp/dup.json"
expect 2 "$rota" check "$src/instances/tiny-2.yaml" "$tmp/dup.json"
# explain, conflict, size, pin, diff (issue 5)
expect 0 "$rota" solve "$src/tests/explain/joint.yaml" -o "$tmp/j.json" --time-limit 2 --quiet
expect 3 "$rota" solve "$src/tests/explain/infeasible-allowed.yaml" -o "$tmp/inf.json" --quiet
expect 0 "$rota" size "$src/tests/size/tours.yaml" --time-limit 1 --no-cg --json -o "$tmp/s.json" --team "$tmp/team.yaml"
expect 0 "$rota" pin "$src/instances/tiny-2.yaml" "$tmp/t2.json" --as current --without sw2 -o "$tmp/rp.yaml"
expect 0 "$rota" pin "$src/instances/tiny-2.yaml" "$tmp/t2.json" --site s1 --fragment
expect 3 "$rota" diff "$tmp/t2.json" "$tmp/t3.json" --json
expect 2 "$rota" diff "$tmp/t2.json" "$tmp/dup.json"
exit $fail
