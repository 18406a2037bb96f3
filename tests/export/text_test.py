#!/usr/bin/env python3
"""text_test.py - `rota export --format text`: every line fits the width in
characters (æøå count one column), every visit occurrence of the roster is in
a grid (one "HH:MM-HH:MM" per visit and week), Danish letters survive, the
summary has a row per staff member with the roster's utilisation, uncovered
visits are listed, filters keep one grid.

usage: text_test.py ROTA INSTANCE.yaml
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


def rota(bin_, *args, expect=0):
    p = subprocess.run([bin_, *args], capture_output=True)
    if p.returncode != expect:
        sys.exit(f"FAIL: rota {' '.join(args)} exited {p.returncode}\n" + p.stderr.decode())
    return p.stdout.decode("utf-8")


def main():
    bin_, inst_path = sys.argv[1:3]
    inst = yaml.safe_load(open(inst_path, encoding="utf-8"))
    with tempfile.TemporaryDirectory() as d:
        rp = os.path.join(d, "roster.json")
        rota(bin_, "solve", inst_path, "--time-limit", "2", "--quiet", "-o", rp)
        roster = json.load(open(rp, encoding="utf-8"))
        occ = sum(len(v["weeks"]) for v in roster["visits"])
        for width in (80, 100, 120):
            text = rota(bin_, "export", inst_path, rp, "--format", "text",
                        "--width", str(width), "--from", "2025-06-02")
            grid = [l for l in text.split("\n") if " | " in l or re.match(r"^-+\+", l)]
            for line in grid:
                assert len(line) <= width, f"{len(line)} > {width}: {line}"
            times = re.findall(r"\b\d\d:\d\d-\d\d:\d\d\b", "\n".join(grid))
            assert len(times) == occ, f"width {width}: {len(times)} visits shown, {occ} in the roster"
        assert inst["name"] in text
        for s in inst["staff"]:
            row = [l for l in text.split("\n") if l.startswith(s["id"] + " ")]
            assert len(row) == 1, s["id"]
            u = next(x for x in roster["staff"] if x["id"] == s["id"])["utilisation"]
            assert f"{100 * u:.1f}%" in row[0], (row, u)
            assert f"== {s['name']} [{s['id']}]" in text
        for u in roster["uncovered"]:
            assert re.search(rf"\[{re.escape(u['site'])}\], {u['role']}", text), u
        assert re.search("[æøåÆØÅ]", text), "no Danish letter in the text"
        one = roster["visits"][0]["staff"]
        t1 = rota(bin_, "export", inst_path, rp, "--format", "text", "--staff", one)
        assert t1.count("\n== ") == 1 and f"[{one}]" in t1
    print(f"text: ok ({occ} visit occurrences in the grids)")


if __name__ == "__main__":
    main()
