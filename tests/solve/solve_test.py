#!/usr/bin/env python3
"""tests/solve: run `rota solve` on one instance and judge what it wrote.

usage: solve_test.py ROTA INSTANCE [options]

Always: the exit code is the expected one; stdout is one JSON document (or
nothing with -o); with a roster, `rota check` exits 0 on it and agrees on
the objective, and bound <= objective.  Options add assertions:

  --time-limit S      passed to rota solve (default 5)
  --args "..."        more arguments for rota solve
  --expect-exit N     expected exit code (default 0)
  --optimum X         a proved optimum: bound <= X + 1e-6, objective >= X - 1e-6
  --reach             the objective must equal the optimum (within 1e-6)
  --expect-optimal    the status must be "optimal"
  --reason TEXT       the JSON "reason" must contain TEXT
  --max-seconds S     the run's wall-clock time must stay below S
  --twice             solve twice; the visits must be identical (same seed)
  --selftest          set ROTA_HEUR_SELFTEST (the heuristic checks itself)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def solve(a, out):
    cmd = [a.rota, "solve", a.instance, "-o", out, "--time-limit",
           str(a.time_limit), "--quiet"] + a.args.split()
    env = dict(os.environ)
    # a false bound, a refused roster or a bad column fails the run (exit 1)
    env["ROTA_SOLVE_STRICT"] = "1"
    if a.selftest:
        env["ROTA_HEUR_SELFTEST"] = "1"
    t = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    secs = time.monotonic() - t
    print("$ " + " ".join(cmd))
    print("exit %d in %.2fs" % (p.returncode, secs))
    if p.stderr:
        print(p.stderr[-2000:])
    if p.stdout:
        fail("stdout must be empty with -o, got: " + p.stdout[:200])
    if p.returncode != a.expect_exit:
        fail("exit %d, expected %d" % (p.returncode, a.expect_exit))
    if a.max_seconds and secs > a.max_seconds:
        fail("took %.2fs, more than %.2fs" % (secs, a.max_seconds))
    with open(out) as f:
        return json.load(f)


def check(a, out, doc):
    p = subprocess.run([a.rota, "check", a.instance, out],
                       capture_output=True, text=True)
    print(p.stdout[-2000:] + p.stderr[-2000:])
    if p.returncode != 0:
        fail("rota check exits %d on the roster" % p.returncode)
    obj, bound = doc["objective"], doc["bound"]
    if bound is not None and bound > obj + 1e-6 * max(1, abs(obj)):
        fail("bound %.9f above objective %.9f" % (bound, obj))
    if a.optimum is not None:
        if bound is not None and bound > a.optimum + 1e-6:
            fail("bound %.9f above the optimum %.9f" % (bound, a.optimum))
        if obj < a.optimum - 1e-6:
            fail("objective %.9f below the optimum %.9f" % (obj, a.optimum))
        if a.reach and abs(obj - a.optimum) > 1e-6:
            fail("objective %.9f, optimum %.9f not reached" % (obj, a.optimum))
    if a.expect_optimal and doc["status"] != "optimal":
        fail("status %s, expected optimal" % doc["status"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rota")
    ap.add_argument("instance")
    ap.add_argument("--time-limit", type=float, default=5)
    ap.add_argument("--args", default="")
    ap.add_argument("--expect-exit", type=int, default=0)
    ap.add_argument("--optimum", type=float)
    ap.add_argument("--reach", action="store_true")
    ap.add_argument("--expect-optimal", action="store_true")
    ap.add_argument("--reason")
    ap.add_argument("--max-seconds", type=float)
    ap.add_argument("--twice", action="store_true")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "roster.json")
        doc = solve(a, out)
        print("status %s objective %s bound %s" %
              (doc["status"], doc["objective"], doc["bound"]))
        if a.expect_exit == 0:
            check(a, out, doc)
        elif a.expect_exit == 3 and doc["status"] != "infeasible":
            fail("status %s, expected infeasible" % doc["status"])
        elif a.expect_exit == 4 and doc["status"] != "no_solution":
            fail("status %s, expected no_solution" % doc["status"])
        if a.reason is not None and a.reason not in (doc.get("reason") or ""):
            fail("reason %r does not contain %r" % (doc.get("reason"), a.reason))
        if a.twice:
            doc2 = solve(a, out)
            if doc2["visits"] != doc["visits"]:
                fail("same seed, different visits")
    print("ok")


if __name__ == "__main__":
    main()
