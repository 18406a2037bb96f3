#!/usr/bin/env python3
"""styles.py ROTA DIR INSTANCE ROSTER - the same instance written in other
YAML styles must mean the same: each variant loads (`rota validate`, exit
0) and `rota check --json` gives the roster the same verdict, byte for
byte, as for the original (objective, terms, coverage: the verdict depends
on every figure of the instance).

Variants: block style, flow style, JSON (YAML 1.2 is a superset), explicit
document markers with a %YAML directive, CRLF line ends, a UTF-8 byte
order mark, 4-space indentation with folded long lines.  A variant with
tags (PyYAML's canonical form) must be refused with a position: rota's
format has no tags (docs/limits.md).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml


def variants(text, data):
    dump = lambda **kw: yaml.safe_dump(data, sort_keys=False, allow_unicode=True, **kw)
    yield "block", dump(default_flow_style=False)
    yield "flow", dump(default_flow_style=True)
    yield "json", json.dumps(data, indent=1, ensure_ascii=False)
    yield "markers", "%YAML 1.1\n---\n" + dump() + "...\n"
    yield "crlf", text.replace("\n", "\r\n")
    yield "bom", "\ufeff" + text
    yield "indent", dump(indent=4, width=24, default_flow_style=False)


def run(rota, cwd, *args):
    p = subprocess.run([rota, *args], cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def main():
    rota, src, inst, roster = (os.path.abspath(sys.argv[1]), sys.argv[2],
                               sys.argv[3], sys.argv[4])
    text = open(os.path.join(src, inst), encoding="utf-8").read()
    data = yaml.safe_load(text)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in os.listdir(src):   # the roster and the travel matrix
            if not f.endswith(".yaml"):
                shutil.copy(os.path.join(src, f), tmp)
        shutil.copy(os.path.join(src, inst), tmp)
        want = run(rota, tmp, "check", "--json", inst, roster)
        print(f"original: exit {want[0]}: {json.loads(want[1])['summary']}")
        for name, body in variants(text, data):
            path = f"{name}.yaml"
            with open(os.path.join(tmp, path), "w", encoding="utf-8", newline="") as f:
                f.write(body)
            v = run(rota, tmp, "validate", path)
            c = run(rota, tmp, "check", "--json", path, roster)
            ok = v[0] == 0 and c[0] == want[0] and c[1] == want[1]
            print(f"{'ok' if ok else 'FAIL'}: {name}: validate exit {v[0]}, check exit {c[0]}")
            if not ok:
                print(v[2] + c[2] + c[1])
                failures += 1
        with open(os.path.join(tmp, "canonical.yaml"), "w") as f:
            f.write(yaml.safe_dump(data, canonical=True))
        v = run(rota, tmp, "validate", "canonical.yaml")
        ok = v[0] == 2 and re.search(r"^canonical\.yaml:\d+:\d+: tags are not supported", v[2], re.M)
        print(f"{'ok' if ok else 'FAIL'}: canonical (tags) refused: exit {v[0]}")
        if not ok:
            print(v[2])
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
