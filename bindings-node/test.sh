#!/usr/bin/env bash
# Installs, builds and tests the Node binding on a fresh machine with Node 20 (>= 20.17), npm
# and the Rust toolchain: npm ci, napi build (release), node --test (the shared cases, the
# examples against the CLI, errors, concurrency, the types) and tsc on the typed example.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

echo "== Node binding: install (npm ci)"
node --version
npm --version
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
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
