#!/usr/bin/env bash
# Runs every benchmark of the project and prints the ratios, on a fresh clone with Rust (cargo),
# Python 3.11+ with pip and Node 20.17+ with npm:
#   1. builds the release binaries aimscheck-gen (the model generator), aimscheck-time (the
#      Rust timings the Python and Node figures are compared with) and aimscheck-many (the
#      throughput of Engine::evaluate_many, $MANY_COUNT models, default 10,000, at 1 and 2
#      threads; it runs after the criterion benchmarks), aimscheck-parse and aimscheck-proc
#      (whole processes: `aimscheck check` of a generated model, text and JSON output, against
#      a process that only reads and parses the file; $PROC_RUNS runs each, default 11), and
#      the CLI;
#   2. installs the Python binding into the virtual environment target/venv-bench
#      (`pip install ./bindings-python`, a release build; maturin comes from PyPI);
#   3. builds the Node addon (`npm ci && npm run build` in bindings-node);
#   4. runs the criterion benchmarks (`cargo bench -p aimscheck-bench`) at the sizes of
#      AIMSCHECK_BENCH_SIZES, each with its ratio to the bare serde_json parse of the same text;
#   5. runs bench/python/bench.py and bench/node/bench.mjs at the same sizes: `evaluate` on
#      JSON text and on dicts/objects, beside the Rust text -> report timed in the same run;
#   6. on a generated model of each size, measures the peak memory of one text -> report
#      (`aimscheck-time --memory`: peak resident size over the input size) and times
#      `aimscheck check` against a process that only reads and parses the file (aimscheck-proc);
#   7. prints all the ratios again together (the full logs are in target/bench-logs/).
#
# Usage: bash scripts/bench.sh [--large]
#   sizes: $AIMSCHECK_BENCH_SIZES, default "100,10000"; --large adds 200000 (slow).
#   $PYTHON chooses the Python interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=venv.sh
source scripts/venv.sh
root="$PWD"
start=$SECONDS
section() { printf '\n==== %s (%d s)\n' "$*" "$((SECONDS - start))"; }

sizes="${AIMSCHECK_BENCH_SIZES:-100,10000}"
for arg in "$@"; do
    case "$arg" in
        --large) sizes="$sizes,200000" ;;
        *) echo "usage: bash scripts/bench.sh [--large]" >&2; exit 2 ;;
    esac
done
export AIMSCHECK_BENCH_SIZES="$sizes"
target="${CARGO_TARGET_DIR:-$root/target}"
logs="$target/bench-logs"
venv="$target/venv-bench"
python="${PYTHON:-python3}"
mkdir -p "$logs"

section "build: the bench binaries and the CLI (release)"
cargo build --release --locked -p aimscheck-bench --bin aimscheck-gen --bin aimscheck-time \
    --bin aimscheck-many --bin aimscheck-parse --bin aimscheck-proc
cargo build --release --locked -p aimscheck-cli --bin aimscheck

section "build: Python binding into $venv"
ensure_venv "$venv" "$python" 9 "the binding"
vpy="$venv/bin/python"
# A stale extension left in the source tree by `maturin develop` must not end up in the wheel.
rm -f bindings-python/python/aimscheck/_native*.so bindings-python/python/aimscheck/_native*.pyd
"$vpy" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./bindings-python
"$vpy" -c 'import aimscheck, sys; print("aimscheck", aimscheck.__version__, "on Python", sys.version.split()[0])'

section "build: Node addon (npm ci, npm run build)"
node --version
(cd bindings-node && npm ci --no-audit --no-fund && npm run build)

section "criterion benchmarks at N = $sizes (cargo bench -p aimscheck-bench)"
cargo bench --locked -p aimscheck-bench 2>&1 | tee "$logs/criterion.txt"

section "many models: evaluate_many of 10,000 models of 100 processes at 1 and 2 threads (aimscheck-many)"
"$target/release/aimscheck-many" "${MANY_COUNT:-10000}" 100 2026-06-30 1 2 | tee "$logs/many.txt"

section "Python benchmarks at N = $sizes"
"$vpy" bench/python/bench.py --sizes "$sizes" | tee "$logs/python.txt"

section "Node benchmarks at N = $sizes"
node bench/node/bench.mjs --sizes "$sizes" | tee "$logs/node.txt"

section "each generated model at N = $sizes: peak memory of one text -> report (aimscheck-time --memory), and aimscheck check against a parse-only process (aimscheck-proc)"
models="$target/bench-models"
mkdir -p "$models"
: >"$logs/memory.txt"
: >"$logs/process.txt"
for n in ${sizes//,/ }; do
    model="$models/g$n.json"
    "$target/release/aimscheck-gen" "$n" 1 >"$model"
    printf '%8s processes: %s\n' "$n" \
        "$("$target/release/aimscheck-time" --memory "$model" 2026-06-30)" |
        tee -a "$logs/memory.txt"
    printf '%8s processes: %s\n' "$n" \
        "$("$target/release/aimscheck-proc" "$target/release/aimscheck" "$model" 2026-06-30 "${PROC_RUNS:-11}")" |
        tee -a "$logs/process.txt"
    rm -f "$model"
done

section "all ratios (logs in $logs)"
echo "Rust, criterion run (ratios to the bare serde_json::from_str::<Value> of the same text):"
grep '^ratios ' "$logs/criterion.txt" || echo "(no ratio lines: see $logs/criterion.txt)"
echo
echo "Python (ratios to the Rust text -> report of the same run):"
cat "$logs/python.txt"
echo
echo "Node (ratios to the Rust text -> report of the same run):"
cat "$logs/node.txt"
echo
echo "evaluate_many at 1 and 2 threads (models per second, speed-up over one thread):"
cat "$logs/many.txt"
echo
echo "Whole process, aimscheck check over a process that only reads and parses the file:"
cat "$logs/process.txt"
echo
echo "Peak memory of one text -> report (peak resident size, text included, over the input size):"
cat "$logs/memory.txt"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(uname -sm)"
