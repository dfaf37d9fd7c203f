#!/usr/bin/env bash
# Loads the OSCAL export of every example with compliance-trestle 3.12.x (pytest).
# Creates (or reuses) the virtual environment target/venv-oscal and installs
# compliance-trestle==3.12.* and pytest into it. Exits non-zero when a test fails or when no
# test ran (pytest exit code 5 is a failure too).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON="${PYTHON:-python3}"
VENV="${OSCAL_VENV:-target/venv-oscal}"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "compliance-trestle==3.12.*" "pytest>=7"

# Build once, so the tests do not compile inside their time.
cargo build --quiet -p aimscheck-cli -p aimscheck --examples --bins

set +e
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/oscal/test_trestle.py "$@"
status=$?
set -e
if [ "$status" -ne 0 ]; then
    echo "tests/oscal: pytest failed (exit $status)" >&2
    exit "$status"
fi
