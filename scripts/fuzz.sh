#!/usr/bin/env bash
# Fuzzes the library with cargo-fuzz (libFuzzer): builds the targets in fuzz/ and runs each one
# for SECONDS_PER_TARGET seconds (default 60), one after the other, in one process each.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#
# Works on the stable toolchain: cargo-fuzz needs nightly-only compiler flags (sanitizer
# coverage, AddressSanitizer), which RUSTC_BOOTSTRAP=1 lets the stable compiler accept; stable
# ships the AddressSanitizer runtime. Installs cargo-fuzz when it is missing.
#
# Environment: FUZZ_TARGETS (space-separated, default all four), FUZZ_SANITIZER (address, the
# default, or none), FUZZ_ARGS (more libFuzzer flags, e.g. "-max_len=4096").
# New corpus entries go to fuzz/runs/corpus/<target>/ (not kept in git; the seeds in
# fuzz/corpus/<target>/ are only read), logs to fuzz/runs/<target>.log, crashes to
# fuzz/artifacts/<target>/. Exits 1 when a target found a crash, leak or timeout.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-60}
targets=${FUZZ_TARGETS:-load_model load_pack evaluate evaluate_edits}
sanitizer=${FUZZ_SANITIZER:-address}
# The stable toolchain, even where rustup also has a nightly one.
export RUSTUP_TOOLCHAIN=stable

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# Nightly-only flags accepted by the stable compiler, for the fuzz build only.
export RUSTC_BOOTSTRAP=1

# -O: optimized, -a: with debug assertions and overflow checks (what cargo-fuzz does by default).
build_flags=(-O -a --sanitizer "$sanitizer")
cargo fuzz build "${build_flags[@]}"

dict_of() {
    case $1 in
        load_pack) echo "-dict=pack.dict" ;;
        load_model | evaluate) echo "-dict=model.dict" ;;
        *) ;;
    esac
}

failed=()
for target in $targets; do
    mkdir -p "runs/corpus/$target" "artifacts/$target"
    printf '\n==== %s: %s s\n' "$target" "$seconds"
    # shellcheck disable=SC2046,SC2086
    if ! cargo fuzz run "${build_flags[@]}" "$target" "runs/corpus/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=30 -print_final_stats=1 $(dict_of "$target") \
        ${FUZZ_ARGS:-} 2>&1 | tee "runs/$target.log"; then
        failed+=("$target")
    fi
done

if ((${#failed[@]})); then
    printf '\nfindings in: %s (inputs in fuzz/artifacts/<target>/)\n' "${failed[*]}"
    exit 1
fi
printf '\nno findings in: %s\n' "$targets"
