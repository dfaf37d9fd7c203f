#!/usr/bin/env bash
# Tests the Python binding on a fresh machine with Python (3.10 or later; 3.11 is what CI has),
# pip and the Rust toolchain:
#   1. creates a virtual environment in bindings-python/.venv (or $AIMSCHECK_VENV),
#   2. installs pinned maturin, pytest, mypy, distributed (Dask), pyarrow and ray[data] into it
#      (from PyPI),
#   3. builds the source distribution (`maturin sdist`, with the rule packs copied into the core
#      crate it carries), then builds a wheel from that sdist alone and installs it, as pip does
#      for a user without a wheel for their platform (a release build; crates from crates.io),
#   4. runs pytest (every shared case, the examples against the CLI, errors, threads, batches
#      and pickling, Arrow input and the record batch evaluate_arrow answers, a Dask
#      LocalCluster of two worker processes, a Ray Data job on a local Ray of two CPUs, the
#      typed example), mypy --strict on the tests and
#      the typed example, and stubtest on the stubs.
# Exits non-zero when any step fails; pytest collecting no test (exit 5) is a failure too.
#
# Usage: bash bindings-python/test.sh [--dev] [pytest args...]
#   --dev   build a debug extension with `maturin develop` (editable; faster to rebuild).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
venv="${AIMSCHECK_VENV:-$here/.venv}"
python="${PYTHON:-python3}"
dev=0
if [[ "${1:-}" == "--dev" ]]; then
    dev=1
    shift
fi

# Versions the suite is known to pass with; bump them together.
# distributed (with dask) runs the distributed test: a LocalCluster of two worker processes.
# pyarrow makes the Arrow input of evaluate_arrow's tests and reads the record batch back.
# ray[data] runs the README's Ray Data job (map_batches over evaluate_arrow) on a local Ray.
tools=("maturin==1.16.0" "pytest==9.2.0" "mypy==2.4.1" "distributed==2026.11.0" "pyarrow==26.0.1"
    "ray[data]==2.60.0")

step() { printf '\n== %s\n' "$*"; }
# shellcheck source=../scripts/venv.sh
source "$here/../scripts/venv.sh"

step "virtual environment: $venv"
ensure_venv "$venv" "$python" 10 "the test tools"
vpy="$venv/bin/python"
# maturin's build backend is run as a command, so the environment's bin/ goes first on PATH.
export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
"$vpy" -m pip install --quiet --disable-pip-version-check "${tools[@]}"
"$vpy" --version

step "build and install the extension"
start=$SECONDS
# A stale extension left in the source tree by `maturin develop` must not end up in the wheel.
rm -f "$here"/python/aimscheck/_native*.so "$here"/python/aimscheck/_native*.pyd
if [[ $dev == 1 ]]; then
    (cd "$here" && maturin develop --quiet)
else
    sdist="$venv/sdist"
    rm -rf "$sdist"
    bash "$here/../scripts/with-rules-in-core.sh" \
        maturin sdist --manifest-path "$here/Cargo.toml" --out "$sdist"
    # Built in a target folder of its own, from nothing: a packaged build script carries a fixed
    # timestamp, so a shared target folder could take an older build of it for current.
    env -u CARGO_TARGET_DIR "$vpy" -m pip install --quiet --disable-pip-version-check \
        --no-build-isolation --force-reinstall --no-deps "$sdist"/aimscheck-*.tar.gz
fi
echo "built and installed in $((SECONDS - start)) s"

step "pytest"
set +e
(cd "$here" && "$vpy" -m pytest -q -p no:cacheprovider tests "$@")
status=$?
set -e
if [[ $status == 5 ]]; then
    echo "error: pytest collected no test" >&2
    exit 1
elif [[ $status != 0 ]]; then
    exit "$status"
fi

step "mypy --strict (tests and the typed example)"
(cd "$here" && "$vpy" -m mypy --strict --cache-dir "$venv/.mypy_cache" tests --exclude mistyped_example)

step "stubtest"
# Run outside the source tree, so the installed package (and its stubs) is what is checked.
(cd "$venv" && "$vpy" -m mypy.stubtest aimscheck)

echo
echo "python binding: all checks passed"
