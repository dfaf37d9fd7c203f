#!/usr/bin/env bash
# Runs a command with a copy of the repository's rules/ in core/rules/ (ignored by git), then
# removes the copy: the packaging steps (cargo package, maturin sdist) need the rule packs
# inside the core crate, whose build embeds them from there when they are there.
#
# Usage: bash scripts/with-rules-in-core.sh COMMAND [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$root/core/rules"
cp -r "$root/rules" "$root/core/rules"
trap 'rm -rf "$root/core/rules"' EXIT
"$@"
