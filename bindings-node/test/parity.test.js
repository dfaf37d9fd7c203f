'use strict'
// Parity with the CLI and the Python binding.
//
// Every command of `aimscheck --help` has its calls here, taking the CLI's options under the
// Python names in camelCase: the commands, their flags and the calls are listed in
// tests/parity.json, which the Python suite reads too, and the commands and flags are read from
// the built CLI's `--help`.
//
// Then the cases where the front ends once disagreed, now answered by the core's call layer: an
// export or a map with a report of another model is refused, a report of a format this engine
// does not read is refused, an inline overlay's error points into the object given, and the
// rule list applies an overlay once. The Python and CLI suites check the same.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const aimscheck = require('..')
const { evaluate, exportReport, diagram, Engine, AimsCheckError, RulePackError } = aimscheck
const { ROOT, AS_OF, cliBinary, runCli, thrown, rejected } = require('../support/helpers.js')

const EXAMPLES = path.join(__dirname, '..', '..', 'examples')
const read = (name) => fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')
const PARITY = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'parity.json'), 'utf8'))
const COMMANDS = PARITY.commands

/** A Python name in camelCase: `as_of` -> `asOf`. */
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

let exe
const help = (...args) => {
  const r = runCli(exe, [...args, '--help'])
  assert.equal(r.status, 0, r.stderr)
  return r.stdout
}
/** The commands a `--help` lists (`help` aside). */
const subcommands = (text) =>
  text
    .split('Commands:\n')[1]
    .split('\n\n')[0]
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((n) => n !== 'help')
/** The long flags a command's `--help` lists (`--help` aside; aliases are not flags). */
const flags = (text) =>
  new Set([...text.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]).filter((f) => f !== '--help'))

test('the list has every command of the CLI', () => {
  exe = cliBinary()
  const commands = subcommands(help()).flatMap((c) => (c === 'rules' ? subcommands(help('rules')).map((s) => `rules ${s}`) : [c]))
  assert.deepEqual([...commands].sort(), Object.keys(COMMANDS).sort())
  for (const [command, entry] of Object.entries(COMMANDS)) {
    const mapped = new Set(entry.calls.flatMap((c) => Object.keys(c.options)))
    const elsewhere = Object.keys(entry.elsewhere)
    assert.deepEqual(elsewhere.filter((f) => mapped.has(f)), [], `${command}: a flag is both an option and not one`)
    assert.deepEqual([...flags(help(...command.split(' ')))].sort(), [...mapped, ...elsewhere].sort(), command)
  }
})

// Each call with the arguments it needs, and options on top (the null each option gets here
// only shows that the call takes it by that name).
const REPORT = evaluate(read('startup'), { asOf: AS_OF })
const MODEL = read('startup')
const CALLS = {
  evaluate: (o) => aimscheck.evaluate(MODEL, { asOf: AS_OF, ...o }),
  evaluateMany: (o) => aimscheck.evaluateMany([MODEL], { asOf: AS_OF, ...o }),
  export: (o) => aimscheck.export(REPORT, o.format ?? 'markdown', o.format === undefined ? o : {}),
  validate: (o) => aimscheck.validate(MODEL, o),
  validateModel: (o) => aimscheck.validateModel(MODEL, o),
  rules: (o) => aimscheck.rules(o),
  explainRule: (o) => aimscheck.explainRule('AIMS-PROC-01', o),
  lintRules: (o) => aimscheck.lintRules(o),
  init: (o) => aimscheck.init({ tier: 'startup', ...o }),
  migrate: (o) => aimscheck.migrate(MODEL, o),
  diff: () => aimscheck.diff(REPORT, REPORT),
  diagram: (o) => aimscheck.diagram(MODEL, o),
}

/** The error the call throws or rejects with, or undefined. */
async function failure(fn) {
  try {
    await fn()
  } catch (e) {
    return e
  }
  return undefined
}

test('every call of the list is in the package, in CommonJS and ESM', async () => {
  const listed = new Set(Object.values(COMMANDS).flatMap((e) => e.calls.map((c) => camel(c.python))))
  assert.deepEqual([...listed].sort(), Object.keys(CALLS).sort())
  const esm = await import('../index.mjs')
  for (const name of listed) {
    assert.equal(typeof aimscheck[name], 'function', name)
    assert.equal(esm[name], aimscheck[name], name)
    assert.notEqual(await CALLS[name]({}), undefined, name)
  }
})

for (const [command, entry] of Object.entries(COMMANDS)) {
  for (const call of entry.calls) {
    for (const option of new Set(Object.values(call.options))) {
      const [name, key] = [camel(call.python), camel(option)]
      test(`${command}: ${name} takes ${key}`, async () => {
        const e = await failure(() => CALLS[name]({ [key]: null }))
        assert.ok(!/unknown option/.test(e?.message ?? ''), `${name} has no ${key}: ${e?.message}`)
        // A name the call does not take is refused as such: the check above can fail.
        const wrong = await failure(() => CALLS[name]({ [`${key}X`]: null }))
        assert.match(wrong?.message ?? '', /unknown option/)
      })
    }
  }
}

test('an export or a map of a report with another model is refused', () => {
  const report = evaluate(read('startup'), { asOf: AS_OF })
  for (const call of [
    () => exportReport(report, 'html', { model: read('gaps') }),
    () => exportReport(report, 'sarif', { model: JSON.parse(read('gaps')) }),
    () => diagram(read('gaps'), { report }),
  ]) {
    const e = thrown(call)
    assert.ok(e instanceof AimsCheckError)
    assert.equal(e.code, 'AIMS-E-REPORT')
    assert.match(e.message, /not the one the report is about/)
  }
  // With its own model, the export goes through.
  assert.match(exportReport(report, 'html', { model: read('startup') }), /^<!DOCTYPE html>/)
})

test('a report of a format this engine does not read is refused', () => {
  const report = { ...evaluate(read('startup'), { asOf: AS_OF }), report_version: '3.0' }
  const e = thrown(() => exportReport(report, 'markdown'))
  assert.equal(e.code, 'AIMS-E-REPORT')
  assert.match(e.message, /format 3\.0; this engine reads reports of formats 1\.0 and 2\.0/)
})

test("an inline overlay's error points into the object, with no line of a text never written", () => {
  const e = thrown(() => new Engine({ overlay: { disable: ['AIMS-NOPE-01'] } }))
  assert.ok(e instanceof RulePackError)
  assert.equal(e.errors[0].pointer, '/disable/0')
  assert.equal(e.errors[0].line, undefined)
})

test('the rule list applies an overlay once', () => {
  const listed = new Engine({ overlay: { severity: { 'AIMS-DOC-04': 'high' } } }).rules()
  assert.equal(listed.length, 53)
  assert.equal(listed.find((r) => r.id === 'AIMS-DOC-04').severity, 'high')
})
