#!/usr/bin/env python3
"""tests/explain: every uncovered visit carries a reason of the right kind.

usage: explain_test.py ROTA INSTANCE.yaml

The instance's header lists the expected reasons, one per line:

    # expect: SITE ROLE KIND 'text the reason must contain'

`rota solve` must exit 0 with a roster that `rota check` accepts; the
uncovered visits must be exactly the expected ones, each with
`reason_kind` KIND and a `reason` containing the text.
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


def main():
    rota, inst = sys.argv[1], sys.argv[2]
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
