'use strict'
// The API: evaluate / evaluateAsync / Engine / validateModel / rules / version, the forms a
// model and asOf may take, overlays and extra packs, the ES module entry, and concurrency.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const aimscheck = require('..')
const { evaluate, evaluateAsync, validateModel, rules, version, Engine } = aimscheck
const { AS_OF, EXAMPLES, ROOT, tmpDir, thrown } = require('../support/helpers.js')

const SCALEUP = fs.readFileSync(path.join(EXAMPLES, 'scaleup.json'), 'utf8')
const GAPS = fs.readFileSync(path.join(EXAMPLES, 'gaps.json'), 'utf8')

test('version is the engine version', () => {
  const cargo = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8')
  const workspaceVersion = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/.exec(cargo)[1]
  assert.equal(version, workspaceVersion)
  assert.equal(evaluate(SCALEUP, { asOf: AS_OF }).engine.version, version)
})

test('rules() lists the default pack', () => {
  const list = rules()
  assert.equal(list.length, 53)
  assert.ok(list.find((r) => r.id === 'AIMS-LC-01'))
  const proc = list.find((r) => r.id === 'AIMS-PROC-01')
  assert.ok(proc)
  assert.equal(proc.pack, 'iso42001-4.4')
  assert.ok(Array.isArray(proc.clause_refs))
  assert.ok(['low', 'medium', 'high', 'critical'].includes(proc.severity))
  assert.deepEqual(new Engine().rules(), list)
})

test('a model as text, Buffer, Uint8Array or object, and asOf as a string or a Date, give the same report', () => {
  // Written as JS writes it (2 rather than 2.0), so that the object's digest is the text's.
  const text = JSON.stringify(JSON.parse(SCALEUP), null, 1)
  const base = evaluate(text, { asOf: AS_OF })
  assert.equal(base.as_of, AS_OF)
  assert.match(base.model.digest, /^sha256:[0-9a-f]{64}$/)
  for (const model of [Buffer.from(text), new Uint8Array(Buffer.from(text)), JSON.parse(text)]) {
    assert.deepStrictEqual(evaluate(model, { asOf: AS_OF }), base)
  }
  for (const asOf of [new Date(Date.UTC(2026, 5, 30)), new Date('2026-06-30T23:59:59Z'), '2026-06-30T08:00:00+02:00']) {
    assert.deepStrictEqual(evaluate(text, { asOf }), base, String(asOf))
  }
})

test('an object model with undefined fields behaves as JSON.stringify would', () => {
  const model = { schema_version: '1.0', organization: { name: 'Acme', size_tier: 'startup', ai_roles: undefined } }
  const report = evaluate(model, { asOf: AS_OF })
  assert.equal(report.model.organization, 'Acme')
  assert.equal(report.tier, 'startup')
  assert.equal(report.tier_source, 'model')
})

test('tier and profile options', () => {
  const r = evaluate(SCALEUP, { asOf: AS_OF, tier: 'startup', profile: 'certification' })
  assert.equal(r.tier, 'startup')
  assert.equal(r.tier_source, 'option')
  assert.equal(r.profile, 'certification')
  assert.equal(evaluate(SCALEUP, { asOf: AS_OF, tier: undefined, profile: null }).profile, 'tier')
})

test('maxFindingsPerRule keeps the count', () => {
  const full = evaluate(GAPS, { asOf: AS_OF })
  const many = full.rules.find((r) => r.findings.length > 1)
  assert.ok(many, 'gaps.json has a rule with several findings')
  const capped = evaluate(GAPS, { asOf: AS_OF, maxFindingsPerRule: 1 })
  const same = capped.rules.find((r) => r.id === many.id)
  assert.equal(same.findings.length, 1)
  assert.equal(same.findings_total, many.findings_total)
})

test('an overlay as an object or a file disables rules and changes severities', () => {
  const overlay = { disable: ['AIMS-CI-02'], severity: { 'AIMS-DOC-04': 'critical' } }
  const file = path.join(tmpDir('overlay'), 'overlay.json')
  fs.writeFileSync(file, JSON.stringify(overlay))
  for (const o of [overlay, file]) {
    const r = evaluate(GAPS, { asOf: AS_OF, overlay: o })
    const ci = r.rules.find((x) => x.id === 'AIMS-CI-02')
    assert.equal(ci.status, 'not_applicable')
    assert.equal(r.rules.find((x) => x.id === 'AIMS-DOC-04').severity, 'critical')
    assert.deepEqual(r.overlay, overlay)
    const engine = new Engine({ overlay: o })
    assert.deepStrictEqual(engine.evaluate(GAPS, { asOf: AS_OF }), r)
    const listed = engine.rules()
    assert.equal(listed.find((x) => x.id === 'AIMS-CI-02').disabled, true)
    assert.equal(listed.find((x) => x.id === 'AIMS-DOC-04').severity, 'critical')
  }
})

function writePack() {
  const dir = tmpDir('pack')
  fs.writeFileSync(path.join(dir, 'pack.json'), '{"id": "node-test", "version": "1.0.0", "title": "Node test pack"}')
  fs.writeFileSync(
    path.join(dir, 'rules.json'),
    JSON.stringify({
      rules: [
        {
          id: 'TEST-ORG-01',
          title: 'The organization is named',
          clause_refs: ['4.1'],
          aspect: 'establish',
          severity: 'medium',
          tiers: ['startup', 'scaleup', 'enterprise'],
          rationale: 'An AIMS belongs to a named organization.',
          remediation: 'Set organization.name.',
          check: { assert: { that: { exists: '/organization/name' }, message: 'the organization has no name' } },
        },
      ],
    }),
  )
  return dir
}

test('extra packs load beside the default one (or alone)', async () => {
  const pack = writePack()
  const r = evaluate('{"schema_version": "1.0"}', { asOf: AS_OF, rules: pack })
  assert.deepEqual(
    r.rule_packs.map((p) => p.id),
    ['iso42001-4.4', 'node-test'],
  )
  const mine = r.rules.find((x) => x.id === 'TEST-ORG-01')
  assert.equal(mine.status, 'fail')
  assert.equal(mine.pack, 'node-test')
  const alone = new Engine({ rules: [pack], defaultRules: false })
  assert.deepEqual(
    alone.rules().map((x) => x.id),
    ['TEST-ORG-01'],
  )
  const ok = await alone.evaluateAsync({ schema_version: '1.0', organization: { name: 'Acme' } }, { asOf: AS_OF })
  assert.equal(ok.rules.length, 1)
  assert.equal(ok.rules[0].status, 'pass')
  assert.equal(thrown(() => new Engine({ rules: [pack, pack] })).code, 'AIMS-E-PACK-DUPLICATE')
})

test('the same inputs give identical reports, sync and async', async () => {
  const a = evaluate(GAPS, { asOf: AS_OF })
  const b = await evaluateAsync(GAPS, { asOf: AS_OF })
  assert.deepStrictEqual(b, a)
  assert.equal(JSON.stringify(b), JSON.stringify(a))
})

test('100 concurrent evaluateAsync calls give identical reports', async () => {
  const text = JSON.stringify(JSON.parse(GAPS))
  const expected = JSON.stringify(evaluate(text, { asOf: AS_OF }))
  const engine = new Engine()
  const calls = []
  for (let i = 0; i < 100; i++) {
    const model = i % 3 === 0 ? text : i % 3 === 1 ? Buffer.from(text) : JSON.parse(text)
    calls.push(i % 2 === 0 ? evaluateAsync(model, { asOf: AS_OF }) : engine.evaluateAsync(model, { asOf: AS_OF }))
  }
  const reports = await Promise.all(calls)
  assert.equal(reports.length, 100)
  for (const r of reports) assert.equal(JSON.stringify(r), expected)
})

test('evaluateAsync does not block the JS thread', async () => {
  // A larger model: the example plus 3,000 processes. While it is evaluated, timers keep firing.
  const model = JSON.parse(SCALEUP)
  const extra = []
  for (let i = 0; i < 3000; i++) {
    extra.push({ id: `p-x-${i}`, name: `Extra ${i}`, clause_refs: ['8.1'], status: 'planned' })
  }
  model.processes = [...(model.processes ?? []), ...extra]
  const text = JSON.stringify(model)
  let t = Date.now()
  const sync = evaluate(text, { asOf: AS_OF })
  const syncMs = Date.now() - t
  let ticks = 0
  const timer = setInterval(() => ticks++, 1)
  t = Date.now()
  const pending = evaluateAsync(text, { asOf: AS_OF })
  const returnedMs = Date.now() - t
  const report = await pending
  clearInterval(timer)
  assert.deepStrictEqual(report, sync)
  if (syncMs > 50) {
    // The promise came back well before the work was done, and the event loop ran meanwhile.
    assert.ok(returnedMs < syncMs / 2, `evaluateAsync returned after ${returnedMs} ms (sync: ${syncMs} ms)`)
    assert.ok(ticks > 0, `no timer fired during a ${syncMs} ms evaluation`)
  }
})

test('the ES module entry exports the same API', async () => {
  const esm = await import('../index.mjs')
  for (const name of ['evaluate', 'evaluateAsync', 'validate', 'validateModel', 'rules', 'version', 'Engine', 'AimsCheckError', 'ModelError', 'RulePackError', 'LimitError', 'OptionsError', 'InternalError']) {
    assert.equal(esm[name], aimscheck[name], name)
  }
  assert.equal(esm.default, aimscheck)
  const byName = await import('aimscheck')
  assert.equal(byName.evaluate, aimscheck.evaluate)
})

test('validateModel accepts every example', () => {
  for (const f of fs.readdirSync(EXAMPLES).filter((x) => x.endsWith('.json'))) {
    assert.deepEqual(validateModel(fs.readFileSync(path.join(EXAMPLES, f))), [], f)
  }
})

/** The startup example with `owner_role_id` of its first process misspelt, and an extension. */
function misspelt() {
  const model = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'startup.json'), 'utf8'))
  const p = model.processes[0]
  p.owner_roleid = p.owner_role_id
  delete p.owner_role_id
  model.organization.x_crm_id = 'A-17'
  return model
}

test('a misspelt member is a warning naming the member meant; strict makes it an error', () => {
  const model = misspelt()
  const expected = {
    code: 'AIMS-W-UNKNOWN-MEMBER',
    pointer: '/processes/0/owner_roleid',
    help: 'did you mean `owner_role_id`? (a member meant as an extension starts with `x_`)',
  }
  const report = evaluate(model, { asOf: AS_OF })
  assert.deepEqual(report.warnings.map(({ code, pointer, help }) => ({ code, pointer, help })), [expected])
  const text = JSON.stringify(model, null, 2)
  assert.deepEqual(evaluate(text, { asOf: AS_OF }), report)
  assert.equal(evaluate(SCALEUP, { asOf: AS_OF }).warnings, undefined)

  const answer = aimscheck.validate(text)
  assert.equal(answer.valid, true)
  assert.deepEqual(answer.errors, [])
  assert.equal(answer.warnings.length, 1)
  const line = text.split('\n').findIndex((l) => l.includes('"owner_roleid"')) + 1
  assert.equal(answer.warnings[0].line, line)
  assert.equal(answer.warnings[0].help, expected.help)
  assert.deepEqual(validateModel(text), [])

  const e = thrown(() => evaluate(model, { asOf: AS_OF, strict: true }))
  assert.ok(e instanceof aimscheck.ModelError)
  assert.deepEqual(e.errors.map((i) => [i.code, i.pointer]), [['AIMS-E-UNKNOWN-MEMBER', '/processes/0/owner_roleid']])
  assert.equal(e.errors[0].help, expected.help)
  assert.ok(thrown(() => new Engine().evaluate(model, { asOf: AS_OF, strict: true })) instanceof aimscheck.ModelError)
  const strict = aimscheck.validate(model, { strict: true })
  assert.equal(strict.valid, false)
  assert.deepEqual(strict.warnings, [])
  assert.deepEqual(validateModel(model, { strict: true }).map((i) => i.code), ['AIMS-E-UNKNOWN-MEMBER'])
  assert.ok(thrown(() => evaluate(model, { asOf: AS_OF, strict: 'yes' })) instanceof aimscheck.OptionsError)
})

test('evaluateMany takes strict too', async () => {
  const [item] = await aimscheck.evaluateMany([misspelt()], { asOf: AS_OF, strict: true })
  assert.ok(item instanceof aimscheck.ModelError)
})
