#!/usr/bin/env bash
# Builds the prebuilt artifacts (scripts/dist.sh) and installs each into an empty folder the way
# an integrator without Rust would, with a PATH that holds only the tools it needs (node, npm,
# tar, gzip, a shell; Python runs from the new virtual environment) and neither cargo nor rustc
# (checked). Through each it evaluates
# examples/scaleup.json as of 2026-06-30 and compares the JSON report, byte for byte, with the
# one the CLI built from source writes (`cargo run --release -p aimscheck-cli -- check ...
# --format json`):
#   - the wheel, into a fresh virtual environment (pip install --no-index: nothing is built or
#     downloaded), then `aimscheck.evaluate`;
#   - the two npm tarballs, into a fresh folder (npm install --offline with an empty cache: all
#     it installs comes from the tarballs), then `require("aimscheck").evaluate` and an ES module
#     import; the addon must come from the platform package;
#   - the CLI archive, unpacked, then `aimscheck check` (text and JSON).
# Prints the wall time of each install. Exits non-zero on the first failure.
#
# Usage: bash scripts/test-dist.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

as_of=2026-06-30
example="$root/examples/scaleup.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step() { printf '\n== artifacts: %s\n' "$*"; }
fail() {
    echo "error: $*" >&2
    exit 1
}
# Wall seconds since $1 (an $EPOCHREALTIME), to a tenth.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

start=$EPOCHREALTIME
bash scripts/dist.sh
echo "built in $(since "$start") s"
shopt -s nullglob
wheels=(dist/aimscheck-*-cp39-abi3-manylinux_*_x86_64.whl)
platforms=(dist/aimscheck-linux-x64-gnu-*.tgz)
mains=(dist/aimscheck-[0-9]*.tgz)
clis=(dist/aimscheck-*-x86_64-unknown-linux-gnu.tar.gz)
shopt -u nullglob
for found in "${#wheels[@]}" "${#platforms[@]}" "${#mains[@]}" "${#clis[@]}"; do
    [[ $found == 1 ]] || fail "dist/ should hold one wheel, two npm tarballs and one CLI archive"
done
wheel="$root/${wheels[0]}"
platform_tgz="$root/${platforms[0]}"
main_tgz="$root/${mains[0]}"
cli_tgz="$root/${clis[0]}"

step "the report of the source build"
cargo run --release --locked --quiet -p aimscheck-cli -- \
    check examples/scaleup.json --as-of "$as_of" --format json > "$work/expected.json"
cargo run --release --locked --quiet -p aimscheck-cli -- \
    check examples/scaleup.json --as-of "$as_of" > "$work/expected.txt"
verdict="$(node -p 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).verdict' "$work/expected.json")"
echo "source build: $verdict, $(wc -c < "$work/expected.json") bytes of JSON"

step "a PATH without cargo or rustc"
mkdir -p "$work/bin" "$work/home" "$work/tmp"
for tool in bash sh env node npm tar gzip; do
    path="$(command -v "$tool")" || fail "$tool is needed and not found"
    ln -s "$path" "$work/bin/$tool"
done
# Runs a command with only that PATH, a home of its own and nothing else from this environment.
clean() { env -i HOME="$work/home" TMPDIR="$work/tmp" LANG=C.UTF-8 PATH="$work/bin" "$@"; }
for tool in cargo rustc rustup; do
    if clean bash -c "command -v $tool"; then
        fail "$tool is on the clean PATH"
    fi
done
echo "PATH=$work/bin: no cargo, rustc or rustup"

# Checks that file $2 (a report of artifact $1) is byte for byte the source build's.
same_report() {
    if ! cmp "$work/expected.json" "$2"; then
        fail "$1: the JSON report differs from the source build's"
    fi
    echo "$1: $verdict, the same $(wc -c < "$2") bytes as the source build"
}

step "Python: pip install $(basename "$wheel")"
# shellcheck source=scripts/venv.sh
source "$root/scripts/venv.sh"
ensure_venv "$work/venv" "${PYTHON:-python3}" 9 "the wheel"
t=$EPOCHREALTIME
clean "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-index --only-binary=:all: "$wheel"
wheel_s="$(since "$t")"
echo "installed in $wheel_s s"
mkdir "$work/py"
(cd "$work/py" && clean "$work/venv/bin/python" -c '
import json, pathlib, sys
import aimscheck
report = aimscheck.evaluate(pathlib.Path(sys.argv[1]), as_of=sys.argv[2])
sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
' "$example" "$as_of") > "$work/python.json"
same_report "Python aimscheck.evaluate" "$work/python.json"

step "Node: npm install $(basename "$platform_tgz") $(basename "$main_tgz")"
mkdir "$work/node"
t=$EPOCHREALTIME
(cd "$work/node" && clean npm install --offline --cache "$work/npm-cache" --no-audit --no-fund --no-update-notifier \
    --loglevel=error "$platform_tgz" "$main_tgz")
npm_s="$(since "$t")"
echo "installed in $npm_s s"
if compgen -G "$work/node/node_modules/aimscheck/*.node" > /dev/null; then
    fail "the main npm package carries an addon: it belongs in the platform package"
fi
# shellcheck disable=SC2016 # JS, not shell
(cd "$work/node" && clean node -e '
const fs = require("node:fs")
const addon = require.resolve("aimscheck-linux-x64-gnu")
if (!addon.endsWith("/node_modules/aimscheck-linux-x64-gnu/aimscheck.linux-x64-gnu.node")) {
  throw new Error(`the addon resolves to ${addon}`)
}
const report = require("aimscheck").evaluate(fs.readFileSync(process.argv[1], "utf8"), { asOf: process.argv[2] })
process.stdout.write(JSON.stringify(report, null, 2) + "\n")
' "$example" "$as_of") > "$work/node.json"
same_report "Node require(\"aimscheck\").evaluate" "$work/node.json"
# shellcheck disable=SC2016 # JS, not shell
(cd "$work/node" && clean node --input-type=module -e '
import { evaluate, version } from "aimscheck"
const r = evaluate({ schema_version: "1.1" }, { asOf: "2026-06-30" })
if (r.model.schema_version !== "1.1") throw new Error("unexpected report")
console.log(`Node import from "aimscheck" ${version}: ${r.verdict}`)
')

step "CLI: tar -xzf $(basename "$cli_tgz")"
mkdir "$work/cli"
t=$EPOCHREALTIME
clean tar -xzf "$cli_tgz" -C "$work/cli"
cli_s="$(since "$t")"
echo "unpacked in $cli_s s"
cli="$(echo "$work/cli"/aimscheck-*/aimscheck)"
[[ -x $cli && -f "$(dirname "$cli")/README.md" ]] || fail "the archive lacks the binary or its README"
ln -s "$cli" "$work/bin/aimscheck"
(cd "$root" && clean aimscheck check examples/scaleup.json --as-of "$as_of") > "$work/cli.txt"
cmp "$work/expected.txt" "$work/cli.txt" || fail "aimscheck check (text) differs from the source build's"
head -n 2 "$work/cli.txt"
(cd "$root" && clean aimscheck check examples/scaleup.json --as-of "$as_of" --format json) > "$work/cli.json"
same_report "CLI aimscheck check --format json" "$work/cli.json"

step "summary"
for f in "$wheel" "$platform_tgz" "$main_tgz" "$cli_tgz"; do
    printf '%-60s %6s KiB\n' "$(basename "$f")" "$(($(wc -c < "$f") / 1024))"
done
printf 'install times (wall): wheel %s s (pip), npm %s s (both tarballs), CLI %s s (tar)\n' \
    "$wheel_s" "$npm_s" "$cli_s"
echo "test-dist: every artifact installed without Rust and gave the source build's report"
