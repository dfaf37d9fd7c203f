#!/usr/bin/env bash
# Packages the Rust crates `aimscheck` and `aimscheck-cli` as `cargo publish` would, and builds
# the packaged crates from their .crate files alone (a dry run: nothing is uploaded).
#
# The core crate embeds the default rule pack, the catalogue, the prelude and the rule-pack
# schema from `rules/`, which lives beside the crate in the repository; the packaging runs with
# a copy of it in core/rules/ (scripts/with-rules-in-core.sh), so that the .crate carries it.
#
# Usage: bash scripts/package.sh   (the .crate files are in target/package/)
set -euo pipefail
cd "$(dirname "$0")/.."
# --allow-dirty: core/rules/ is the uncommitted copy.
bash scripts/with-rules-in-core.sh cargo package -p aimscheck -p aimscheck-cli --allow-dirty
