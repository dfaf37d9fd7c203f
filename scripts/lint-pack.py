#!/usr/bin/env python3
"""Runs the rule pack lint on the default pack and compares its warnings with
rules/lint-known.json: exit 1 on a warning that is not listed there (a new nested scan) and on
a listed one the lint no longer finds (remove it from the list). Usage:
python3 scripts/lint-pack.py [CLI ...] (default: cargo run -p aimscheck-cli --)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    cli = sys.argv[1:] or ["cargo", "run", "--quiet", "--locked", "-p", "aimscheck-cli", "--"]
    run = subprocess.run(
        [*cli, "rules", "lint", "--format", "json", "rules/iso42001-4.4"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if run.returncode not in (0, 1):
        sys.stderr.write(run.stderr)
        return 2
    found = {(w["rule_id"], w["pointer"]): w for w in json.loads(run.stdout)["warnings"]}
    known = json.loads((ROOT / "rules" / "lint-known.json").read_text(encoding="utf-8"))["known"]
    listed = {(k["rule_id"], k["pointer"]) for k in known}
    new = [w for key, w in found.items() if key not in listed]
    gone = sorted(listed - found.keys())
    for w in new:
        print(f"new nested scan in {w['rule_id']} ({w['file']}:{w['line']}:{w['column']}): {w['message']}")
        print(f"  help: {w['help']}")
    for rule_id, pointer in gone:
        print(f"{rule_id} {pointer}: no longer found by the lint; remove it from rules/lint-known.json")
    print(f"rule pack lint: {len(found)} warning(s), {len(listed)} known, {len(new)} new, {len(gone)} gone")
    return 1 if new or gone else 0


if __name__ == "__main__":
    sys.exit(main())
