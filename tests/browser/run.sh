#!/usr/bin/env bash
# Browser test of the HTML report: renders examples/gaps.json as HTML with the CLI, and
# every-status.json (with every-status-overlay.json: the statuses and the severity gaps.json
# lacks, insufficient_evidence, waived, error and low), opens them in headless Chromium
# (Debian's package; installed here when missing) through playwright-core, and fails on any
# console error, page error or request leaving the page, a process missing from the SVG map,
# a badge below WCAG AA contrast (from the computed styles), a raw enum name or bare ratio in
# the words people read, or a printed gaps report (A4) longer than 8 pages. Saves
# target/artifacts/report.png and report.pdf.
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
cargo run --locked -q -p aimscheck-cli -- check "$here/every-status.json" --as-of 2026-06-30 \
  --overlay "$here/every-status-overlay.json" --format html --output "$artifacts/every-status.html"
status2=$?
set -e
# Both models fail rules on purpose: exit 1 is the expected verdict, 2 is an error.
for s in "$status" "$status2"; do
  if [ "$s" -ne 0 ] && [ "$s" -ne 1 ]; then
    echo "FAIL: aimscheck check exited $s" >&2
    exit 1
  fi
done

echo "== headless Chromium"
node "$here/check.mjs" "$artifacts/report.html" examples/gaps.json "$artifacts/report.png" \
  "$artifacts/every-status.html"
echo "browser test passed in $(($(date +%s) - start)) s"
