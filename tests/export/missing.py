#!/usr/bin/env python3
"""missing.py TOOL - stands in for an export test whose tool (node) was not
found when meson configured the build: it fails, so CI cannot pass without
the tool; a developer may set ROTA_ALLOW_SKIP=1 (outside CI) to skip."""
import os
import sys

msg = f"{sys.argv[1]} was not found when the build was configured " \
      "(apt-get install nodejs npm chromium; npm ci in tests/js; meson setup --reconfigure)"
if os.environ.get("ROTA_ALLOW_SKIP") == "1" and not os.environ.get("CI"):
    print("SKIP: " + msg)
    sys.exit(77)
print("FAIL: " + msg, file=sys.stderr)
sys.exit(1)
