'use strict'
// The calls of the CLI's other commands: rules list and explain, init, migrate, diff, and the
// packs options (defaultRules). Where the CLI writes JSON, `JSON.stringify(value, null, 2) +
// "\n"` of the call's answer is the CLI's output byte for byte.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const aimscheck = require('..')
const { AimsCheckError, OptionsError, ModelError, LimitError, RulePackError, Engine } = aimscheck
const { AS_OF, EXAMPLES, cliBinary, runCli, tmpDir, thrown } = require('../support/helpers.js')

const pretty = (value) => `${JSON.stringify(value, null, 2)}\n`
const example = (name) => path.join(EXAMPLES, `${name}.json`)
const MISSPELT = '{"schema_version": "1.0", "organization": {"name": "A", "size_tier": "startup", "nmae": 1}}'

const ORG_RULE = {
  id: 'TEST-ORG-01',
  title: 'The organization is named',
  clause_refs: ['4.1'],
  aspect: 'establish',
  severity: 'medium',
  tiers: ['startup', 'scaleup', 'enterprise'],
  rationale: 'An AIMS belongs to a named organization.',
  remediation: 'Set organization.name.',
  check: { assert: { that: { exists: '/organization/name' }, message: 'the organization has no name' } },
}

let exe
let dir
let pack
let overlay

test.before(() => {
  exe = cliBinary()
  dir = tmpDir('tools')
  pack = path.join(dir, 'pack')
  fs.mkdirSync(pack)
  fs.writeFileSync(path.join(pack, 'pack.json'), JSON.stringify({ id: 'node-test', version: '1.0.0', title: 't' }))
  fs.writeFileSync(path.join(pack, 'rules.json'), JSON.stringify({ rules: [ORG_RULE] }))
  overlay = path.join(dir, 'overlay.json')
  fs.writeFileSync(overlay, JSON.stringify({ disable: ['AIMS-CI-02'], severity: { 'AIMS-DOC-04': 'high' } }))
})

/** `aimscheck <args>`'s standard output; its exit status must be `status`. */
function cli(args, status = 0) {
  const r = runCli(exe, args)
  assert.equal(r.status, status, r.stderr)
  return r.stdout
}

// ---- rules list ----

test('rules are the CLI rules list byte for byte', () => {
  assert.equal(pretty(aimscheck.rules()), cli(['rules', 'list', '--format', 'json']))
  const listed = aimscheck.rules({ rules: pack, overlay })
  assert.equal(pretty(listed), cli(['rules', 'list', '--format', 'json', '--rules', pack, '--overlay', overlay]))
  const byId = Object.fromEntries(listed.map((r) => [r.id, r]))
  assert.equal(byId['AIMS-CI-02'].disabled, true)
  assert.equal(byId['AIMS-DOC-04'].severity, 'high')
  assert.equal('disabled' in byId['AIMS-DOC-04'], false)
  assert.equal(byId['TEST-ORG-01'].pack, 'node-test')
  // The same overlay as an object, and the same packs compiled once.
  assert.deepStrictEqual(aimscheck.rules({ rules: [pack], overlay: JSON.parse(fs.readFileSync(overlay, 'utf8')) }), listed)
  assert.deepStrictEqual(new Engine({ rules: pack, overlay }).rules(), listed)
})

test('defaultRules: false leaves out the default pack', () => {
  const alone = aimscheck.rules({ rules: pack, defaultRules: false })
  assert.deepEqual(
    alone.map((r) => r.id),
    ['TEST-ORG-01'],
  )
  assert.equal(pretty(alone), cli(['rules', 'list', '--format', 'json', '--rules', pack, '--no-default-rules']))
  const model = path.join(dir, 'model.json')
  fs.writeFileSync(model, '{"schema_version": "1.0"}')
  const expected = JSON.parse(
    cli(['check', model, '--format', 'json', '--as-of', AS_OF, '--tier', 'startup', '--rules', pack, '--no-default-rules'], 1),
  )
  const options = { asOf: AS_OF, tier: 'startup', rules: pack, defaultRules: false }
  assert.deepStrictEqual(aimscheck.evaluate(fs.readFileSync(model), options), expected)
})

test('defaultRules: false needs a pack and must be a boolean', async () => {
  for (const call of [
    () => aimscheck.rules({ defaultRules: false }),
    () => new Engine({ defaultRules: false }),
    () => aimscheck.evaluate('{"schema_version": "1.0"}', { asOf: AS_OF, defaultRules: false }),
    () => aimscheck.explainRule('AIMS-PROC-01', { defaultRules: false }),
  ]) {
    const e = thrown(call)
    assert.ok(e instanceof OptionsError, e)
    assert.match(e.message, /no rule to evaluate/)
  }
  assert.match(thrown(() => aimscheck.rules({ defaultRules: 'no' })).message, /defaultRules must be a boolean/)
  assert.deepStrictEqual(aimscheck.rules({ defaultRules: true }), aimscheck.rules())
})

// ---- rules explain ----

test('explainRule is the CLI rules explain byte for byte', () => {
  const ids = aimscheck.rules().map((r) => r.id)
  assert.equal(ids.length, 53)
  for (const id of ids) {
    assert.equal(pretty(aimscheck.explainRule(id)), cli(['rules', 'explain', id, '--format', 'json']), id)
  }
  // The only case-insensitive match is the rule.
  assert.deepStrictEqual(aimscheck.explainRule('aims-proc-01'), aimscheck.explainRule('AIMS-PROC-01'))
})

test('explainRule of a pack', () => {
  const rule = aimscheck.explainRule('TEST-ORG-01', { rules: pack })
  assert.equal(rule.pack, 'node-test')
  assert.equal(pretty(rule), cli(['rules', 'explain', 'TEST-ORG-01', '--format', 'json', '--rules', pack]))
  assert.deepStrictEqual(aimscheck.explainRule('TEST-ORG-01', { rules: pack, defaultRules: false }), rule)
  const e = thrown(() => aimscheck.explainRule('AIMS-PROC-01', { rules: pack, defaultRules: false }))
  assert.equal(e.code, 'AIMS-E-UNKNOWN-RULE')
  assert.match(e.message, /nearest: TEST-ORG-01/)
})

test('an unknown rule id names the nearest, as the CLI does', () => {
  const e = thrown(() => aimscheck.explainRule('AIMS-PROC-1'))
  assert.ok(e instanceof OptionsError)
  assert.equal(e.code, 'AIMS-E-UNKNOWN-RULE')
  assert.match(e.message, /nearest: AIMS-PROC-01, /)
  assert.deepEqual(
    e.errors.map((i) => [i.code, i.ruleId]),
    [['AIMS-E-UNKNOWN-RULE', 'AIMS-PROC-1']],
  )
  const issue = e.errors[0].message
  assert.ok(issue.startsWith('no loaded pack has rule "AIMS-PROC-1"; nearest: AIMS-PROC-01, '), issue)
  const r = runCli(exe, ['rules', 'explain', 'AIMS-PROC-1'])
  assert.equal(r.status, 2)
  assert.ok(r.stderr.includes(`error[AIMS-E-UNKNOWN-RULE]: ${issue}\n`), r.stderr)
  assert.match(thrown(() => aimscheck.explainRule(1)).message, /the rule id must be a string/)
  assert.match(thrown(() => aimscheck.explainRule('AIMS-PROC-01', { overlay })).message, /unknown option overlay/)
})

// ---- init ----

for (const tier of ['startup', 'scaleup', 'enterprise']) {
  test(`init of ${tier} is the CLI init byte for byte`, () => {
    const text = aimscheck.init({ tier })
    assert.equal(text, cli(['init', '--tier', tier]))
    const model = JSON.parse(text)
    assert.equal(model.schema_version, '1.1')
    assert.equal(model.organization.size_tier, tier)
    const answer = aimscheck.validate(text)
    assert.ok(answer.valid)
    assert.deepEqual(answer.warnings, [])
  })
}

test('init refuses another tier', () => {
  const e = thrown(() => aimscheck.init({ tier: 'huge' }))
  assert.ok(e instanceof OptionsError)
  assert.match(e.message, /unknown tier huge/)
  assert.match(thrown(() => aimscheck.init({})).message, /tier is required/)
  assert.match(thrown(() => aimscheck.init()).message, /tier is required/)
  assert.match(thrown(() => aimscheck.init({ tier: 3 })).message, /tier must be a string/)
})

// ---- migrate ----

for (const name of ['gaps', 'scaleup', 'startup']) {
  test(`migrate of ${name} is the CLI migrate byte for byte`, () => {
    const file = example(name)
    const text = fs.readFileSync(file, 'utf8')
    const expected = cli(['migrate', file])
    for (const model of [text, fs.readFileSync(file)]) {
      assert.deepStrictEqual(aimscheck.migrate(model), { modelText: expected, changed: true })
    }
    assert.equal(expected, text.replace('"schema_version": "1.0"', '"schema_version": "1.1"'))
    // An object is written as JSON: the same model.
    const answer = aimscheck.migrate(JSON.parse(text))
    assert.equal(answer.changed, true)
    assert.deepStrictEqual(JSON.parse(answer.modelText), JSON.parse(expected))
  })
}

test('migrate leaves a model of 1.1 as it is', () => {
  const text = fs.readFileSync(example('gaps-1.1'), 'utf8')
  assert.deepStrictEqual(aimscheck.migrate(text), { modelText: text, changed: false })
})

test('migrate refuses what it cannot rewrite', () => {
  let e = thrown(() => aimscheck.migrate('{"schema_version": "1.9"}'))
  assert.ok(e instanceof ModelError)
  assert.equal(e.code, 'AIMS-E-MIGRATE')
  e = thrown(() => aimscheck.migrate('{"schema_version": "1.0", "processes": 3}'))
  assert.deepEqual(
    e.errors.map((i) => i.code),
    ['AIMS-E-SCHEMA'],
  )
  // A member the schema does not define: a warning, so migrated; with strict, refused.
  assert.equal(aimscheck.migrate(MISSPELT).changed, true)
  e = thrown(() => aimscheck.migrate(MISSPELT, { strict: true }))
  assert.ok(e instanceof ModelError)
  assert.deepEqual(
    e.errors.map((i) => [i.code, i.pointer]),
    [['AIMS-E-UNKNOWN-MEMBER', '/organization/nmae']],
  )
  const file = path.join(dir, 'misspelt.json')
  fs.writeFileSync(file, MISSPELT)
  cli(['migrate', file, '--strict'], 2)
  assert.ok(thrown(() => aimscheck.migrate(MISSPELT, { limits: { maxBytes: 10 } })) instanceof LimitError)
  assert.match(thrown(() => aimscheck.migrate(MISSPELT, { force: true })).message, /unknown option force/)
})

// ---- diff ----

/** The CLI's reports of gaps.json and enterprise.json, as files. */
function reports() {
  return ['gaps', 'enterprise'].map((name) => {
    const out = path.join(dir, `${name}-report.json`)
    const r = runCli(exe, ['check', example(name), '--format', 'json', '--as-of', AS_OF, '--output', out])
    assert.ok(r.status === 0 || r.status === 1, r.stderr)
    return out
  })
}

test('diff is the CLI diff byte for byte', () => {
  const [oldFile, newFile] = reports()
  const lines = cli(['diff', oldFile, newFile, '--format', 'json']).split(/(?<=\n)/)
  // The CLI names the two files; the call, given no file, names none.
  const named = lines.filter((l) => l.startsWith('    "file": '))
  assert.deepEqual(named, [`    "file": ${JSON.stringify(oldFile)},\n`, `    "file": ${JSON.stringify(newFile)},\n`])
  const expected = lines.filter((l) => !named.includes(l)).join('')

  const [oldText, newText] = [fs.readFileSync(oldFile, 'utf8'), fs.readFileSync(newFile, 'utf8')]
  const compared = aimscheck.diff(JSON.parse(oldText), JSON.parse(newText))
  assert.equal(pretty(compared), expected)
  assert.deepStrictEqual(aimscheck.diff(oldText, newText), compared)
  assert.deepStrictEqual(aimscheck.diff(fs.readFileSync(oldFile), JSON.parse(newText)), compared)
  const fresh = ['gaps', 'enterprise'].map((n) => aimscheck.evaluate(fs.readFileSync(example(n)), { asOf: AS_OF }))
  assert.deepStrictEqual(aimscheck.diff(...fresh), compared)
  // gaps fails rules enterprise passes: findings fixed, none new.
  const { summary } = compared
  assert.ok(summary.fixed > 0 && summary.new === 0 && summary.rules_improved > 0, JSON.stringify(summary))
  assert.equal(compared.old.verdict, 'nonconformant')
  assert.equal('file' in compared.old, false)
  // Backwards, what was fixed is new.
  const back = aimscheck.diff(newText, oldText).summary
  assert.deepEqual([back.new, back.fixed, back.rules_regressed], [summary.fixed, summary.new, summary.rules_improved])
})

test('diff of a report with itself changes nothing', () => {
  const report = aimscheck.evaluate(fs.readFileSync(example('gaps')), { asOf: AS_OF })
  const compared = aimscheck.diff(report, report)
  assert.ok(compared.rules.every((r) => r.change === 'same' && r.fixed.length === 0 && r.new.length === 0))
  assert.equal(
    compared.summary.unchanged,
    report.rules.reduce((n, r) => n + r.findings.length, 0),
  )
})

test('diff refuses what is not a report', () => {
  const report = aimscheck.evaluate(fs.readFileSync(example('startup')), { asOf: AS_OF })
  const model = JSON.parse(fs.readFileSync(example('startup'), 'utf8'))
  for (const [a, b] of [
    [model, report],
    [report, 'not json'],
    [report, { report_version: '3.0' }],
  ]) {
    const e = thrown(() => aimscheck.diff(a, b))
    assert.ok(e instanceof AimsCheckError)
    assert.equal(e.code, 'AIMS-E-REPORT')
  }
  assert.match(thrown(() => aimscheck.diff(report)).message, /the new report is required/)
})

// ---- diagram strict ----

test('diagram strict refuses an unknown member, as diagram --strict does', () => {
  assert.match(aimscheck.diagram(MISSPELT), /^digraph/)
  const e = thrown(() => aimscheck.diagram(MISSPELT, { strict: true }))
  assert.ok(e instanceof ModelError)
  assert.deepEqual(
    e.errors.map((i) => i.code),
    ['AIMS-E-UNKNOWN-MEMBER'],
  )
  const file = path.join(dir, 'misspelt-map.json')
  fs.writeFileSync(file, MISSPELT)
  cli(['diagram', file, '--strict', '--as-of', AS_OF], 2)
  assert.ok(!(e instanceof RulePackError))
})

test('lintRules is the CLI rules lint, byte for byte', () => {
  const exe = cliBinary()
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'aimscheck-lint-'))
  fs.writeFileSync(path.join(dir, 'pack.json'), JSON.stringify({ id: 'js-lint', version: '1.0.0', title: 't' }))
  const rule = {
    id: 'JS-LINT-01', title: 't', clause_refs: ['4.4'], aspect: 'establish', severity: 'low',
    tiers: ['startup'], rationale: 'r', remediation: 'r',
    check: { for_each: { in: '/processes/*', as: 'p', check: { assert: { message: 'm',
      that: { some: { in: '/process_runs/*', where: { ne: [{ get: '@/process_id' }, { get: '$p/id' }] } } } } } } },
  }
  fs.writeFileSync(path.join(dir, 'rules.json'), JSON.stringify({ rules: [rule] }, null, 1))
  const answer = aimscheck.lintRules({ rules: dir })
  assert.deepEqual(answer.packs, [{ id: 'js-lint', version: '1.0.0', checks: 1 }])
  assert.equal(answer.warnings.length, 1)
  assert.equal(answer.warnings[0].code, 'AIMS-W-NESTED-SCAN')
  assert.equal(answer.warnings[0].pointer, '/rules/0/check/for_each/check/assert/that/some')
  const r = runCli(exe, ['rules', 'lint', dir, '--format', 'json'])
  assert.equal(r.status, 1, r.stderr)
  assert.equal(JSON.stringify(answer, null, 2) + '\n', r.stdout)
  assert.deepEqual(aimscheck.lintRules().packs.map((p) => p.id), ['iso42001-4.4'])
  assert.throws(() => aimscheck.lintRules({ rules: path.join(dir, 'none') }), aimscheck.RulePackError)
  assert.throws(() => aimscheck.lintRules({ defaultRules: false }), /unknown option defaultRules/)
  fs.rmSync(dir, { recursive: true })
})
