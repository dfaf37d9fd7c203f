#!/usr/bin/env bash
# Runs every test of the project on a fresh machine (Rust with cargo, Python 3.11 with pip,
# Node 20 with npm): formatting and lints; the Rust unit, shared-case, example, export, CLI and
# doc tests; the Rust crates packaged as `cargo publish` would and built from their .crate files
# (scripts/package.sh, a dry run); the Python binding (built in a fresh virtual environment, pytest, mypy, stubtest);
# the Node binding (npm ci, napi build, node --test, tsc); the prebuilt artifacts (the wheel,
# the npm tarballs and the CLI archive of scripts/dist.sh) installed and used with no cargo or
# rustc on PATH (scripts/test-dist.sh); the code blocks of the READMEs, run as a reader would
# (scripts/readme-blocks.py, with the Python and Node builds above); the OSCAL export loaded by
# compliance-trestle; and the HTML report in headless Chromium (installed from Debian's packages
# when missing). Installs what it needs itself (cargo, pip, npm, apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
section() { printf '\n==== %s (%d s)\n' "$*" "$((SECONDS - start))"; }

section "format and lints"
# One minimum Rust version in every crate and README; README code blocks well formed (nothing run).
python3 scripts/readme-blocks.py --static
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# The library's documentation builds without a broken link.
RUSTDOCFLAGS="-D warnings" cargo doc --locked -p aimscheck --no-deps --quiet

section "Rust tests (unit, shared cases in tests/cases, examples, exports, CLI, doc tests)"
# A generated model, which the model-document tests also load and compare.
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
cargo run --quiet --locked -p aimscheck-bench --bin aimscheck-gen -- 100 1 >"$generated/g100.json"
AIMSCHECK_DOC_MODELS="$generated/g100.json" cargo test --workspace --locked

section "rule pack lint (aimscheck rules lint: no nested scan in the default pack but those known)"
# Reuses the CLI the Rust tests built; a warning not in rules/lint-known.json, or a known one
# no longer found, fails the run.
python3 scripts/lint-pack.py

section "Rust packages (cargo package: the crates as published, built from their .crate files)"
bash scripts/package.sh

section "Python binding"
bash bindings-python/test.sh

section "Node binding"
bash bindings-node/test.sh

section "prebuilt artifacts (scripts/dist.sh: wheel, npm tarballs, CLI archive) installed without Rust"
# Reuses the release addon the Node binding section built and the Python section's environment.
bash scripts/test-dist.sh

section "README code blocks (scripts/readme-blocks.py)"
# With the CLI of the artifacts section, the Python section's environment (bindings-python/.venv,
# or $AIMSCHECK_VENV) and the Node section's addon; the prebuilt files in dist/.
python3 scripts/readme-blocks.py

section "OSCAL export read by compliance-trestle"
bash tests/oscal/run.sh

section "HTML report in headless Chromium"
bash tests/browser/run.sh

section "all tests passed"
