#!/usr/bin/env python3
"""case.py - runs `rota check` on one case and asserts what it says.

usage: case.py ROTA DIR INSTANCE ROSTER --exit N [--expect REGEX ...]
               [--only-rule N] [--figures-ok] [--stderr FILE] [--no-stdout]
               [--stdout-to FILE] [-- ARGS...]

Runs `ROTA check INSTANCE ROSTER ARGS...` in DIR (so messages carry the
short file names) and checks: the exit status; every REGEX matches some
line of stdout; with --only-rule N, every rule line names rule N (and
there is one); with --figures-ok, no figure line; with --stderr, stderr
equals that file exactly.
"""
import argparse
import os
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rota")
    ap.add_argument("dir")
    ap.add_argument("instance")
    ap.add_argument("roster")
    ap.add_argument("--exit", type=int, required=True)
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--only-rule", type=int)
    ap.add_argument("--figures-ok", action="store_true")
    ap.add_argument("--stderr")
    ap.add_argument("--no-stdout", action="store_true")
    ap.add_argument("--stdout-to", help="send rota's stdout to this file (/dev/full)")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    a = ap.parse_args(argv[:len(argv) - len(extra) - (1 if extra or "--" in argv else 0)])
    a.args = extra
    rota = os.path.abspath(a.rota)   # run from DIR below
    cmd = [rota, "check", a.instance, a.roster] + a.args
    if a.stdout_to:
        with open(a.stdout_to, "w") as sink:
            p = subprocess.run(cmd, cwd=a.dir, stdout=sink,
                               stderr=subprocess.PIPE, text=True)
        out, err = "", p.stderr
    else:
        p = subprocess.run(cmd, cwd=a.dir, capture_output=True, text=True)
        out, err = p.stdout, p.stderr
    sys.stdout.write(out)
    sys.stdout.write(err)
    problems = []
    if p.returncode != a.exit:
        problems.append("exit %d, expected %d" % (p.returncode, a.exit))
    lines = out.splitlines()
    for rx in a.expect:
        if not any(re.search(rx, l) for l in lines):
            problems.append("no line matches %r" % rx)
    rules = [int(m.group(1)) for l in lines for m in [re.search(r"\brule (\d+) \(", l)] if m]
    if a.only_rule is not None and (not rules or set(rules) != {a.only_rule}):
        problems.append("rules named %s, expected only rule %d" % (rules, a.only_rule))
    if a.figures_ok and any(re.search(r"(^|: )figure \S+: ", l) for l in lines):
        problems.append("figure mismatches reported")
    if a.stderr:
        with open(a.stderr, encoding="utf-8") as f:
            want = f.read()
        if err != want:
            problems.append("stderr differs from %s:\n--- expected\n%s--- got\n%s" % (a.stderr, want, err))
    if a.no_stdout and out:
        problems.append("stdout is not empty")
    for x in problems:
        print("FAIL: " + x)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
