#!/bin/sh
# run.sh ROTA DIR MODE FILE - one golden test of `rota validate`.
#
# Runs in DIR, so that FILE (relative to DIR) is written in messages exactly
# as in the .expected files.
#   MODE bad:  exit code 2, stderr byte for byte equal to FILE's .expected
#   MODE good: exit code 0
set -u
rota=$1 dir=$2 mode=$3 file=$4
case $rota in /*) ;; *) rota=$PWD/$rota ;; esac
cd "$dir" || exit 1
err=$(mktemp) || exit 1
trap 'rm -f "$err"' EXIT
"$rota" validate "$file" >/dev/null 2>"$err"
rc=$?
if [ "$mode" = good ]; then
    if [ $rc -ne 0 ]; then
        echo "rota validate $file: exit $rc, expected 0"
        cat "$err"
        exit 1
    fi
    exit 0
fi
status=0
if [ $rc -ne 2 ]; then
    echo "rota validate $file: exit $rc, expected 2"
    status=1
fi
if ! cmp -s "${file%.yaml}.expected" "$err"; then
    echo "rota validate $file: stderr differs from ${file%.yaml}.expected:"
    diff -u "${file%.yaml}.expected" "$err"
    status=1
fi
exit $status
