#!/usr/bin/env python3
"""agree.py - rota check and tools/refcheck.py must agree on a roster and
on every corruption of it.

usage: agree.py ROTA TOOLS_DIR INSTANCE.yaml [ROSTER.json | --solve SECONDS]

Without ROSTER.json a valid roster is built with tools/greedy.py; with
--solve, `rota solve --time-limit SECONDS` plans it.  The
roster itself must pass both referees with the same objective (1e-6).
Then for every corruption of tools/corrupt.py: both give the same verdict
(feasible or not, figures right or not), the same set of broken rules,
the labelled rule is among them (or, for a figure corruption, the roster
stays feasible and a figure is wrong), and for a feasible roster the same
objective.  Prints one line per case and exits 1 on any disagreement.
"""
import json
import os
import subprocess
import sys
import tempfile


def rota_check(rota, inst, doc, tmp):
    path = os.path.join(tmp, "roster.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
    p = subprocess.run([rota, "check", inst, path, "--json"],
                       capture_output=True, text=True)
    if p.returncode not in (0, 3):
        return p.returncode, {"verdict": "exit %d" % p.returncode,
                              "stderr": p.stderr}
    return p.returncode, json.loads(p.stdout)


def solve(rota, inst, seconds):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "solved.json")
        p = subprocess.run([rota, "solve", inst, "-o", out, "--time-limit",
                            seconds, "--quiet"], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("rota solve exited %d: %s" % (p.returncode, p.stderr))
        with open(out, encoding="utf-8") as f:
            return json.load(f)


def summary(j):
    if "feasible" not in j:
        return j["verdict"], None, None, set()
    rules = {v["rule"] for v in j.get("violations", [])}
    return j["verdict"], j["feasible"], j["figures_match"], rules


def compare(name, expect, c_exit, cj, pj):
    """-> list of problems (empty: agreement)."""
    probs = []
    cv, cf, cm, cr = summary(cj)
    pv, pf, pm, pr = pj["verdict"], pj.get("feasible"), pj.get("figures_match"), set(pj.get("rules", []))
    if c_exit != (0 if cv == "ok" else 3):
        probs.append("exit %d with verdict %s" % (c_exit, cv))
    if (cf, cm) != (pf, pm):
        probs.append("rota: feasible=%s figures=%s, refcheck: feasible=%s figures=%s" % (cf, cm, pf, pm))
    if cr != pr:
        probs.append("rules: rota %s, refcheck %s" % (sorted(cr), sorted(pr)))
    if expect == "figure":
        if not (cf is True and cm is False):
            probs.append("expected only a figure mismatch")
    elif expect != "any":
        if expect not in cr or expect not in pr:
            probs.append("expected rule %d" % expect)
    if cf and pf and abs(cj["objective"] - pj["objective"]) > 1e-6:
        probs.append("objective rota %.12g refcheck %.12g" % (cj["objective"], pj["objective"]))
    return probs


def main(argv):
    rota, tools, inst = argv[1], argv[2], argv[3]
    sys.path.insert(0, tools)
    import corrupt
    import greedy
    import refcheck
    I = refcheck.load_instance(inst)
    if len(argv) > 5 and argv[4] == "--solve":
        doc = solve(rota, inst, argv[5])
    elif len(argv) > 4:
        with open(argv[4], encoding="utf-8") as f:
            doc = json.load(f)
    else:
        doc, broken = greedy.roster_doc(I, greedy.build(I))
        if broken:
            print("greedy roster breaks rules %s: the corruptions still run" % broken)
    fails = 0
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("original", "any", doc)] + corrupt.corruptions(I, doc)
        for name, expect, d in cases:
            c_exit, cj = rota_check(rota, inst, d, tmp)
            pj = refcheck.judge(I, d)
            probs = compare(name, expect, c_exit, cj, pj)
            if name == "original" and cj.get("verdict") != "ok":
                probs.append("the original roster is not ok: %s" % cj.get("summary"))
            print("%-5s %-24s expect %-6s rota %-10s refcheck %-10s rules %s%s" % (
                "FAIL" if probs else "ok", name, expect, cj.get("verdict"),
                pj["verdict"], sorted(set(pj.get("rules", []))),
                "".join("\n      " + p for p in probs)))
            fails += bool(probs)
    print("%d cases, %d disagreements" % (len(cases), fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
