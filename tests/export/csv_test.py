#!/usr/bin/env python3
"""csv_test.py - `rota export --format csv` read back by Python's csv module
(RFC 4180): one row per visit of the instance (uncovered ones with an empty
staff), fields equal to the roster's and the instance's (names with commas,
quotes, semicolons, a backslash and Danish letters survive), CRLF line ends,
first dates from --from; the staff table has the roster's figures; filters
keep what they say.

usage: csv_test.py ROTA INSTANCE.yaml
"""
import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile

import yaml

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def rota(bin_, *args, expect=0):
    p = subprocess.run([bin_, *args], capture_output=True)
    if p.returncode != expect:
        sys.exit(f"FAIL: rota {' '.join(args)} exited {p.returncode}, expected {expect}\n"
                 + p.stderr.decode())
    return p


def rows_of(raw):
    text = raw.decode("utf-8")
    assert text.endswith("\r\n"), "the last line does not end in CRLF"
    assert "\n" not in text.replace("\r\n", ""), "a bare LF outside quotes"
    return list(csv.DictReader(io.StringIO(text, newline="")))


def main():
    bin_, inst_path = sys.argv[1:3]
    inst = yaml.safe_load(open(inst_path, encoding="utf-8"))
    with tempfile.TemporaryDirectory() as d:
        roster_path = os.path.join(d, "roster.json")
        rota(bin_, "solve", inst_path, "--time-limit", "2", "--quiet", "-o", roster_path)
        roster = json.load(open(roster_path, encoding="utf-8"))
        W = roster["cycle_weeks"]
        sites = {s["id"]: s for s in inst["sites"]}
        staff = {k["id"]: k for k in inst["staff"]}

        rows = rows_of(rota(bin_, "export", inst_path, roster_path, "--format", "csv",
                            "--from", "2025-01-01").stdout)
        n_visits = sum(len(s["visits"]) for s in inst["sites"])
        assert len(rows) == n_visits, f"{len(rows)} rows for {n_visits} visits"
        by_key = {(v["site"], v["role"]): v for v in roster["visits"]}
        unc = {(u["site"], u["role"]) for u in roster["uncovered"]}
        monday = datetime.date(2025, 1, 6)   # the Monday on or after --from
        for r in rows:
            key = (r["site"], r["role"])
            assert r["site_name"] == sites[r["site"]]["name"], r
            if key in unc:
                assert r["status"] == "uncovered" and r["staff"] == "" and r["day"] == "", r
                continue
            v = by_key[key]
            assert r["status"] == "covered", r
            assert (r["staff"], r["day"], r["start"], r["end"]) == \
                (v["staff"], v["day"], v["start"], v["end"]), (r, v)
            assert r["staff_name"] == staff[v["staff"]]["name"], r
            assert [int(w) for w in r["weeks"].split()] == v["weeks"], r
            first = monday + datetime.timedelta(
                days=7 * (v["weeks"][0] - 1) + DAYS.index(v["day"]))
            assert r["first_date"] == first.isoformat(), (r, first)
        assert len(unc) + len(by_key) == n_visits

        srows = rows_of(rota(bin_, "export", inst_path, roster_path, "--format", "csv",
                             "--what", "staff").stdout)
        assert [r["staff"] for r in srows] == [k["id"] for k in inst["staff"]]
        for r, s in zip(srows, roster["staff"]):
            assert r["name"] == staff[s["id"]]["name"], r
            for key in ("visit_minutes", "travel_minutes", "utilisation", "capacity_minutes"):
                assert abs(float(r[key]) - s[key]) < 1e-9, (key, r[key], s[key])
            weekly = [float(r[f"visit_minutes_week{w}"]) for w in range(1, W + 1)]
            assert abs(sum(weekly) / W - s["visit_minutes"]) < 1e-9, r

        # filters
        one = roster["visits"][0]
        f = rows_of(rota(bin_, "export", inst_path, roster_path, "--format", "csv",
                         "--staff", one["staff"]).stdout)
        assert f and all(r["staff"] == one["staff"] for r in f)
        assert len(f) == sum(v["staff"] == one["staff"] for v in roster["visits"])
        f = rows_of(rota(bin_, "export", inst_path, roster_path, "--format", "csv",
                         "--site", one["site"]).stdout)
        assert f and all(r["site"] == one["site"] for r in f)
        # -o writes the same bytes as stdout
        out = os.path.join(d, "visits.csv")
        a = rota(bin_, "export", inst_path, roster_path, "--format", "csv", "--from",
                 "2025-01-01", "-o", out)
        assert a.stdout == b""
        b = rota(bin_, "export", inst_path, roster_path, "--format", "csv", "--from",
                 "2025-01-01").stdout
        assert open(out, "rb").read() == b
        # rota solve --format csv writes the same table for its roster
        sp = os.path.join(d, "solved.csv")
        rota(bin_, "solve", inst_path, "--time-limit", "2", "--quiet", "--format", "csv", "-o", sp)
        solved = rows_of(open(sp, "rb").read())
        assert len(solved) == n_visits and set(solved[0]) == set(rows[0]), solved[:1]
        p = rota(bin_, "solve", inst_path, "--format", "pdf", expect=2)
        # bad input: a bad date, an unknown site, no instance
        p = rota(bin_, "export", inst_path, roster_path, "--format", "csv", "--from",
                 "2025-02-30", expect=2)
        assert b"2025-02-30" in p.stderr and p.stdout == b"", p.stderr
        p = rota(bin_, "export", inst_path, roster_path, "--site", "nowhere", expect=2)
        assert b"nowhere" in p.stderr, p.stderr
        p = rota(bin_, "export", roster_path, "--format", "csv", expect=2)
        assert b"instance" in p.stderr, p.stderr
        # a malformed roster on stdin: every problem with its position, exit 2
        q = subprocess.run([bin_, "export", inst_path, "-", "--format", "csv"], capture_output=True,
                           input=b'{"format": "rota-roster/1", "visits": 3}')
        assert q.returncode == 2 and q.stdout == b"", q
        assert b'<stdin>:1:1: roster: missing key "staff"' in q.stderr, q.stderr
        assert b"<stdin>:1:39: visits: expected an array" in q.stderr, q.stderr
        # a document without a roster
        doc = dict(roster, status="no_solution", objective=None, terms=None, bound=None, gap=None,
                   visits=[], uncovered=[], staff=[])
        nr = os.path.join(d, "none.json")
        json.dump(doc, open(nr, "w"))
        p = rota(bin_, "export", inst_path, nr, expect=2)
        assert b"holds no roster" in p.stderr, p.stderr
    print(f"csv: ok ({len(rows)} visit rows, {len(srows)} staff rows)")


if __name__ == "__main__":
    main()
