'use strict'
// Exporters and the process map from Node: `exportReport` (also exported as `export`) of every
// example in every format equals, byte for byte, what `aimscheck check EXAMPLE --as-of
// 2026-06-30 --format FORMAT` prints, given the model's text and, as `modelUri`, the path the
// CLI was given (the CLI names the model file by its argument); `diagram` with the report
// equals `aimscheck diagram`; bad formats and values that are not reports throw with codes.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const aimscheck = require('..')
const {
  evaluate,
  exportReport,
  exportReportAsync,
  diagram,
  AimsCheckError,
  OptionsError,
  ModelError,
} = aimscheck
const { AS_OF, examples, cliBinary, runCli, thrown, rejected } = require('../support/helpers.js')

const FORMATS = ['sarif', 'oscal', 'junit', 'markdown', 'html', 'ciso-csv']
const all = examples()
let exe

test.before(() => {
  exe = cliBinary()
})

/** `aimscheck ARGS`, which must exit 0 or 1 (1: the verdict is nonconformant). */
function cli(args) {
  const r = runCli(exe, args)
  assert.ok(r.status === 0 || r.status === 1, `aimscheck ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return r.stdout
}

test('export is exportReport, from require and from import', async () => {
  assert.equal(typeof exportReport, 'function')
  assert.equal(aimscheck.export, exportReport)
  const esm = await import('../index.mjs')
  assert.equal(esm.export, exportReport)
  assert.equal(esm.exportReport, exportReport)
  assert.equal(esm.exportReportAsync, exportReportAsync)
  assert.equal(esm.diagram, diagram)
})

for (const { name, file } of all) {
  const text = fs.readFileSync(file, 'utf8')

  for (const format of FORMATS) {
    test(`example ${name}: exportReport(report, "${format}") equals aimscheck check --format ${format}`, async () => {
      const expected = cli(['check', file, '--as-of', AS_OF, '--format', format])
      const report = evaluate(text, { asOf: AS_OF })
      const options = { model: text, modelUri: file }
      assert.equal(exportReport(report, format, options), expected)
      assert.equal(await exportReportAsync(report, format, options), expected)
      // The model as a Buffer reads as the same text.
      assert.equal(exportReport(report, format, { model: Buffer.from(text), modelUri: file }), expected)
      // The report as the JSON text the CLI prints reads as the same report.
      const json = `${JSON.stringify(report, null, 2)}\n`
      assert.equal(aimscheck.export(json, format, options), expected)
      // Same inputs, same bytes.
      assert.equal(exportReport(report, format, options), expected)
    })
  }

  test(`example ${name}: without the model or its text, exports still render`, () => {
    const report = evaluate(text, { asOf: AS_OF })
    const sarif = JSON.parse(exportReport(report, 'sarif'))
    assert.equal(sarif.version, '2.1.0')
    const results = sarif.runs[0].results
    const uris = new Set(results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))
    if (results.length > 0) assert.deepEqual([...uris], ['model.json'], 'the default model URI')
    for (const r of results) assert.equal(r.locations[0].physicalLocation.region, undefined, 'no model, no lines')
    // A model object has no text the caller saw: no line numbers, but the same results.
    const fromObject = JSON.parse(exportReport(report, 'sarif', { model: JSON.parse(text) }))
    for (const r of fromObject.runs[0].results) assert.equal(r.locations[0].physicalLocation.region, undefined)
    assert.equal(fromObject.runs[0].results.length, results.length)
    // The HTML page has the process map only with the model.
    assert.match(exportReport(report, 'html'), /The process map is unavailable/)
    assert.match(exportReport(report, 'html', { model: JSON.parse(text) }), /<svg/)
  })

  test(`example ${name}: diagram lists every process, and with the report equals aimscheck diagram`, () => {
    const model = JSON.parse(text)
    const processes = model.processes ?? []
    assert.ok(processes.length > 0)
    const report = evaluate(text, { asOf: AS_OF })

    const dot = diagram(text)
    assert.equal(diagram(text, { format: 'dot' }), dot, 'dot is the default')
    assert.match(dot, /^digraph /)
    for (const p of processes) assert.ok(dot.includes(`id="${p.id}"`), `DOT lists process ${p.id}`)

    // Mermaid names its nodes p0, p1, ... in model order and labels them with the process
    // names (the core's Mermaid writes no process ids; the names of the examples need no
    // escaping).
    const mermaid = diagram(model, { format: 'mermaid' })
    assert.match(mermaid, /^%% .*\nflowchart LR\n/)
    processes.forEach((p, i) => {
      assert.ok(mermaid.includes(`  p${i}["${p.name}<br/>`), `Mermaid lists process ${p.id} (${p.name})`)
    })
    assert.doesNotMatch(mermaid, /class .* failing/, 'without a report nothing is marked failing')

    assert.match(diagram(Buffer.from(text), { format: 'svg' }), /^<svg/)
    for (const format of ['dot', 'svg', 'mermaid']) {
      const expected = runCli(exe, ['diagram', file, '--as-of', AS_OF, '--format', format])
      assert.equal(expected.status, 0, expected.stderr)
      assert.equal(diagram(text, { format, report }), expected.stdout, format)
    }
  })
}

test('a bad format throws an OptionsError that lists the formats', async () => {
  const report = evaluate('{"schema_version": "1.0"}', { asOf: AS_OF })
  for (const format of ['xml', 'SARIF', undefined, 7]) {
    const e = thrown(() => exportReport(report, format))
    assert.ok(e instanceof OptionsError, String(format))
    assert.equal(e.code, 'AIMS-E-OPTIONS')
    assert.equal(e.kind, 'options')
    assert.equal(e.errors[0].code, 'AIMS-E-OPTIONS')
    assert.ok(e.message.includes(FORMATS.join(', ')), e.message)
  }
  const e = await rejected(exportReportAsync(report, 'pdf'))
  assert.ok(e instanceof OptionsError)
  assert.match(e.message, /unknown export format "pdf"/)
  const d = thrown(() => diagram('{"schema_version": "1.0"}', { format: 'png' }))
  assert.ok(d instanceof OptionsError)
  assert.match(d.message, /dot, svg, mermaid/)
})

test('a value that is not a report throws an AimsCheckError with code AIMS-E-REPORT', async () => {
  const model = '{"schema_version": "1.0"}'
  for (const notReport of [{ a: 1 }, [], 'null', { ...evaluate(model, { asOf: AS_OF }), verdict: 'maybe' }]) {
    const e = thrown(() => exportReport(notReport, 'sarif'))
    assert.ok(e instanceof AimsCheckError)
    assert.equal(e.constructor, AimsCheckError, 'no subclass: its kind is report')
    assert.equal(e.code, 'AIMS-E-REPORT')
    assert.equal(e.kind, 'report')
    assert.equal(e.errors.length, 1)
    assert.equal(e.errors[0].code, 'AIMS-E-REPORT')
    assert.doesNotMatch(e.message.trim(), /^[[{]/)
  }
  // A model where the report belongs: said in words.
  const e = thrown(() => exportReport(JSON.parse(model), 'html'))
  assert.match(e.message, /not a report but a model/)
  // Report text: the issue has the line and column.
  const t = thrown(() => exportReport('{\n  "report_version": 1\n}', 'junit'))
  assert.equal(t.code, 'AIMS-E-REPORT')
  assert.equal(t.errors[0].line, 2)
  const r = await rejected(exportReportAsync({}, 'markdown'))
  assert.equal(r.code, 'AIMS-E-REPORT')
  const d = thrown(() => diagram(model, { report: { a: 1 } }))
  assert.equal(d.code, 'AIMS-E-REPORT')
})

test('bad options and models throw the errors evaluate throws', async () => {
  const report = evaluate('{"schema_version": "1.0"}', { asOf: AS_OF })
  const unknown = thrown(() => exportReport(report, 'sarif', { modelURI: 'x.json' }))
  assert.ok(unknown instanceof OptionsError)
  assert.match(unknown.message, /unknown option modelURI .*model, modelUri/)
  assert.ok(thrown(() => exportReport(report, 'sarif', { modelUri: 3 })) instanceof OptionsError)
  assert.ok(thrown(() => exportReport(report, 'sarif', 'model.json')) instanceof OptionsError)
  assert.ok(thrown(() => diagram('{"schema_version": "1.0"}', { formats: 'svg' })) instanceof OptionsError)
  // undefined and null options and members read as absent.
  assert.equal(
    exportReport(report, 'markdown', { model: undefined, modelUri: null }),
    exportReport(report, 'markdown'),
  )
  const bad = thrown(() => exportReport(report, 'sarif', { model: '{not json' }))
  assert.ok(bad instanceof ModelError)
  assert.equal(bad.code, 'AIMS-E-SYNTAX')
  assert.equal(bad.errors[0].line, 1)
  const badAsync = await rejected(exportReportAsync(report, 'sarif', { model: '[]' }))
  assert.ok(badAsync instanceof ModelError)
  const noModel = thrown(() => diagram())
  assert.ok(noModel instanceof OptionsError)
  assert.match(noModel.message, /the model is required/)
  const badReport = thrown(() => exportReport(undefined, 'sarif'))
  assert.ok(badReport instanceof OptionsError)
  assert.match(badReport.message, /the report is required/)
})
