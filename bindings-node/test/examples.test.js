'use strict'
// The five examples: the report of `evaluate` equals (parsed and deep-compared) what
// `aimscheck check EXAMPLE --format json --as-of 2026-06-30` prints, whichever form the model
// comes in (JSON text, Buffer, object) and whichever call (evaluate, evaluateAsync, Engine).

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const aimscheck = require('..')
const { AS_OF, examples, cliBinary, runCli, tmpDir } = require('../support/helpers.js')

const all = examples()
let exe

test.before(() => {
  exe = cliBinary()
})

test('the five examples are there', () => {
  assert.deepEqual(
    all.map((e) => e.name),
    ['enterprise.json', 'gaps-1.1.json', 'gaps.json', 'scaleup.json', 'startup.json'],
  )
})

for (const { name, file } of all) {
  test(`example ${name} equals aimscheck check --format json`, async () => {
    const cli = runCli(exe, ['check', file, '--format', 'json', '--as-of', AS_OF])
    assert.ok(cli.status === 0 || cli.status === 1, `aimscheck exited ${cli.status}: ${cli.stderr}`)
    const expected = JSON.parse(cli.stdout)
    const text = fs.readFileSync(file, 'utf8')

    const fromText = aimscheck.evaluate(text, { asOf: AS_OF })
    assert.deepStrictEqual(fromText, expected)
    assert.deepStrictEqual(aimscheck.evaluate(Buffer.from(text), { asOf: AS_OF }), expected)
    assert.deepStrictEqual(await aimscheck.evaluateAsync(text, { asOf: AS_OF }), expected)
    const engine = new aimscheck.Engine()
    assert.deepStrictEqual(engine.evaluate(text, { asOf: AS_OF }), expected)

    // An object model is the JSON text JSON.stringify makes of it: its report equals the CLI's
    // on that text. The digest may differ from the original text's: the canonical JSON the
    // digest hashes writes 2.0 as "2.0", while to JS 2.0 is the integer 2.
    const object = JSON.parse(text)
    const stringified = path.join(tmpDir('example'), name)
    fs.writeFileSync(stringified, JSON.stringify(object))
    const cliObject = runCli(exe, ['check', stringified, '--format', 'json', '--as-of', AS_OF])
    const expectedObject = JSON.parse(cliObject.stdout)
    assert.deepStrictEqual(aimscheck.evaluate(object, { asOf: new Date(`${AS_OF}T00:00:00Z`) }), expectedObject)
    assert.deepStrictEqual(await engine.evaluateAsync(object, { asOf: AS_OF }), expectedObject)
    const { model: m1, ...rest1 } = expectedObject
    const { model: m2, ...rest2 } = expected
    assert.deepStrictEqual(rest1, rest2, 'apart from the model digest, the same report')
    assert.equal(m1.organization, m2.organization)

    // Same fields in the same order as the Rust report: the pretty JSON of the report is the
    // CLI's output byte for byte.
    assert.equal(`${JSON.stringify(fromText, null, 2)}\n`, cli.stdout)
    // The CLI's exit code agrees with the verdict.
    assert.equal(cli.status, fromText.verdict === 'nonconformant' ? 1 : 0)
  })

  test(`example ${name} with an explicit tier equals the CLI's --tier`, () => {
    const cli = runCli(exe, ['check', file, '--format', 'json', '--as-of', AS_OF, '--tier', 'enterprise', '--profile', 'certification'])
    assert.ok(cli.status === 0 || cli.status === 1, cli.stderr)
    const report = aimscheck.evaluate(fs.readFileSync(file), { asOf: AS_OF, tier: 'enterprise', profile: 'certification' })
    assert.deepStrictEqual(report, JSON.parse(cli.stdout))
  })
}
