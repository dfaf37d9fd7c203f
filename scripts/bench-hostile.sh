#!/usr/bin/env bash
# The adversarial-cost benchmark: how much longer `aimscheck check` takes than a process that
# only parses the same file, on models shaped to make each rule of the default pack work
# hardest per byte of input (bench/src/hostile.rs).
#   1. builds the release binaries aimscheck-hostile and aimscheck-parse and the CLI;
#   2. writes the corpus into $target/hostile: one model per rule and indicator id, of about
#      $HOSTILE_BYTES bytes (default 10,000,000), and the named extra models (proc09-issue,
#      the reported AIMS-PROC-09 case, about 13 MB);
#   3. times each distinct model (ids of one family share a model): the median of
#      $HOSTILE_RUNS runs (default 3; one when a check takes over a minute) of the parse-only
#      process and of `aimscheck check FILE --format json`, a check stopped after
#      $HOSTILE_TIMEOUT seconds (default 600), and lists the rules and indicators that ended
#      in an error (step budget hits);
#   4. prints one markdown table, also written to $target/bench-logs/hostile.md.
# The target: every model checked in at most 5x its parse. Not part of the test command (slow:
# minutes per quadratic model); the step-count test in bench/tests/hostile.rs is.
#
# Usage: bash scripts/bench-hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
target="${CARGO_TARGET_DIR:-$root/target}"
logs="$target/bench-logs"
corpus="$target/hostile"
mkdir -p "$logs" "$corpus"

cargo build --release --locked -p aimscheck-bench --bin aimscheck-hostile --bin aimscheck-parse
cargo build --release --locked -p aimscheck-cli --bin aimscheck

echo "== writing the corpus ($corpus, ${HOSTILE_BYTES:-10000000} bytes per model)"
"$target/release/aimscheck-hostile" --bytes "${HOSTILE_BYTES:-10000000}" --out "$corpus" >"$logs/hostile-corpus.txt"
# Every model must load: a model the CLI refuses measures nothing.
for f in "$corpus"/*.json; do
    "$target/release/aimscheck" validate "$f" >/dev/null
done
echo "== timing (logs in $logs)"
{
    echo "Adversarial corpus, $(date -u +%Y-%m-%d), $(nproc) cores; check = \`aimscheck check FILE --format json\`, parse = read and parse only (aimscheck-parse); median of ${HOSTILE_RUNS:-3} runs."
    echo
    "$target/release/aimscheck-hostile" --bench "$target/release/aimscheck" --out "$corpus" \
        --runs "${HOSTILE_RUNS:-3}" --timeout "${HOSTILE_TIMEOUT:-600}"
} | tee "$logs/hostile.md"
