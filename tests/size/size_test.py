#!/usr/bin/env python3
"""tests/size: `rota size` against an exhaustive search.

usage: size_test.py ROTA INSTANCE.yaml --role R [--expect-proof KIND]

1. `rota size --json -o ROSTER --team TEAM` exits 0 with a least size K,
   proved; `rota check TEAM ROSTER` accepts the roster; TEAM has K staff
   of the role.
2. For every k from 0 to K + 1 the test builds the team itself (the
   role's staff in file order, the last removed, fresh 37-hour positions
   at the first member's office added) and asks for the least number of
   uncovered visits: `rota solve` with soft coverage, every weight 0 but
   uncovered 1 and every need 1, which on these tiny instances enumerates
   every column and must end `optimal`.  k covers everything exactly when
   that optimum is 0; the least such k must be K, and the table's
   "covers_all" must agree for every k it lists.
"""
import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

import yaml


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    print("$ %s\nexit %d" % (" ".join(cmd), p.returncode))
    return p


def team(doc, role, k):
    d = copy.deepcopy(doc)
    members = [s for s in d["staff"] if s["role"] == role]
    office = members[0]["office"] if members else d["offices"][0]["id"]
    staff = list(d["staff"])
    n = len(members)
    for s in reversed(list(staff)):
        if n <= k:
            break
        if s["role"] == role:
            staff.remove(s)
            n -= 1
    i = 1
    while n < k:
        staff.append({"id": "new-%s-%d" % (role, i), "name": "new", "role": role,
                      "hours": 37, "office": office})
        i += 1
        n += 1
    d["staff"] = staff
    return d


def least_uncovered(rota, doc, tmp, k):
    d = copy.deepcopy(doc)
    d.setdefault("rules", {})["coverage"] = "soft"
    d["objective"] = {"travel": 0, "continuity": 0, "slot_change": 0,
                      "preference": 0, "balance": 0, "uncovered": 1}
    for s in d["sites"]:
        s["need"] = 1
    if not d["staff"]:
        return len([v for s in d["sites"] for v in s["visits"]])
    path = os.path.join(tmp, "k%d.yaml" % k)
    with open(path, "w") as f:
        yaml.safe_dump(d, f, sort_keys=False)
    p = run([rota, "solve", path, "--time-limit", "30", "--quiet"])
    if p.returncode != 0:
        fail("exact solve at k=%d: exit %d %s" % (k, p.returncode, p.stderr))
    r = json.loads(p.stdout)
    if r["status"] != "optimal":
        fail("exact solve at k=%d not optimal: %s" % (k, r["status"]))
    return round(r["objective"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rota")
    ap.add_argument("instance")
    ap.add_argument("--role", required=True)
    ap.add_argument("--expect-proof")
    a = ap.parse_args()
    with open(a.instance) as f:
        doc = yaml.safe_load(f)
    with tempfile.TemporaryDirectory() as tmp:
        roster, teamf = os.path.join(tmp, "r.json"), os.path.join(tmp, "t.yaml")
        p = run([a.rota, "size", a.instance, "--role", a.role, "--json",
                 "--time-limit", "5", "-o", roster, "--team", teamf, "--quiet"])
        if p.returncode != 0:
            fail("rota size exit %d: %s" % (p.returncode, p.stderr))
        res = json.loads(p.stdout)
        print(json.dumps(res, indent=1)[:3000])
        K = res["least"]
        if K is None or not res["proved"]:
            fail("least %s, proved %s" % (K, res["proved"]))
        c = run([a.rota, "check", teamf, roster])
        if c.returncode != 0:
            fail("rota check refuses the roster at K: " + c.stdout + c.stderr)
        with open(teamf) as f:
            t = yaml.safe_load(f)
        if sum(s["role"] == a.role for s in t["staff"]) != K:
            fail("the team written does not have %d %s" % (K, a.role))
        rows = {r["k"]: r for r in res["rows"]}
        if a.expect_proof and rows.get(K - 1, {}).get("proof") != a.expect_proof:
            fail("k=%d proved by %s, expected %s" % (K - 1, rows.get(K - 1), a.expect_proof))
        exact = {}
        for k in range(0, K + 2):
            exact[k] = least_uncovered(a.rota, team(doc, a.role, k), tmp, k)
            print("k=%d: at least %d visit(s) uncovered" % (k, exact[k]))
        least = min(k for k in exact if exact[k] == 0)
        if least != K:
            fail("exhaustive search says %d, rota size %d" % (least, K))
        for k, r in rows.items():
            if k in exact and r["covers_all"] is not None and r["covers_all"] != (exact[k] == 0):
                fail("k=%d: covers_all %s but the least uncovered is %d" % (k, r["covers_all"], exact[k]))
    print("ok: K = %d" % K)


main()
