'use strict'
// The cases where the front ends once disagreed, now answered by the core's call layer: an
// export or a map with a report of another model is refused, a report of a format this engine
// does not read is refused, an inline overlay's error points into the object given, and the
// rule list applies an overlay once. The Python and CLI suites check the same.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { evaluate, exportReport, diagram, Engine, AimsCheckError, RulePackError } = require('..')
const { AS_OF, thrown } = require('../support/helpers.js')

const EXAMPLES = path.join(__dirname, '..', '..', 'examples')
const read = (name) => fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')

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
