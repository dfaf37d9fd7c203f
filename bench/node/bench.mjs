// Node benchmarks of aimscheck: `evaluate` on generated models, beside the Rust engine.
//
// For each size N (number of processes), the model text comes from the release build of
// `aimscheck-gen N 1` (the generator of bench/src/lib.rs, the same models as the criterion
// benchmarks), and this script times, as the median of k runs with `performance.now()`:
//
// - `JSON.parse(text)`: Node's own parse of the same text, for reference;
// - `evaluate(string)`, `evaluate(Buffer)`: JSON-text input, the report returned as objects;
// - `evaluate(object)`: object input, the conversion from JS (`JSON.stringify`) included;
// - `evaluateAsync(string)`, `evaluateAsync(object)`: the same on the libuv thread pool;
// - `new Engine().evaluate(string)`, `... (object)`: a compiled engine;
//
// and, in the same run, the Rust figures of `aimscheck-time` on the same file (parse, load,
// evaluate, text -> report). Each Node figure is given as a ratio to the Rust text -> report
// (load, evaluate, `to_json_pretty`); issue 7 targets <= 1.3.
//
// Build the two binaries and the addon first (scripts/bench.sh does all of it):
//
//   cargo build --release -p aimscheck-bench --bin aimscheck-gen --bin aimscheck-time
//   (cd bindings-node && npm ci && npm run build)
//   node bench/node/bench.mjs [--sizes 100,10000] [--runs K] [--json]
//
// k is 7 for N < 10,000 and 3 from there (or --runs).

import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const AS_OF = '2026-06-30' // aimscheck_bench::AS_OF: the date the generated models are meant for

const { evaluate, evaluateAsync, Engine, version } = await import(
  path.join(ROOT, 'bindings-node', 'index.mjs')
)

function releaseBin(name) {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target')
  const file = path.join(target, 'release', name)
  if (!fs.existsSync(file)) {
    console.error(
      `error: ${file} is missing; build it with ` +
        '`cargo build --release -p aimscheck-bench --bin aimscheck-gen --bin aimscheck-time`',
    )
    process.exit(1)
  }
  return file
}

/** Median of `runs` timings of `f()` (awaited when it returns a promise), in ms. */
async function medianMs(runs, f) {
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    const result = f()
    if (result instanceof Promise) await result
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

const runsFor = (n, runs) => runs ?? (n < 10_000 ? 7 : 3)

async function benchSize(n, runs, gen, timer) {
  const text = execFileSync(gen, [String(n), '1'], { encoding: 'utf8', maxBuffer: 2 ** 31 - 1 })
  const buffer = Buffer.from(text, 'utf8')
  const obj = JSON.parse(text)
  const engine = new Engine()
  const opts = { asOf: AS_OF }
  const node = {
    'JSON.parse': await medianMs(runs, () => JSON.parse(text)),
    'evaluate(string)': await medianMs(runs, () => evaluate(text, opts)),
    'evaluate(Buffer)': await medianMs(runs, () => evaluate(buffer, opts)),
    'evaluate(object)': await medianMs(runs, () => evaluate(obj, opts)),
    'evaluateAsync(string)': await medianMs(runs, () => evaluateAsync(text, opts)),
    'evaluateAsync(object)': await medianMs(runs, () => evaluateAsync(obj, opts)),
    'new Engine().evaluate(string)': await medianMs(runs, () => engine.evaluate(text, opts)),
    'new Engine().evaluate(object)': await medianMs(runs, () => engine.evaluate(obj, opts)),
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aimscheck-bench-'))
  let rust
  try {
    const model = path.join(dir, `model-${n}.json`)
    fs.writeFileSync(model, buffer)
    rust = JSON.parse(execFileSync(timer, [model, AS_OF, String(runs)], { encoding: 'utf8' }))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const full = rust.text_to_report_ms
  return {
    n,
    bytes: buffer.length,
    runs,
    rust,
    node_ms: node,
    ratio_to_rust_text_to_report: Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, v / full]),
    ),
  }
}

function printTable(results) {
  console.log(`Node ${process.version}, aimscheck ${version}; medians of k runs`)
  console.log(
    `${'N'.padStart(8)}  ${'k'.padStart(2)}  ${'measure'.padEnd(36)} ${'ms'.padStart(12)}  ${'/ Rust text->report'.padStart(20)}`,
  )
  for (const r of results) {
    const full = r.rust.text_to_report_ms
    const rows = [
      ['Rust serde_json parse (baseline)', r.rust.parse_ms],
      ['Rust load', r.rust.load_ms],
      ['Rust evaluate', r.rust.evaluate_ms],
      ['Rust text -> report', full],
      ...Object.entries(r.node_ms).map(([k, v]) => [`Node ${k}`, v]),
    ]
    for (const [name, ms] of rows) {
      console.log(
        `${String(r.n).padStart(8)}  ${String(r.runs).padStart(2)}  ${name.padEnd(36)} ${ms.toFixed(3).padStart(12)}  ${(ms / full).toFixed(2).padStart(19)}x`,
      )
    }
    console.log(
      `${''.padStart(8)}  ${''.padStart(2)}  Rust text -> report / Rust parse: ${(full / r.rust.parse_ms).toFixed(2)}x (${r.bytes} bytes)`,
    )
  }
}

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,10000' },
    runs: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
})
const sizes = values.sizes
  .split(',')
  .filter((s) => s.trim() !== '')
  .map(Number)
const runs = values.runs === undefined ? undefined : Number(values.runs)
if (
  sizes.length === 0 ||
  !sizes.every((n) => Number.isInteger(n) && n > 0) ||
  (runs !== undefined && !(Number.isInteger(runs) && runs > 0))
) {
  console.error('usage: node bench/node/bench.mjs [--sizes 100,10000] [--runs K] [--json]')
  process.exit(2)
}
const gen = releaseBin('aimscheck-gen')
const timer = releaseBin('aimscheck-time')
// Compile the default engine that evaluate() shares before any timing.
evaluate({ schema_version: '1.0' }, { asOf: AS_OF })
await evaluateAsync({ schema_version: '1.0' }, { asOf: AS_OF })

const results = []
for (const n of sizes) results.push(await benchSize(n, runsFor(n, runs), gen, timer))
if (values.json) console.log(JSON.stringify({ node: process.version, results }, null, 2))
else printTable(results)
