#!/usr/bin/env python3
"""tests/replan: re-planning with least change, rota pin and rota diff.

usage: replan_test.py ROTA INSTANCE.yaml --leave STAFF_ID [--time-limit S]
                      [--min-kept SHARE]

1. `rota solve` the instance (roster A, checked).
2. `rota pin INSTANCE A --as current --without STAFF` writes the instance
   with A as current assignments and the staff member gone; it loads.
3. `rota solve` that (roster B), `rota check` accepts B.
4. `rota diff A B --json` is recomputed here from A and B: the same
   changes per visit, the same kept count; every visit STAFF had moved
   to someone else; the share kept is printed and must reach --min-kept.
5. `rota pin INSTANCE A --site X --site Y` pins two sites; a solve keeps
   them exactly (diff: unchanged); `--fragment` gives those pins as YAML.
6. `rota diff A A` exits 0 with no change; a malformed roster exits 2 with
   FILE:LINE:COL.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, expect=0):
    p = subprocess.run(cmd, capture_output=True, text=True)
    print("$ %s\nexit %d" % (" ".join(cmd), p.returncode))
    if p.returncode != expect:
        fail("exit %d, expected %d\n%s%s" % (p.returncode, expect, p.stdout[-2000:], p.stderr[-2000:]))
    return p


def solve(a, inst, out):
    run([a.rota, "solve", inst, "-o", out, "--time-limit", str(a.time_limit), "--quiet"])
    run([a.rota, "check", inst, out])
    with open(out) as f:
        return json.load(f)


def slots(doc):
    out = {}
    for v in doc["visits"]:
        out[(v["site"], v["role"])] = (v["staff"], v["day"], v["start"], tuple(v["weeks"]))
    for u in doc["uncovered"]:
        out[(u["site"], u["role"])] = None
    return out


def changes(a, b):
    if a is None and b is None:
        return []
    if a is None:
        return ["now covered"]
    if b is None:
        return ["now uncovered"]
    return [w for w, i in (("staff", 0), ("day", 1), ("start", 2), ("weeks", 3)) if a[i] != b[i]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rota")
    ap.add_argument("instance")
    ap.add_argument("--leave", required=True)
    ap.add_argument("--time-limit", type=float, default=20)
    ap.add_argument("--min-kept", type=float, default=0.6)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ra, rb = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
        replan = os.path.join(tmp, "replan.yaml")
        A = solve(a, a.instance, ra)
        run([a.rota, "pin", a.instance, ra, "--as", "current", "--without", a.leave, "-o", replan])
        with open(replan) as f:
            y = yaml.safe_load(f)
        if any(s["id"] == a.leave for s in y["staff"]):
            fail("%s is still on the staff" % a.leave)
        cur = [v for s in y["sites"] for v in s["visits"] if "current" in v]
        if len(cur) != len(A["visits"]):
            fail("%d visits with current, expected %d" % (len(cur), len(A["visits"])))
        B = solve(a, replan, rb)
        d = json.loads(run([a.rota, "diff", ra, rb, "--json"], expect=3).stdout)
        sa, sb = slots(A), slots(B)
        want = {k: changes(sa[k], sb[k]) for k in sa}
        got = {(c["site"], c["role"]): c["changes"] for c in d["changes"]}
        for k, w in want.items():
            if w and got.get(k) != w:
                fail("%s: diff says %s, recomputed %s" % (k, got.get(k), w))
        if len(got) != sum(1 for w in want.values() if w):
            fail("diff lists %d changes, recomputed %d" % (len(got), sum(1 for w in want.values() if w)))
        kept = sum(1 for k in sa if sa[k] and sb[k] and not want[k])
        both = sum(1 for k in sa if sa[k] and sb[k])
        if d["kept"] != kept or d["covered_both"] != both:
            fail("kept %d/%d, recomputed %d/%d" % (d["kept"], d["covered_both"], kept, both))
        left = [k for k in sa if sa[k] and sa[k][0] == a.leave]
        for k in left:
            if "staff" not in got.get(k, []):
                fail("%s of %s did not move" % (k, a.leave))
        st = {s["id"]: s for s in d["staff"]}
        if st[a.leave]["after"] != 0 or st[a.leave]["lost"] != len(left):
            fail("%s: %s" % (a.leave, st[a.leave]))
        text = run([a.rota, "diff", ra, rb], expect=3).stdout
        if "%s: %d -> 0 visits" % (a.leave, len(left)) not in text:
            fail("the text diff lacks the leaver's line")
        share = d["kept_share"]
        print("RESULT: %s without %s: %d of %d visits kept staff, day, start and weeks (%.1f%%); %d of them were %s's" %
              (os.path.basename(a.instance), a.leave, kept, both, 100 * share, len(left), a.leave))
        if share < a.min_kept:
            fail("kept share %.3f below %.3f" % (share, a.min_kept))
        # pins: freeze two sites
        sites = [v["site"] for v in A["visits"][:2]]
        pinned, rc = os.path.join(tmp, "pinned.yaml"), os.path.join(tmp, "c.json")
        run([a.rota, "pin", a.instance, ra, "--site", sites[0], "--site", sites[1], "-o", pinned])
        C = solve(a, pinned, rc)
        sc = slots(C)
        for k in sa:
            if k[0] in sites and (sc[k] is None or sc[k][:3] != sa[k][:3]):
                fail("pinned %s moved: %s -> %s" % (k, sa[k], sc[k]))
        frag = yaml.safe_load(run([a.rota, "pin", a.instance, ra, "--site", sites[0], "--fragment"]).stdout)
        v = frag["sites"][0]["visits"][0]
        if frag["sites"][0]["id"] != sites[0] or v["pin"]["staff"] != sa[(sites[0], v["role"])][0]:
            fail("fragment: %s" % frag)
        # no change, malformed
        if "no changes" not in run([a.rota, "diff", ra, ra]).stdout:
            fail("diff of a roster with itself")
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"visits": [{"site": "x", "role": "r", "staff": "s", "day": "funday",\n "start": "09:00", "weeks": [1]}], "uncovered": []}\n')
        p = run([a.rota, "diff", ra, bad], expect=2)
        if not re.search(re.escape(bad) + r":1:\d+: visits\[0\]: day", p.stderr):
            fail("malformed roster message: " + p.stderr)
    print("ok")


main()
