'use strict'
// Run in a worker thread by test/workers.test.js (kept outside test/ so `node --test` does not
// run it as a test): loads the package in the worker, evaluates the model it is given with
// `evaluate`, `evaluateAsync` and an `Engine`, several times, and posts back every report as
// JSON text; with `panic` set, it also posts back what a panic inside the addon became.

const { parentPort, workerData } = require('node:worker_threads')

async function main() {
  const aimscheck = require(workerData.pkg)
  const { text, options, rounds, panic } = workerData
  const engine = new aimscheck.Engine()
  const reports = []
  for (let i = 0; i < rounds; i++) {
    reports.push(JSON.stringify(aimscheck.evaluate(text, options)))
    reports.push(JSON.stringify(await aimscheck.evaluateAsync(text, options)))
    reports.push(JSON.stringify(engine.evaluate(text, options)))
    reports.push(JSON.stringify(await engine.evaluateAsync(text, options)))
  }
  let panicked = null
  if (panic) {
    const caught = []
    try {
      aimscheck.__panicForTests('sync', 'panic in a worker')
    } catch (e) {
      caught.push(e)
    }
    await aimscheck.__panicForTests('async', 'panic in a worker, on the pool').catch((e) => caught.push(e))
    panicked = caught.map((e) => ({
      internal: e instanceof aimscheck.InternalError,
      code: e.code,
      message: e.message,
    }))
    // The worker's addon still works after the panics.
    reports.push(JSON.stringify(aimscheck.evaluate(text, options)))
  }
  parentPort.postMessage({ reports, panicked })
}

main().catch((e) => {
  // An error here fails the test through the worker's 'error' event.
  throw e
})
