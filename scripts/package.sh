#!/usr/bin/env bash
# Packages the Rust crates `aimscheck` and `aimscheck-cli` as `cargo publish` would, and builds
# the packaged crates from their .crate files alone (a dry run: nothing is uploaded).
#
# The core crate embeds the default rule pack, the catalogue, the prelude and the rule-pack
# schema from `rules/`, which lives beside the crate in the repository; this script copies it
# into core/rules/ (ignored by git) for the time of the packaging, so that the .crate carries it.
#
# Usage: bash scripts/package.sh   (the .crate files are in target/package/)
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf core/rules
cp -r rules core/rules
trap 'rm -rf core/rules' EXIT
# --allow-dirty: core/rules/ is not committed (it is the copy above).
cargo package -p aimscheck -p aimscheck-cli --allow-dirty
