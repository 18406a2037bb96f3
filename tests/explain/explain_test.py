#!/usr/bin/env python3
"""tests/explain: every uncovered visit carries a reason of the right kind;
an infeasible instance gets the conflict expected.

usage: explain_test.py ROTA INSTANCE.yaml

The instance's header lists the expected reasons, one per line:

    # expect: SITE ROLE KIND 'text the reason must contain'

`rota solve` must exit 0 with a roster that `rota check` accepts; the
uncovered visits must be exactly the expected ones, each with
`reason_kind` KIND and a `reason` containing the text.

Or, for an infeasible instance:

    # conflict-visits: SITE/ROLE ...        exactly these visits
    # conflict-visit-count: N ROLE          or N visits, all of ROLE
    # conflict-rules: GROUP ...             exactly these rule groups
    # message: TEXT                         the message contains TEXT (repeatable)

`rota solve` must exit 3, say the message on stderr and write the JSON
`conflict` with these visits and rules, marked minimal.
"""
import json
import re
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def expectations(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"# expect: (\S+) (\S+) (\S+) '(.*)'$", line.rstrip())
            if m:
                out[(m[1], m[2])] = (m[3], m[4])
    if not out:
        fail(path + ": no '# expect:' line")
    return out


def conflict_expectations(path):
    out = {"message": []}
    with open(path) as f:
        for line in f:
            m = re.match(r"# (conflict-visits|conflict-visit-count|conflict-rules|message): (.*)$",
                         line.rstrip())
            if m and m[1] == "message":
                out["message"].append(m[2])
            elif m:
                out[m[1]] = m[2].split()
    return out if len(out) > 1 else None


def infeasible(rota, inst, want):
    cmd = [rota, "solve", inst, "--time-limit", "10"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    print("$ " + " ".join(cmd) + "\nexit %d\n%s" % (p.returncode, p.stderr))
    if p.returncode != 3:
        fail("exit %d, expected 3" % p.returncode)
    doc = json.loads(p.stdout)
    if doc["status"] != "infeasible" or "conflict" not in doc:
        fail("status %s, conflict %s" % (doc["status"], "conflict" in doc))
    c = doc["conflict"]
    got = sorted("%s/%s" % (v["site"], v["role"]) for v in c["visits"])
    if "conflict-visits" in want and got != sorted(want["conflict-visits"]):
        fail("conflict visits %s, expected %s" % (got, want["conflict-visits"]))
    if "conflict-visit-count" in want:
        n, role = want["conflict-visit-count"]
        if len(got) != int(n) or any(not g.endswith("/" + role) for g in got):
            fail("conflict visits %s, expected %s of role %s" % (got, n, role))
    if sorted(c["rules"]) != sorted(want.get("conflict-rules", [])):
        fail("conflict rules %s, expected %s" % (c["rules"], want.get("conflict-rules")))
    if not c["minimal"]:
        fail("the conflict is not marked minimal")
    for text in want["message"]:
        if text not in c["message"] or text not in p.stderr:
            fail("message lacks %r" % text)
    print("ok")


def main():
    rota, inst = sys.argv[1], sys.argv[2]
    conflict = conflict_expectations(inst)
    if conflict:
        return infeasible(rota, inst, conflict)
    want = expectations(inst)
    with tempfile.TemporaryDirectory() as tmp:
        out = tmp + "/roster.json"
        cmd = [rota, "solve", inst, "-o", out, "--time-limit", "10", "--quiet"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        print("$ " + " ".join(cmd) + "\nexit %d" % p.returncode)
        if p.returncode != 0:
            fail("exit %d: %s" % (p.returncode, p.stderr))
        c = subprocess.run([rota, "check", inst, out], capture_output=True,
                           text=True)
        if c.returncode != 0:
            fail("rota check refuses the roster: " + c.stdout + c.stderr)
        with open(out) as f:
            doc = json.load(f)
    got = {(u["site"], u["role"]): u for u in doc["uncovered"]}
    if set(got) != set(want):
        fail("uncovered %s, expected %s" % (sorted(got), sorted(want)))
    for key, (kind, text) in want.items():
        u = got[key]
        print("%s/%s: %s: %s" % (key[0], key[1], u.get("reason_kind"),
                                 u.get("reason")))
        if u.get("reason_kind") != kind:
            fail("%s/%s: reason_kind %r, expected %r" % (key + (u.get("reason_kind"), kind)))
        if text not in u.get("reason", ""):
            fail("%s/%s: reason %r lacks %r" % (key + (u.get("reason"), text)))
    print("ok")


main()
