#!/usr/bin/env bash
# Packages the Rust crates `aimscheck` and `aimscheck-cli` as `cargo publish` would, and builds
# the packaged crates from their .crate files alone (a dry run: nothing is uploaded).
#
# The core crate embeds the default rule pack, the catalogue, the prelude and the rule-pack
# schema from `rules/`, which lives beside the crate in the repository; the packaging runs with
# a copy of it in core/rules/ (scripts/with-rules-in-core.sh), so that the .crate carries it.
#
# The packaged crates keep the workspace's version, and cargo takes a crate of a registry to be
# unchanging: it never unpacks or rebuilds the same version twice. So the verification builds in
# a target folder of its own, from nothing, and earlier unpacked copies of our crates are
# dropped; otherwise a second run would build aimscheck-cli against the first run's aimscheck.
#
# Usage: bash scripts/package.sh [TARGET_DIR]   (the .crate files go to TARGET_DIR/package/;
# by default a temporary folder, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -ge 1 ]]; then
    target="$1"
else
    target="$(mktemp -d)"
    trap 'rm -rf "$target"' EXIT
fi
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/aimscheck-*
# --allow-dirty: core/rules/ is the uncommitted copy.
CARGO_TARGET_DIR="$target" bash scripts/with-rules-in-core.sh \
    cargo package -p aimscheck -p aimscheck-cli --allow-dirty
