#!/usr/bin/env python3
"""yaml2json.py IN.yaml OUT.json - an instance as JSON, for the JSON Schema
(schemas/instance.schema.json).  Read as YAML 1.2 reads it: a plain time
like 7:30 or 13:00 stays a string (YAML 1.1 would make it a base-60
integer), as rota's own loader reads it."""
import json
import re
import sys

import yaml


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for ch in "0123456789":
    Loader.yaml_implicit_resolvers.setdefault(ch, []).insert(
        0, ("tag:yaml.org,2002:str", re.compile(r"^\d{1,2}:\d{2}$")))

with open(sys.argv[1], encoding="utf-8") as f:
    doc = yaml.load(f, Loader=Loader)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
