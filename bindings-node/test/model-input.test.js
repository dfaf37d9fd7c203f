'use strict'
// A string model is JSON text: one that is not JSON but names an existing file gets the same
// syntax error, with the help to read the file with fs.readFileSync (the file looked up, never
// read). And the model types (model.d.ts) are what scripts/gen-model-types.py generates from
// the model schema.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const {
  evaluate,
  evaluateAsync,
  evaluateMany,
  validateModel,
  exportReport,
  exportReportAsync,
  diagram,
  Engine,
  ModelError,
} = require('..')
const { ROOT, AS_OF, tmpDir, thrown, rejected } = require('../support/helpers.js')

const HELP = "a string model is JSON text, and this one names a file: pass `fs.readFileSync(path, 'utf8')` to read a file"
const REPORT = evaluate('{"schema_version": "1.0"}', { asOf: AS_OF })

/** The error of every call that loads `model` (evaluateMany's item): [what, error]. */
async function modelErrors(model) {
  const errors = [
    ['evaluate', thrown(() => evaluate(model, { asOf: AS_OF }))],
    ['evaluateAsync', await rejected(evaluateAsync(model, { asOf: AS_OF }))],
    ['Engine#evaluate', thrown(() => new Engine().evaluate(model, { asOf: AS_OF }))],
    ['Engine#evaluateAsync', await rejected(new Engine().evaluateAsync(model, { asOf: AS_OF }))],
    ['evaluateMany', (await evaluateMany([model], { asOf: AS_OF }))[0]],
    ['Engine#evaluateMany', (await new Engine().evaluateMany([model], { asOf: AS_OF }))[0]],
    ['diagram', thrown(() => diagram(model))],
    ['exportReport', thrown(() => exportReport(REPORT, 'sarif', { model }))],
    ['exportReportAsync', await rejected(exportReportAsync(REPORT, 'sarif', { model }))],
  ]
  for (const [what, e] of errors) assert.ok(e instanceof ModelError, `${what}: ${e}`)
  return errors
}

/** A folder holding a valid model in aims.json, and in `1.json`. */
function folder() {
  const dir = tmpDir('path-help')
  for (const name of ['aims.json', '1.json']) fs.writeFileSync(path.join(dir, name), '{"schema_version": "1.0"}')
  return dir
}

test('a string naming a file is told to read it with fs.readFileSync', async () => {
  const dir = folder()
  const cwd = process.cwd()
  // An absolute path, and a path relative to the working folder whose name starts like a
  // number, so that the text fails further on.
  const cases = [
    [path.join(dir, 'aims.json'), 'expected value at line 1 column 1', 1],
    ['1.json', 'invalid number at line 1 column 3', 3],
  ]
  process.chdir(dir)
  try {
    for (const [name, why, column] of cases) {
      const message = `the model is not JSON: ${why}; ${HELP}`
      for (const [what, e] of await modelErrors(name)) {
        assert.equal(e.code, 'AIMS-E-SYNTAX', what)
        assert.deepEqual(
          e.errors.map((i) => [i.code, i.message, i.line, i.column]),
          [['AIMS-E-SYNTAX', message, 1, column]],
          what,
        )
        assert.ok(e.message.includes(`: ${message}`), `${what}: ${e.message}`)
        assert.ok(e.message.endsWith(`(line 1, column ${column})`), `${what}: ${e.message}`)
      }
      assert.deepEqual(
        validateModel(name).map((i) => [i.code, i.message]),
        [['AIMS-E-SYNTAX', message]],
      )
    }
  } finally {
    process.chdir(cwd)
  }
  // Looked up, not read: the file holds a valid model, which its text, read, evaluates.
  const text = fs.readFileSync(path.join(dir, 'aims.json'), 'utf8')
  assert.equal(evaluate(text, { asOf: AS_OF }).model.schema_version, '1.0')
})

test('no help unless a string that is not JSON names a file', async () => {
  const dir = folder()
  fs.writeFileSync(path.join(dir, 'aims.json\n'), '{}')
  fs.writeFileSync(path.join(dir, 'null'), '{"schema_version": "1.0"}')
  const models = [
    path.join(dir, 'missing.json'), // no such file
    dir, // a folder
    path.join(dir, 'aims.json\n'), // a file, but a string on more than one line is no path here
    Buffer.from(path.join(dir, 'aims.json')), // bytes are JSON bytes
    'x'.repeat(5000), // longer than any path
  ]
  for (const model of models) {
    for (const [what, e] of await modelErrors(model)) {
      assert.equal(e.code, 'AIMS-E-SYNTAX', what)
      assert.ok(!e.message.includes('readFileSync'), `${what}: ${e.message}`)
      assert.ok(!e.errors[0].message.includes('readFileSync'), what)
    }
  }
  // A string that names a file but is JSON is a model: here one the schema refuses.
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    const e = thrown(() => evaluate('null', { asOf: AS_OF }))
    assert.equal(e.code, 'AIMS-E-SCHEMA')
    assert.ok(!e.message.includes('readFileSync'))
  } finally {
    process.chdir(cwd)
  }
})

test('model.d.ts is what scripts/gen-model-types.py generates from the model schema', (t) => {
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0)
  if (python === undefined) {
    t.skip('no Python to run scripts/gen-model-types.py')
    return
  }
  const r = spawnSync(python, [path.join(ROOT, 'scripts', 'gen-model-types.py'), '--check'], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
  // The package ships it, and index.d.ts exports its types.
  assert.ok(require('../package.json').files.includes('model.d.ts'))
  const index = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  assert.match(index, /^export \* as model from '\.\/model'$/m)
})
