#!/usr/bin/env bash
# Browser test of the HTML report: renders examples/gaps.json as HTML with the CLI, opens it in
# headless Chromium (Debian's package; installed here when missing) through playwright-core,
# fails on any console error, page error or request leaving the page, checks the SVG process
# map has a size and a node for every process, and saves target/artifacts/report.png.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
start=$(date +%s)

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
fi

echo "== npm ci (playwright-core; it downloads no browser)"
(cd "$here" && npm ci --no-audit --no-fund)

echo "== building the CLI and rendering the HTML report of examples/gaps.json"
cargo build --locked -q -p aimscheck-cli
artifacts="$root/target/artifacts"
mkdir -p "$artifacts"
set +e
cargo run --locked -q -p aimscheck-cli -- check examples/gaps.json --as-of 2026-06-30 \
  --format html --output "$artifacts/report.html"
status=$?
set -e
# gaps.json fails rules on purpose: exit 1 is the expected verdict, 2 is an error.
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "FAIL: aimscheck check exited $status" >&2
  exit 1
fi

echo "== headless Chromium"
node "$here/check.mjs" "$artifacts/report.html" examples/gaps.json "$artifacts/report.png"
echo "browser test passed in $(($(date +%s) - start)) s"
