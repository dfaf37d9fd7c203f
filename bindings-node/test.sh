#!/usr/bin/env bash
# Installs, builds and tests the Node binding on a fresh machine with Node 20 (>= 20.17), npm
# and the Rust toolchain: npm ci (which must not warn that a package does not support this
# Node, EBADENGINE), napi build (release), node --test (the shared cases, the examples against
# the CLI, errors, concurrency, the types) and tsc on the typed example. The packages as npm
# would publish them (the main package and the platform package with the prebuilt addon) are
# built by scripts/dist.sh and installed and used by scripts/test-dist.sh.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

echo "== Node binding: install (npm ci)"
node --version
npm --version
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund 2>&1 | tee "$log"
else
  npm install --no-audit --no-fund 2>&1 | tee "$log"
fi
# The dev-dependencies (and theirs) must support the Node versions of `engines` in
# package.json: npm warns EBADENGINE for a package whose `engines` exclude this Node.
if grep -q EBADENGINE "$log"; then
  echo "error: npm warned EBADENGINE: a locked package does not support Node $(node --version);" \
    "lock a version that does (see package-lock.json) or change engines.node in package.json" >&2
  exit 1
fi

echo "== Node binding: build (napi build --release)"
npm run build

# index.d.ts and binding.js are generated and committed: the build must not change them.
if git rev-parse --is-inside-work-tree > /dev/null 2>&1 && ! git diff --quiet -- index.d.ts binding.js; then
  git --no-pager diff --stat -- index.d.ts binding.js
  echo "index.d.ts or binding.js differ from what napi build generates: commit the regenerated files" >&2
  exit 1
fi

echo "== Node binding: tests (node --test)"
npm test

echo "== Node binding: types (tsc --noEmit --strict)"
npx tsc --noEmit --strict -p test/types

