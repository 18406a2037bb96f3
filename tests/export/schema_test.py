#!/usr/bin/env python3
"""schema_test.py - the JSON Schemas (schemas/*.schema.json, draft 2020-12)
against what rota reads and writes, judged by ajv (ajv-cli, pinned in
tests/js): every shipped instance and every good loader fixture is valid;
every roster rota writes (optimal/feasible, soft coverage with uncovered
visits, a 4-week cycle, infeasible with a conflict, no_solution) is valid;
documents that break the contract are rejected (and for instances, rota
validate rejects them too, so schema and loader agree).

usage: schema_test.py NODE ROTA SOURCE_ROOT
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

NODE, ROTA, ROOT = sys.argv[1:4]
AJV = os.path.join(ROOT, "tests", "js", "node_modules", "ajv-cli", "dist", "index.js")
SCHEMAS = os.path.join(ROOT, "schemas")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def ajv(schema, files):
    """{file: valid?} by one ajv run over the files."""
    p = subprocess.run([NODE, AJV, "validate", "--spec=draft2020", "--all-errors",
                        "-s", os.path.join(SCHEMAS, schema)] + sum((["-d", f] for f in files), []),
                       capture_output=True, text=True)
    out = p.stdout + p.stderr
    res = {}
    for f in files:
        if f"{f} valid" in out:
            res[f] = True
        elif f"{f} invalid" in out:
            res[f] = False
        else:
            fail(f"ajv said nothing about {f}:\n{out}")
    if p.returncode not in (0, 1):
        fail(f"ajv exited {p.returncode}:\n{out}")
    return res, out


def yaml2json(src, dst):
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "yaml2json.py"), src, dst], check=True)


def expect(schema, files, valid, what):
    res, out = ajv(schema, files)
    wrong = [f for f in files if res[f] != valid]
    if wrong:
        fail(f"{what}: {'rejected' if valid else 'accepted'}: {wrong}\n{out}")


def main():
    if not os.path.exists(AJV):
        fail(f"{AJV} is missing: run 'npm ci' in tests/js")
    with tempfile.TemporaryDirectory() as d:
        # 1. instances
        srcs = sorted(glob.glob(os.path.join(ROOT, "instances", "*.yaml")) +
                      glob.glob(os.path.join(ROOT, "tests", "load", "good", "*.yaml")) +
                      glob.glob(os.path.join(ROOT, "tests", "solve", "*.yaml")) +
                      [os.path.join(ROOT, "tests", "export", "danish.yaml")])
        inst_json = []
        for i, s in enumerate(srcs):
            dst = os.path.join(d, f"inst{i}-{os.path.basename(s)}.json")
            yaml2json(s, dst)
            inst_json.append(dst)
        expect("instance.schema.json", inst_json, True, "shipped instances")

        # 2. rosters rota writes
        rosters = []
        for name, limit, code in [("instances/tiny-1.yaml", 2, 0),
                                  ("tests/export/danish.yaml", 2, 0),
                                  ("instances/rudersdal-cycle2-1.yaml", 2, 0),
                                  ("instances/koebenhavn-short-1.yaml", 2, 0),
                                  ("tests/solve/infeasible-capacity.yaml", 2, 3),
                                  ("tests/solve/no-solution.yaml", 1, 4)]:
            out = os.path.join(d, os.path.basename(name) + ".roster.json")
            p = subprocess.run([ROTA, "solve", os.path.join(ROOT, name), "--time-limit", str(limit),
                                "--quiet", "-o", out], capture_output=True, text=True)
            if p.returncode != code:
                fail(f"rota solve {name} exited {p.returncode}, expected {code}\n{p.stderr}")
            rosters.append(out)
        statuses = {json.load(open(r))["status"] for r in rosters}
        if not {"infeasible", "no_solution"} <= statuses or not statuses & {"optimal", "feasible"}:
            fail(f"the rosters do not cover every kind of status: {statuses}")
        hand = sorted(glob.glob(os.path.join(ROOT, "tests", "check", "hand", "*.json")))
        expect("roster.schema.json", rosters + hand, True, "rosters")

        # 3. what breaks the contract
        good = json.load(open(rosters[1], encoding="utf-8"))
        bad = []

        def variant(tag, change):
            doc = copy.deepcopy(good)
            change(doc)
            path = os.path.join(d, f"bad-roster-{tag}.json")
            json.dump(doc, open(path, "w"), ensure_ascii=False)
            bad.append(path)
        variant("no-staff", lambda x: x.pop("staff"))
        variant("no-objective", lambda x: x.pop("objective"))
        variant("format", lambda x: x.update(format="rota-roster/2"))
        variant("status", lambda x: x.update(status="good"))
        variant("start", lambda x: x["visits"][0].update(start="8:30"))
        variant("day", lambda x: x["visits"][0].update(day="monday"))
        variant("week-string", lambda x: x["visits"][0].update(weeks=["1"]))
        variant("visit-no-staff", lambda x: x["visits"][0].pop("staff"))
        variant("leg-minutes", lambda x: x["staff"][0]["tours"][0]["legs"][0].update(minutes=1.5))
        variant("feasible-null-objective", lambda x: x.update(objective=None))
        expect("roster.schema.json", bad, False, "broken rosters")

        base = json.load(open(inst_json[srcs.index(os.path.join(ROOT, "tests", "export", "danish.yaml"))],
                              encoding="utf-8"))
        ibad = []

        def ivariant(tag, change):
            doc = copy.deepcopy(base)
            change(doc)
            path = os.path.join(d, f"bad-inst-{tag}.json")
            json.dump(doc, open(path, "w"), ensure_ascii=False)
            ibad.append(path)
        ivariant("unknown-key", lambda x: x.update(colour="red"))
        ivariant("no-name", lambda x: x.pop("name"))
        ivariant("cycle-3", lambda x: x["week"].update(cycle_weeks=3))
        ivariant("hours-61", lambda x: x["staff"][0].update(hours=61))
        ivariant("no-visits", lambda x: x["sites"][0].update(visits=[]))
        ivariant("bad-window", lambda x: x["sites"][0]["visits"][0].update(windows={"mon": "8-12"}))
        ivariant("bad-id", lambda x: x["sites"][0].update(id="a site"))
        ivariant("kind", lambda x: x["sites"][0].update(kind="castle"))
        expect("instance.schema.json", ibad, False, "broken instances")
        # rota's loader agrees (JSON is YAML)
        for f in ibad:
            p = subprocess.run([ROTA, "validate", f], capture_output=True, text=True)
            if p.returncode != 2:
                fail(f"rota validate accepts {os.path.basename(f)} that the schema rejects")
    print(f"schemas: ok ({len(inst_json)} instances, {len(rosters) + len(hand)} rosters valid; "
          f"{len(bad)} broken rosters and {len(ibad)} broken instances rejected)")


if __name__ == "__main__":
    main()
