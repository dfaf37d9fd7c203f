#!/usr/bin/env bash
# Installs, builds and tests the Node binding on a fresh machine with Node 20 (>= 20.17), npm
# and the Rust toolchain: npm ci, napi build (release), node --test (the shared cases, the
# examples against the CLI, errors, concurrency, the types), tsc on the typed example, and the
# package as npm would publish it (npm pack, installed in an empty folder, then used).
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

echo "== Node binding: the package (npm pack, installed in an empty folder)"
# What `npm publish` would upload: the tarball, installed in a project of its own, evaluates an
# example through require and import.
pack="$(mktemp -d)"
trap 'rm -rf "$pack"' EXIT
tarball="$(npm pack --silent --pack-destination "$pack")"
tar -tzf "$pack/$tarball" | sed 's/^/  /'
mkdir "$pack/app"
examples="$(cd .. && pwd)/examples"
(
  cd "$pack/app"
  npm init -y > /dev/null
  npm install --no-audit --no-fund --silent "$pack/$tarball"
  node -e '
    const fs = require("node:fs")
    const aimscheck = require("aimscheck")
    const r = aimscheck.evaluate(fs.readFileSync(process.argv[1], "utf8"), { asOf: "2026-06-30" })
    if (r.verdict !== "conformant" || r.rules.length !== 53) throw new Error(`unexpected report: ${r.verdict}, ${r.rules.length} rules`)
    console.log(`  require("aimscheck"): ${r.model.organization}: ${r.verdict}, ${r.rules.length} rules`)
  ' "$examples/scaleup.json"
  node --input-type=module -e '
    import { evaluate, version } from "aimscheck"
    const r = evaluate({ schema_version: "1.1" }, { asOf: "2026-06-30" })
    if (r.model.schema_version !== "1.1") throw new Error("unexpected report")
    console.log(`  import from "aimscheck" ${version}: ${r.verdict}`)
  '
)
