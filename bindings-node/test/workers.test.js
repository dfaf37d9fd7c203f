'use strict'
// The addon in worker threads: 8 Workers each load the package (the addon is loaded once per
// thread, as a context-aware Node-API module), evaluate the same shipped example with the same
// options, sync and async, and post back the report JSON, which must equal the main thread's;
// workers that exit and new ones that load the addon again work the same. Beside them, the
// main thread's evaluateAsync calls run 8 at a time on the thread pool.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { evaluate, evaluateAsync, Engine } = require('..')
const { AS_OF, EXAMPLES } = require('../support/helpers.js')

const PKG = path.resolve(__dirname, '..')
const WORKER = path.join(PKG, 'support', 'evaluate-worker.js')
const TEXT = fs.readFileSync(path.join(EXAMPLES, 'gaps.json'), 'utf8')
const OPTIONS = { asOf: AS_OF, profile: 'certification' }
const WORKERS = 8
const ROUNDS = 2

/** Starts a worker and resolves to the message it posts; rejects if it fails or exits early. */
function run(data) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { pkg: PKG, text: TEXT, options: OPTIONS, rounds: ROUNDS, ...data } })
    let message = null
    worker.once('message', (m) => {
      message = m
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with code ${code}`))
      else if (message === null) reject(new Error('worker exited without posting a report'))
      else resolve(message)
    })
  })
}

test('8 workers load the addon and give the main thread’s report, sync and async', async () => {
  const expected = JSON.stringify(evaluate(TEXT, OPTIONS))
  // The example fails some rules: the reports compared are not trivial.
  assert.equal(JSON.parse(expected).verdict, 'nonconformant')
  for (let batch = 0; batch < 2; batch++) {
    // Two batches: the second loads the addon again in new threads after the first exited.
    const results = await Promise.all(Array.from({ length: WORKERS }, () => run({})))
    assert.equal(results.length, WORKERS)
    for (const { reports } of results) {
      assert.equal(reports.length, ROUNDS * 4)
      for (const r of reports) assert.equal(r, expected)
    }
  }
})

test('8 concurrent evaluateAsync calls from the main thread, while workers evaluate too', async () => {
  const expected = JSON.stringify(evaluate(TEXT, OPTIONS))
  const engine = new Engine()
  const workers = Promise.all(Array.from({ length: 2 }, () => run({})))
  const calls = Array.from({ length: WORKERS }, (_, i) =>
    i % 2 === 0 ? evaluateAsync(TEXT, OPTIONS) : engine.evaluateAsync(TEXT, OPTIONS),
  )
  const reports = await Promise.all(calls)
  assert.equal(reports.length, WORKERS)
  for (const r of reports) assert.equal(JSON.stringify(r), expected)
  for (const { reports: inWorker } of await workers) {
    for (const r of inWorker) assert.equal(r, expected)
  }
})

test('a panic inside the addon in a worker is an InternalError there, and nothing else stops', async () => {
  const expected = JSON.stringify(evaluate(TEXT, OPTIONS))
  const [panicking, quiet] = await Promise.all([run({ panic: true }), run({})])
  assert.deepEqual(
    panicking.panicked.map((p) => [p.internal, p.code]),
    [
      [true, 'AIMS-E-INTERNAL'],
      [true, 'AIMS-E-INTERNAL'],
    ],
  )
  assert.match(panicking.panicked[0].message, /panic in a worker$/)
  assert.match(panicking.panicked[1].message, /panic in a worker, on the pool$/)
  for (const r of [...panicking.reports, ...quiet.reports]) assert.equal(r, expected)
  // The main thread too.
  assert.equal(JSON.stringify(await evaluateAsync(TEXT, OPTIONS)), expected)
})

test('terminating a worker while it evaluates leaves the process and other threads working', async () => {
  const expected = JSON.stringify(evaluate(TEXT, OPTIONS))
  const worker = new Worker(WORKER, { workerData: { pkg: PKG, text: TEXT, options: OPTIONS, rounds: 1000 } })
  let posted = false
  worker.on('message', () => {
    posted = true
  })
  await new Promise((resolve) => worker.once('online', resolve))
  // Give it time to load the addon and start evaluating (some calls on the thread pool).
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal(await worker.terminate(), 1)
  assert.equal(posted, false, 'the worker finished before it was terminated')
  assert.equal(JSON.stringify(await evaluateAsync(TEXT, OPTIONS)), expected)
  const { reports } = await run({})
  for (const r of reports) assert.equal(r, expected)
})
