#!/usr/bin/env python3
"""limits.py ROTA CASE - one limit of docs/limits.md, tested at the limit
and one step beyond it.  The oversized inputs are generated here, in a
temporary directory, never committed.

Each case runs `rota validate` (or `rota check`) and asserts the exit
status and that stderr matches a regular expression that names the file,
line and column.  Cases: file-size, matrix-size, matrix-device,
roster-size, depth, json-depth, scalar, aliases, staff, places, visits,
model.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

MIB = 1024 * 1024
ROLE = "social_worker"


def instance(n_staff=1, n_sites=1, visits_per_site=1, n_offices=1, extra=""):
    """An instance text with the given sizes (every place located, so no
    matrix is needed; one role per visit of a site)."""
    out = ["format: rota/1", "name: limits", extra, "offices:"]
    for o in range(n_offices):
        out.append(f"  - {{id: o{o}, location: {{lat: 55.{o % 1000:03d}, lon: 12.0}}}}")
    out.append("staff:")
    for k in range(n_staff):
        roles = [ROLE] + [f"r{j}" for j in range(1, visits_per_site)]
        out.append(f"  - {{id: k{k}, role: {roles[k % len(roles)]}, hours: 37, office: o0}}")
    out.append("sites:")
    for s in range(n_sites):
        vs = ", ".join(f"{{role: {ROLE if j == 0 else f'r{j}'}, minutes: 30}}"
                       for j in range(visits_per_site))
        out.append(f"  - {{id: s{s}, location: {{lat: {55 + (s % 997) / 10000:.4f}, "
                   f"lon: {12 + (s // 997) / 10000:.4f}}}, visits: [{vs}]}}")
    return "\n".join(out) + "\n"


class Case:
    def __init__(self, rota, tmp):
        self.rota, self.tmp, self.failures = rota, tmp, 0

    def write(self, name, text, mode="w"):
        path = os.path.join(self.tmp, name)
        with open(path, mode) as f:
            f.write(text)
        return name

    def run(self, args, code, pattern, seconds=60):
        t = time.monotonic()
        p = subprocess.run([self.rota] + args, cwd=self.tmp, capture_output=True,
                           text=True, errors="replace", timeout=seconds)
        took = time.monotonic() - t
        ok = p.returncode == code and re.search(pattern, p.stderr, re.M)
        status = "ok" if ok else "FAIL"
        print(f"{status}: rota {' '.join(args)}: exit {p.returncode} (want {code}), "
              f"{took:.2f}s")
        if not ok:
            print(f"  want stderr matching: {pattern}\n  stderr: {p.stderr[:2000]}")
            self.failures += 1

    def loads(self, name, text):
        self.run(["validate", self.write(name, text)], 0, r"^$|")

    def refused(self, name, text, pattern):
        self.run(["validate", self.write(name, text)], 2, pattern)


def case_file_size(c):
    pad = "#" * 1023 + "\n"
    c.write("big.yaml", instance() + pad * (64 * 1024))           # > 64 MiB
    c.run(["validate", "big.yaml"], 2, r"^big\.yaml: file larger than 64 MiB$")
    text = instance()
    c.write("at.yaml", text + "#" * (64 * MIB - len(text) - 1) + "\n")   # = 64 MiB
    c.run(["validate", "at.yaml"], 0, r"^$")


def matrix_instance(matrix):
    return ("format: rota/1\nname: m\ntravel:\n  matrix: " + matrix + "\noffices:\n"
            "  - {id: o0}\nstaff:\n  - {id: k0, role: r, hours: 37, office: o0}\n"
            "sites:\n  - {id: s0, visits: [{role: r, minutes: 30}]}\n")


def case_matrix_size(c):
    rows = "from,to,minutes\no0,s0,5\n"
    c.write("big.csv", rows + "\n" * (64 * MIB - len(rows) + 1))    # 64 MiB + 1
    c.refused("big.yaml", matrix_instance("big.csv"),
              r"^big\.yaml:4:11: travel matrix '.*big\.csv' is larger than 64 MiB$")
    c.write("at.csv", rows + "\n" * (64 * MIB - len(rows)))          # = 64 MiB
    c.loads("at.yaml", matrix_instance("at.csv"))


def case_matrix_device(c):
    # a device never ends: the reader stops at the limit instead of
    # allocating without bound
    c.refused("zero.yaml", matrix_instance("/dev/zero"),
              r"^zero\.yaml:4:11: travel matrix '/dev/zero' is larger than 64 MiB$")


def case_roster_size(c):
    c.write("i.yaml", instance())
    c.write("big.json", '{"format": "rota-roster/1", "pad": "' + "x" * (16 * MIB) + '"}')
    c.run(["check", "i.yaml", "big.json"], 2,
          r"^big\.json: the roster is larger than 16777216 bytes$")


def case_depth(c):
    c.refused("deep.yaml", "format: rota/1\nname: " + "[" * 100000 + "\n",  # the 64th [ is level 65
              r"^deep\.yaml:2:70: nesting deeper than 64 levels$")
    nested = "format: rota/1\nname: x\nweek: " + "[" * 63 + "]" * 63 + "\n"
    c.refused("d63.yaml", nested, r"^d63\.yaml:3:7: ")   # read, then a type error
    nested = "format: rota/1\nname: x\nweek: " + "[" * 64 + "]" * 64 + "\n"
    c.refused("d64.yaml", nested, r"^d64\.yaml:3:70: nesting deeper than 64 levels$")


def case_json_depth(c):
    c.write("i.yaml", instance())
    c.write("deep.json", "[" * 100000 + "]" * 100000)
    c.run(["check", "i.yaml", "deep.json"], 2, r"^deep\.json:1:2049: maximum parsing depth reached")


def case_scalar(c):
    name = "x" * (64 * 1024)
    c.loads("at.yaml", instance().replace("name: limits", "name: " + name))
    c.refused("big.yaml", instance().replace("name: limits", "name: " + name + "x"),
              r"^big\.yaml:2:7: scalar longer than 65536 bytes$")


def case_aliases(c):
    # a billion laughs: nine levels of ten aliases each; rejected at the
    # first anchor, never expanded
    lines = ['format: rota/1', 'name: lol', 'rules:', '  a0: &a0 "lol"']
    for i in range(1, 10):
        refs = ", ".join(f"*a{i - 1}" for _ in range(10))
        lines.append(f"  a{i}: &a{i} [{refs}]")
    c.refused("lol.yaml", "\n".join(lines) + "\n",
              r"^lol\.yaml:4:7: anchors are not supported \(&a0\)$")
    c.refused("alias.yaml", instance().replace("name: limits", "name: *x"),
              r"^alias\.yaml:2:7: aliases are not supported$")


def case_staff(c):
    c.loads("at.yaml", instance(n_staff=1000))
    c.refused("over.yaml", instance(n_staff=1001),
              r"^over\.yaml:7:3: too many staff: 1001 \(at most 1000\)$")


def case_places(c):
    c.loads("at.yaml", instance(n_offices=2, n_sites=4998))
    c.refused("over.yaml", instance(n_offices=2, n_sites=4999),
              r"^over\.yaml:10:3: too many places: 2 offices and 4999 sites "
              r"\(at most 5000 in all\)$")


def case_visits(c):
    c.loads("at.yaml", instance(n_sites=2500, visits_per_site=4))
    c.refused("over.yaml", instance(n_sites=2501, visits_per_site=4),
              r"^over\.yaml:9:3: too many visits: 10004 \(at most 10000\)$")


def case_model(c):
    c.loads("at.yaml", instance(n_staff=1000, n_sites=1000))
    c.refused("over.yaml", instance(n_staff=1000, n_sites=1001),
              r"^over\.yaml:7:3: the model is too large: 1000 staff x 1001 visits "
              r"= 1001000 pairs \(at most 1000000\)$")


def main():
    rota, case = sys.argv[1], sys.argv[2]
    fn = globals().get("case_" + case.replace("-", "_"))
    if not fn:
        print(f"unknown case {case}")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        c = Case(os.path.abspath(rota), tmp)
        fn(c)
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
