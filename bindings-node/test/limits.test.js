'use strict'
// The limits a caller sets: maxFindingsPerRule and maxStepsPerRule on the evaluation, and
// `limits` ({maxBytes, maxDepth, maxIssues, maxArrayLen}) on every call that loads a model,
// each with an effect, sync and async, with a model as a string, a Buffer and an object; bad
// values are OptionsErrors. Objects JSON cannot express faithfully (Infinity, NaN, nesting
// deeper than the parser reads) are refused rather than changed.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const {
  evaluate,
  evaluateAsync,
  validateModel,
  diagram,
  exportReport,
  exportReportAsync,
  Engine,
  LimitError,
  ModelError,
  OptionsError,
} = require('..')
const { AS_OF, EXAMPLES, thrown, rejected } = require('../support/helpers.js')

const GAPS = fs.readFileSync(path.join(EXAMPLES, 'gaps.json'), 'utf8')
const EMPTY = '{"schema_version": "1.0"}'
const engine = new Engine()

/** The model in each form: [name, model]. */
function forms(text) {
  return [
    ['string', text],
    ['Buffer', Buffer.from(text)],
    ['object', JSON.parse(text)],
  ]
}

/** Every way to evaluate: [name, (model, options) => Promise<Report>]. */
const EVALUATIONS = [
  ['evaluate', async (m, o) => evaluate(m, o)],
  ['evaluateAsync', (m, o) => evaluateAsync(m, o)],
  ['Engine#evaluate', async (m, o) => engine.evaluate(m, o)],
  ['Engine#evaluateAsync', (m, o) => engine.evaluateAsync(m, o)],
]

/** Each evaluation of each form of `text` with `options`: [label, settled outcome]. */
async function everyWay(text, options) {
  const out = []
  for (const [form, model] of forms(text)) {
    for (const [call, run] of EVALUATIONS) {
      try {
        out.push([`${call}(${form})`, { value: await run(model, options) }])
      } catch (error) {
        out.push([`${call}(${form})`, { error }])
      }
    }
  }
  return out
}

/** The model with `value` at `/x_deep` (an extension member, free of the schema). */
function withExtension(value) {
  return { schema_version: '1.0', x_deep: value }
}

function nested(depth, container) {
  let value = container === 'array' ? [] : {}
  for (let i = 1; i < depth; i++) value = container === 'array' ? [value] : { a: value }
  return value
}

test('maxFindingsPerRule: 1 keeps one finding per rule and marks the rules it cut', async () => {
  const full = evaluate(GAPS, { asOf: AS_OF })
  const many = full.rules.filter((r) => r.findings.length > 1)
  assert.ok(many.length > 0, 'gaps.json has rules with several findings')
  for (const r of full.rules) assert.equal(r.findings_truncated, undefined, `${r.id} is not cut by default`)
  for (const [label, r] of await everyWay(GAPS, { asOf: AS_OF, maxFindingsPerRule: 1 })) {
    assert.equal(r.error, undefined, `${label}: ${r.error}`)
    for (const rule of r.value.rules) {
      const before = full.rules.find((x) => x.id === rule.id)
      assert.equal(rule.findings_total, before.findings_total, `${label} ${rule.id}`)
      assert.equal(rule.findings.length, Math.min(1, before.findings.length), `${label} ${rule.id}`)
      if (before.findings.length > 1) {
        assert.equal(rule.findings_truncated, true, `${label} ${rule.id}`)
        assert.deepEqual(rule.findings[0], before.findings[0], 'the first finding in model order')
      } else {
        assert.equal(rule.findings_truncated, undefined, `${label} ${rule.id}`)
      }
    }
  }
})

test('maxFindingsPerRule: 0 lists no finding and still counts them', () => {
  const r = evaluate(GAPS, { asOf: AS_OF, maxFindingsPerRule: 0 })
  const failing = r.rules.filter((x) => x.status === 'fail')
  assert.ok(failing.length > 0)
  for (const rule of failing) {
    assert.deepEqual(rule.findings, [])
    assert.ok(rule.findings_total > 0, rule.id)
    assert.equal(rule.findings_truncated, true, rule.id)
  }
})

test('maxStepsPerRule: 10 stops the rules that need more with AIMS-E-BUDGET; the others run', async () => {
  const full = evaluate(GAPS, { asOf: AS_OF })
  assert.equal(full.summary.by_status.error, 0)
  for (const [label, r] of await everyWay(GAPS, { asOf: AS_OF, maxStepsPerRule: 10 })) {
    assert.equal(r.error, undefined, `${label}: ${r.error}`)
    const errors = r.value.rules.filter((x) => x.status === 'error')
    assert.ok(errors.length > 0, `${label}: some rule needs more than 10 steps`)
    assert.ok(errors.length < r.value.rules.length, `${label}: the cheap rules still run`)
    for (const rule of errors) {
      assert.equal(rule.error.code, 'AIMS-E-BUDGET', `${label} ${rule.id}`)
      assert.match(rule.error.message, /max_steps_per_rule|steps/)
    }
    assert.equal(r.value.summary.by_status.error, errors.length)
  }
  // A generous budget changes nothing.
  assert.deepStrictEqual(evaluate(GAPS, { asOf: AS_OF, maxStepsPerRule: Number.MAX_SAFE_INTEGER }), full)
})

test('maxStepsTotal stops the rules not done; the report says which limit', async () => {
  const full = evaluate(GAPS, { asOf: AS_OF })
  assert.equal(full.stopped, undefined)
  const before = new Map(full.rules.map((r) => [r.id, r]))
  for (const [label, r] of await everyWay(GAPS, { asOf: AS_OF, maxStepsTotal: 2000 })) {
    assert.equal(r.error, undefined, `${label}: ${r.error}`)
    assert.equal(r.value.stopped.limit, 'max_steps_total', label)
    assert.match(r.value.stopped.message, /2000 steps/)
    const errors = r.value.rules.filter((x) => x.status === 'error')
    assert.ok(errors.length > 0, `${label}: 2000 steps cannot finish every rule`)
    for (const rule of errors) {
      assert.equal(rule.error.code, 'AIMS-E-BUDGET', `${label} ${rule.id}`)
      assert.match(rule.error.message, /max_steps_total/)
    }
    // The rules done keep the result they have without the limit.
    const done = r.value.rules.filter((x) => x.status !== 'error')
    assert.ok(done.length > 0, label)
    for (const rule of done) assert.deepStrictEqual(rule, before.get(rule.id), `${label} ${rule.id}`)
    assert.notEqual(r.value.verdict, 'conformant')
  }
  assert.deepStrictEqual(evaluate(GAPS, { asOf: AS_OF, maxStepsTotal: Number.MAX_SAFE_INTEGER }), full)
})

test('timeout stops the evaluation; an hour changes nothing', async () => {
  const full = evaluate(GAPS, { asOf: AS_OF })
  for (const [label, r] of await everyWay(GAPS, { asOf: AS_OF, timeout: 1e-9 })) {
    assert.equal(r.error, undefined, `${label}: ${r.error}`)
    assert.equal(r.value.stopped.limit, 'timeout', label)
    assert.equal(r.value.verdict, 'inconclusive', label)
    for (const rule of r.value.rules.filter((x) => x.status !== 'not_applicable')) {
      assert.equal(rule.status, 'error', `${label} ${rule.id}`)
      assert.equal(rule.error.code, 'AIMS-E-BUDGET', `${label} ${rule.id}`)
    }
  }
  assert.deepStrictEqual(evaluate(GAPS, { asOf: AS_OF, timeout: 3600 }), full)
})

test('limits.maxDepth: 3 refuses a model nested deeper, as a LimitError, in every form', async () => {
  // gaps.json: root (1), /processes (2), /processes/0 (3), /processes/0/inputs (4).
  for (const [label, r] of await everyWay(GAPS, { asOf: AS_OF, limits: { maxDepth: 3 } })) {
    assert.equal(r.value, undefined, `${label} returned a report`)
    assert.ok(r.error instanceof LimitError, `${label}: ${r.error}`)
    assert.equal(r.error.kind, 'limit')
    assert.equal(r.error.code, 'AIMS-E-LIMIT')
    assert.match(r.error.message, /nests deeper than 3 levels/)
    assert.equal(r.error.errors.length, 1)
    assert.equal(r.error.errors[0].code, 'AIMS-E-LIMIT')
    assert.equal(r.error.errors[0].line === undefined, label.includes('object'), `${label}: a line from text only`)
  }
  // Exactly as deep as the limit loads.
  const flat = { schema_version: '1.0', organization: { name: 'Acme', ai_roles: ['provider'] } }
  for (const [, model] of forms(JSON.stringify(flat))) {
    assert.equal(evaluate(model, { asOf: AS_OF, limits: { maxDepth: 3 } }).as_of, AS_OF)
    assert.ok(thrown(() => evaluate(model, { asOf: AS_OF, limits: { maxDepth: 2 } })) instanceof LimitError)
  }
  // A higher limit than the default admits a deeper model.
  const deep = withExtension(nested(80, 'array'))
  assert.ok(thrown(() => evaluate(deep, { asOf: AS_OF })) instanceof LimitError, 'past the default 64')
  assert.equal(evaluate(deep, { asOf: AS_OF, limits: { maxDepth: 100 } }).as_of, AS_OF)
  assert.equal(evaluate(JSON.stringify(deep), { asOf: AS_OF, limits: { maxDepth: 100 } }).as_of, AS_OF)
})

test('limits.maxArrayLen: 1 refuses a longer array, naming it', async () => {
  const model = JSON.stringify({ schema_version: '1.0', roles: [{ id: 'r-1' }, { id: 'r-2' }] }, null, 2)
  for (const [label, r] of await everyWay(model, { asOf: AS_OF, limits: { maxArrayLen: 1 } })) {
    assert.ok(r.error instanceof LimitError, `${label}: ${r.error}`)
    assert.equal(r.error.code, 'AIMS-E-LIMIT')
    assert.equal(r.error.errors[0].pointer, '/roles')
    assert.match(r.error.message, /more than 1 items/)
    if (!label.includes('object')) assert.deepEqual([r.error.errors[0].line, r.error.errors[0].column], [3, 12])
  }
  assert.equal(evaluate(model, { asOf: AS_OF, limits: { maxArrayLen: 2 } }).as_of, AS_OF)
})

test('limits.maxBytes: 10 refuses a longer model, from a string, a Buffer or an object', async () => {
  for (const [label, r] of await everyWay(EMPTY, { asOf: AS_OF, limits: { maxBytes: 10 } })) {
    assert.ok(r.error instanceof LimitError, `${label}: ${r.error}`)
    assert.equal(r.error.code, 'AIMS-E-LIMIT')
    assert.match(r.error.message, /more than the limit of 10 bytes/)
  }
  // Bytes of UTF-8, not characters: 'é' is two.
  const text = '{"schema_version": "1.0", "x_é": 1}'
  const size = Buffer.byteLength(text)
  assert.equal(size, text.length + 1)
  for (const [, model] of forms(text).slice(0, 2)) {
    assert.ok(thrown(() => evaluate(model, { asOf: AS_OF, limits: { maxBytes: size - 1 } })) instanceof LimitError)
    assert.equal(evaluate(model, { asOf: AS_OF, limits: { maxBytes: size } }).as_of, AS_OF)
  }
})

test('limits.maxIssues: 1 lists one issue of many', () => {
  const bad = { schema_version: '1.0', processes: [{ id: 'p', status: 'x' }, { id: 'p', status: 'y' }] }
  for (const [, model] of forms(JSON.stringify(bad))) {
    const all = thrown(() => evaluate(model, { asOf: AS_OF }))
    assert.ok(all instanceof ModelError)
    assert.ok(all.errors.length >= 3, JSON.stringify(all.errors))
    const one = thrown(() => evaluate(model, { asOf: AS_OF, limits: { maxIssues: 1 } }))
    assert.ok(one instanceof ModelError)
    assert.equal(one.errors.length, 1)
    assert.equal(validateModel(model, { limits: { maxIssues: 1 } }).length, 1)
  }
})

test('validateModel, diagram and exportReport take limits too', async () => {
  for (const [form, model] of forms(GAPS)) {
    assert.deepEqual(validateModel(model), [], form)
    const issues = validateModel(model, { limits: { maxDepth: 3 } })
    assert.equal(issues.length, 1, form)
    assert.equal(issues[0].code, 'AIMS-E-LIMIT')
    assert.deepEqual(validateModel(model, { limits: {} }), [])
    assert.deepEqual(validateModel(model, { limits: undefined }), [])
    const d = thrown(() => diagram(model, { limits: { maxArrayLen: 1 } }))
    assert.ok(d instanceof LimitError, `${form}: ${d}`)
    assert.match(diagram(model, { limits: { maxDepth: 10 } }), /digraph/)
    const report = evaluate(model, { asOf: AS_OF })
    const e = thrown(() => exportReport(report, 'html', { model, limits: { maxBytes: 10 } }))
    assert.ok(e instanceof LimitError, `${form}: ${e}`)
    const a = await rejected(exportReportAsync(report, 'sarif', { limits: { maxBytes: 10 }, model }))
    assert.ok(a instanceof LimitError, `${form}: ${a}`)
    assert.match(exportReport(report, 'markdown', { model, limits: { maxBytes: 1 << 30 } }), /AIMS-/)
  }
})

test('bad limits and evaluation limits are OptionsErrors naming the option', async () => {
  const cases = [
    [{ maxStepsPerRule: -1 }, /maxStepsPerRule must be a non-negative integer/],
    [{ maxStepsPerRule: 2.5 }, /maxStepsPerRule must be a non-negative integer/],
    [{ maxStepsPerRule: '10' }, /maxStepsPerRule must be a non-negative integer.*a string/],
    [{ maxStepsPerRule: 2 ** 53 }, /maxStepsPerRule must be a non-negative integer/],
    [{ maxStepsPerRule: Infinity }, /"\/maxStepsPerRule" is Infinity/],
    [{ maxFindingsPerRule: -1 }, /maxFindingsPerRule must be a non-negative integer/],
    [{ maxStepsTotal: -1 }, /maxStepsTotal must be a non-negative integer/],
    [{ maxStepsTotal: 1.5 }, /maxStepsTotal must be a non-negative integer/],
    [{ timeout: 0 }, /timeout must be a positive number of seconds, not 0/],
    [{ timeout: -2 }, /timeout must be a positive number of seconds, not -2/],
    [{ timeout: '5' }, /timeout must be a positive number of seconds, not a string/],
    [{ timeout: Infinity }, /"\/timeout" is Infinity/],
    [{ maxFindingsPerRule: NaN }, /"\/maxFindingsPerRule" is NaN/],
    [{ limits: 5 }, /limits must be an object \{maxBytes\?, maxDepth\?, maxIssues\?, maxArrayLen\?\}, not a number/],
    [{ limits: [] }, /limits must be an object/],
    [{ limits: { depth: 3 } }, /unknown limit depth in limits; expected maxBytes, maxDepth, maxIssues, maxArrayLen/],
    [{ limits: { max_depth: 3 } }, /unknown limit max_depth/],
    [{ limits: { maxDepth: -1 } }, /limits\.maxDepth must be a non-negative integer/],
    [{ limits: { maxBytes: 1.5 } }, /limits\.maxBytes must be a non-negative integer/],
    [{ limits: { maxIssues: '3' } }, /limits\.maxIssues must be a non-negative integer/],
    [{ limits: { maxArrayLen: true } }, /limits\.maxArrayLen must be a non-negative integer/],
    [{ limits: { maxArrayLen: -Infinity } }, /"\/limits\/maxArrayLen" is -Infinity/],
  ]
  for (const [extra, message] of cases) {
    const options = { asOf: AS_OF, ...extra }
    const label = Object.keys(extra)[0]
    const outcomes = [
      thrown(() => evaluate(EMPTY, options)),
      thrown(() => engine.evaluate(EMPTY, options)),
      await rejected(evaluateAsync(EMPTY, options)),
      await rejected(engine.evaluateAsync(EMPTY, options)),
    ]
    for (const e of outcomes) {
      assert.ok(e instanceof OptionsError, `${label}: ${e}`)
      assert.equal(e.code, 'AIMS-E-OPTIONS')
      assert.equal(e.kind, 'options')
      assert.match(e.message, message)
      assert.equal(e.errors[0].code, 'AIMS-E-OPTIONS')
    }
    if (extra.limits !== undefined) {
      for (const e of [
        thrown(() => validateModel(EMPTY, { limits: extra.limits })),
        thrown(() => diagram(EMPTY, { limits: extra.limits })),
        thrown(() => exportReport(evaluate(EMPTY, { asOf: AS_OF }), 'sarif', { limits: extra.limits })),
      ]) {
        assert.ok(e instanceof OptionsError, `${label}: ${e}`)
        assert.match(e.message, message)
      }
    }
  }
  assert.match(thrown(() => validateModel(EMPTY, { limit: {} })).message, /unknown option limit/)
  assert.match(thrown(() => validateModel(EMPTY, 5)).message, /must be an object \{limits\?, strict\?\}/)
  // Limits belong to an evaluation, not to an engine.
  const e = thrown(() => new Engine({ limits: { maxDepth: 3 } }))
  assert.ok(e instanceof OptionsError)
  assert.match(e.message, /engine\.evaluate/)
})

test('an object model holding Infinity, -Infinity or NaN is an OptionsError naming its pointer', async () => {
  const cases = [
    [{ schema_version: '1.0', aims: { grace_days: Infinity } }, '/aims/grace_days', 'Infinity'],
    [{ schema_version: '1.0', x_list: [1, -Infinity] }, '/x_list/1', '-Infinity'],
    [{ schema_version: '1.0', 'x_a/b~c': { '': NaN } }, '/x_a~1b~0c/', 'NaN'],
    [{ schema_version: '1.0', x_boxed: new Number(Infinity) }, '/x_boxed', 'Infinity'],
    [{ schema_version: '1.0', x_date: new Date(NaN) }, null, null],
  ]
  for (const [model, pointer, shown] of cases) {
    if (pointer === null) {
      // An invalid Date writes null through toJSON, as JSON.stringify makes of it: not a number.
      assert.equal(evaluate(model, { asOf: AS_OF }).as_of, AS_OF)
      continue
    }
    const errors = [
      thrown(() => evaluate(model, { asOf: AS_OF })),
      thrown(() => engine.evaluate(model, { asOf: AS_OF })),
      thrown(() => validateModel(model)),
      thrown(() => diagram(model)),
      await rejected(evaluateAsync(model, { asOf: AS_OF })),
      await rejected(engine.evaluateAsync(model, { asOf: AS_OF })),
    ]
    for (const e of errors) {
      assert.ok(e instanceof OptionsError, `${pointer}: ${e}`)
      assert.equal(e.code, 'AIMS-E-OPTIONS')
      assert.ok(e.message.includes(`the number at "${pointer}" is ${shown}`), e.message)
      assert.equal(e.errors[0].pointer, '')
    }
  }
  // The pointer follows the walk past a shared (not cyclic) object.
  const shared = { n: 1 }
  const model = { schema_version: '1.0', x_a: shared, x_b: [shared, { deep: [shared, { bad: NaN }] }] }
  assert.match(thrown(() => evaluate(model, { asOf: AS_OF })).message, /"\/x_b\/1\/deep\/1\/bad" is NaN/)
  // A finite model is unchanged: toJSON, undefined members and holes behave as in JSON.stringify.
  const holes = [1]
  holes[2] = 3
  const fine = { schema_version: '1.0', x_when: new Date(Date.UTC(2026, 0, 2)), x_u: undefined, x_holes: holes }
  assert.equal(evaluate(fine, { asOf: AS_OF }).model.digest, evaluate(JSON.stringify(fine), { asOf: AS_OF }).model.digest)
})

test('an object model nested 200,000 deep is a LimitError, without exhausting the stack', async () => {
  for (const container of ['array', 'object']) {
    for (const model of [nested(200000, container), withExtension(nested(200000, container))]) {
      const errors = [
        thrown(() => evaluate(model, { asOf: AS_OF })),
        thrown(() => engine.evaluate(model, { asOf: AS_OF })),
        await rejected(evaluateAsync(model, { asOf: AS_OF })),
        thrown(() => diagram(model)),
      ]
      for (const e of errors) {
        assert.ok(e instanceof LimitError, `${container}: ${e}`)
        assert.equal(e.code, 'AIMS-E-LIMIT')
        assert.equal(e.kind, 'limit')
        assert.match(e.message, /the model nests deeper than 64 levels/)
        assert.deepEqual(e.errors.map((i) => [i.code, i.pointer, i.line]), [['AIMS-E-LIMIT', '', undefined]])
      }
      const issues = validateModel(model)
      assert.deepEqual(issues.map((i) => i.code), ['AIMS-E-LIMIT'])
    }
  }
  // Past what the parser reads (127 levels), whatever limit is set.
  const e = thrown(() => evaluate(withExtension(nested(200, 'object')), { asOf: AS_OF, limits: { maxDepth: 1000 } }))
  assert.ok(e instanceof LimitError, String(e))
  assert.match(e.message, /deeper than 127 levels, the most the parser reads \(the model limit is 1000\)/)
  // A report or options object that deep: an options error, not a crash.
  const report = thrown(() => exportReport(nested(200000, 'array'), 'sarif'))
  assert.ok(report instanceof OptionsError, String(report))
  assert.match(report.message, /the report cannot be converted to JSON: its arrays and objects nest deeper/)
  const overlay = thrown(() => new Engine({ overlay: { disable: nested(200000, 'array') } }))
  assert.ok(overlay instanceof OptionsError, String(overlay))
})

test('a cyclic model is still an OptionsError saying why', async () => {
  const cyclic = { schema_version: '1.0', x_a: { b: [] } }
  cyclic.x_a.b.push(cyclic)
  for (const e of [thrown(() => evaluate(cyclic, { asOf: AS_OF })), await rejected(evaluateAsync(cyclic, { asOf: AS_OF }))]) {
    assert.ok(e instanceof OptionsError, String(e))
    assert.match(e.message, /the model cannot be converted to JSON: .*circular/i)
  }
  const self = { schema_version: '1.0' }
  self.self = self
  assert.match(thrown(() => validateModel(self)).message, /circular/i)
})
