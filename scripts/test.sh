#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: formatting, lints, the Rust unit, case,
# example, CLI and doc tests. Installs what it needs itself (crates through cargo).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== Rust tests (unit, shared cases in tests/cases, examples, CLI, doc tests)"
cargo test --workspace --locked
