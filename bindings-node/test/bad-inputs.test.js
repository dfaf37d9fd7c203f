'use strict'
// The bad-input corpus (tests/bad/cases.json, described in tests/bad/README.md) through the
// Node API: each model as a string, a Buffer and an object (evaluate, evaluateAsync,
// Engine#evaluate, validateModel), each rule pack with `defaultRules: false` (new Engine,
// evaluateAsync). An error throws (or rejects with) the expected class with the expected code
// and every expected issue, and no report is returned.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const {
  evaluate,
  evaluateAsync,
  validateModel,
  Engine,
  AimsCheckError,
  ModelError,
  LimitError,
  OptionsError,
  RulePackError,
} = require('..')
const { ROOT } = require('../support/helpers.js')

const BAD = path.join(ROOT, 'tests', 'bad')
const MANIFEST = JSON.parse(fs.readFileSync(path.join(BAD, 'cases.json'), 'utf8'))
const AS_OF = MANIFEST.as_of
const MODEL_FORMS = ['node-string', 'node-buffer', 'node-object']
const VALUE_FORMS = new Set(['rust-value', 'python-dict', 'node-object'])
const CLASSES = { model: ModelError, limit: LimitError, options: OptionsError, rule_pack: RulePackError }
const engine = new Engine()
const EMPTY = '{"schema_version": "1.0"}'

function nestText(nest) {
  const d = nest.depth
  const inner =
    nest.container === 'array' ? '['.repeat(d) + ']'.repeat(d) : '{"a": '.repeat(d - 1) + '{}' + '}'.repeat(d - 1)
  return nest.under === undefined ? inner : `{"schema_version": "1.0", "${nest.under}": ${inner}}`
}

/** The nesting built with a loop. */
function nestValue(nest) {
  let value = nest.container === 'array' ? [] : {}
  for (let i = 1; i < nest.depth; i++) value = nest.container === 'array' ? [value] : { a: value }
  return nest.under === undefined ? value : { schema_version: '1.0', [nest.under]: value }
}

function modelBytes(c) {
  return c.file !== undefined ? fs.readFileSync(path.join(BAD, c.file)) : Buffer.from(nestText(c.nest))
}

function modelInput(c, form) {
  const raw = modelBytes(c)
  if (form === 'node-buffer') return raw
  if (form === 'node-string') return raw.toString('utf8')
  return c.nest !== undefined ? nestValue(c.nest) : JSON.parse(raw.toString('utf8'))
}

/** Why `form` is not checked for a case, if it is not. */
function skipReason(c, form) {
  const bug = c.known_bug
  const group = VALUE_FORMS.has(form) ? 'value' : 'text'
  const reason = typeof bug === 'string' ? bug : bug?.[form] ?? bug?.[group]
  if (reason !== undefined) return `known bug: ${reason}`
  return expectation(c, form).skip
}

function unlocated(want) {
  if (want.issues === undefined) return want
  return { ...want, issues: want.issues.map(({ line, column, ...rest }) => rest) }
}

function expectation(c, form) {
  if (c.forms?.[form] !== undefined) return c.forms[form]
  if (VALUE_FORMS.has(form)) return c.value ?? unlocated(c.expect)
  return c.expect
}

/** Every expected issue and no other, in any order; no line where none is expected. */
function checkIssues(got, want, folder) {
  const file = (i) => (i.file == null || folder === undefined ? i.file ?? undefined : path.join(folder, i.file))
  const key = (i) => JSON.stringify([i.pointer, i.code, i.file ?? null, i.line ?? null, i.column ?? null])
  const gotSorted = got.map((i) => ({ key: key(i), issue: i })).sort((a, b) => a.key.localeCompare(b.key))
  const wantSorted = want
    .map((i) => ({ key: key({ ...i, file: file(i) }), issue: i }))
    .sort((a, b) => a.key.localeCompare(b.key))
  assert.deepEqual(
    gotSorted.map((x) => x.key),
    wantSorted.map((x) => x.key),
    'issues [pointer, code, file, line, column]',
  )
  wantSorted.forEach((w, n) => {
    const g = gotSorted[n].issue
    assert.ok(g.message.includes(w.issue.message_contains ?? ''), `${g.message} lacks ${w.issue.message_contains}`)
    assert.equal(g.ruleId, w.issue.rule_id, 'rule id')
  })
}

function checkError(e, want) {
  assert.ok(e instanceof AimsCheckError, `an AimsCheckError, got ${e}`)
  assert.ok(e instanceof CLASSES[want.kind], `a ${CLASSES[want.kind].name}, got ${e.name}: ${e.message}`)
  assert.equal(e.kind, want.kind)
  assert.equal(e.code, want.error, e.message)
  checkIssues(e.errors, want.issues)
}

function checkReport(report, want) {
  for (const [key, value] of Object.entries(want.model ?? {})) assert.deepEqual(report.model[key], value, key)
  for (const [id, w] of Object.entries(want.rules ?? {})) {
    const rule = report.rules.find((r) => r.id === id)
    assert.ok(rule, `no rule ${id}`)
    assert.equal(rule.status, w.status, `${id}: ${JSON.stringify(rule.findings)}`)
    if (w.findings !== undefined) {
      assert.deepEqual(rule.findings.map((f) => f.pointer).sort(), [...w.findings].sort(), id)
    }
    if (w.error_code !== undefined) assert.equal(rule.error?.code, w.error_code, id)
  }
  if (want.exceptions !== undefined) {
    const got = report.exceptions.map(({ id, rule_id, status, pointer }) => ({ id, rule_id, status, pointer }))
    assert.deepEqual(got, want.exceptions)
  }
}

/** The outcome of `fn`: {error} or {value}. */
function outcome(fn) {
  try {
    return { value: fn() }
  } catch (error) {
    return { error }
  }
}

async function settled(promise) {
  try {
    return { value: await promise }
  } catch (error) {
    return { error }
  }
}

for (const c of MANIFEST.models) {
  for (const form of MODEL_FORMS) {
    const skip = skipReason(c, form)
    test(`bad model ${c.name} as ${form}`, { skip }, async () => {
      const want = expectation(c, form)
      const model = modelInput(c, form)
      const options = { asOf: AS_OF, ...(c.options?.tier ? { tier: c.options.tier } : {}) }
      const results = [
        ['evaluate', outcome(() => evaluate(model, options))],
        ['Engine#evaluate', outcome(() => engine.evaluate(model, options))],
        ['evaluateAsync', await settled(evaluateAsync(model, options))],
        ['Engine#evaluateAsync', await settled(engine.evaluateAsync(model, options))],
      ]
      for (const [call, r] of results) {
        if (want.report !== undefined) {
          assert.equal(r.error, undefined, `${call} threw ${r.error}`)
          checkReport(r.value, want.report)
        } else {
          assert.equal(r.value, undefined, `${call} returned a report`)
          checkError(r.error, want)
        }
      }
      if (want.report !== undefined) {
        assert.deepEqual(validateModel(model), [])
      } else if (want.kind === 'model' || want.kind === 'limit') {
        checkIssues(validateModel(model), want.issues)
      }
    })
  }
}

for (const c of MANIFEST.packs) {
  const bug = typeof c.known_bug === 'string' ? c.known_bug : c.known_bug?.node
  test(`bad pack ${c.name}`, { skip: bug && `known bug: ${bug}` }, async () => {
    const folder = path.join(BAD, c.dir)
    const options = { asOf: AS_OF, rules: [folder], defaultRules: false }
    if (c.expect.report !== undefined) {
      checkReport(evaluate(EMPTY, options), c.expect.report)
      checkReport(await evaluateAsync(EMPTY, options), c.expect.report)
      return
    }
    const results = [
      ['new Engine', outcome(() => new Engine({ rules: folder, defaultRules: false }))],
      [
        'evaluateAsync',
        await settled(evaluateAsync(EMPTY, options)),
      ],
    ]
    for (const [call, r] of results) {
      assert.equal(r.value, undefined, `${call} gave no error`)
      const kind = c.expect.kind ?? 'rule_pack'
      assert.ok(r.error instanceof CLASSES[kind], `${call}: ${r.error}`)
      assert.equal(r.error.kind, kind)
      assert.equal(r.error.code, c.expect.error, r.error.message)
      checkIssues(r.error.errors, c.expect.issues, folder)
    }
  })
}

test('the corpus is there', () => {
  assert.ok(MANIFEST.models.length >= 30, `${MANIFEST.models.length} models`)
  assert.ok(MANIFEST.packs.length >= 7, `${MANIFEST.packs.length} packs`)
})
