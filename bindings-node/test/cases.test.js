'use strict'
// Every shared case of tests/cases, with the checks of core/tests/cases.rs: the statuses of the
// rules a case names and the exact multiset of finding pointers; for a model that must not
// load, the error code, the pointers and (when "located") a line and column on every issue.

const test = require('node:test')
const assert = require('node:assert/strict')
const { evaluate, ModelError, AimsCheckError } = require('..')
const { cases } = require('../support/helpers.js')

const all = cases()

test('the shared cases are there', () => {
  assert.ok(all.length > 100, `only ${all.length} cases found`)
})

for (const c of all) {
  test(`case ${c.name}`, () => {
    const options = { asOf: c.options.as_of, tier: c.options.tier, profile: c.options.profile }
    if (c.expected.error) {
      const want = c.expected.error
      let error
      assert.throws(
        () => evaluate(c.text, options),
        (e) => {
          error = e
          return true
        },
      )
      assert.ok(error instanceof Error, 'an Error')
      assert.ok(error instanceof AimsCheckError, `an AimsCheckError, got ${error}`)
      assert.ok(error instanceof ModelError || error.kind === 'limit', `a model error, got ${error.name}`)
      assert.match(error.code, /^AIMS-E-/)
      const codes = error.errors.map((i) => i.code)
      assert.ok(codes.includes(want.code), `expected an issue ${want.code}, got ${codes.join(', ')}`)
      for (const p of want.pointers ?? []) {
        assert.ok(
          error.errors.some((i) => i.pointer === p && i.code === want.code),
          `expected a ${want.code} issue at ${p}, got ${JSON.stringify(error.errors)}`,
        )
      }
      if (want.located === true) {
        for (const i of error.errors) {
          assert.ok(Number.isInteger(i.line) && i.line >= 1, `line on ${JSON.stringify(i)}`)
          assert.ok(Number.isInteger(i.column) && i.column >= 1, `column on ${JSON.stringify(i)}`)
        }
      }
      return
    }
    const report = evaluate(c.text, options)
    const rules = Object.entries(c.expected.rules)
    assert.ok(rules.length > 0, 'expected.json names no rule')
    const problems = []
    for (const [id, want] of rules) {
      const got = report.rules.find((r) => r.id === id)
      if (!got) {
        problems.push(`${id}: not in the report`)
        continue
      }
      if (got.status !== want.status) {
        problems.push(
          `${id}: expected ${want.status}, got ${got.status} (${got.reason ?? ''}; findings ${JSON.stringify(
            got.findings.map((f) => [f.pointer, f.message]),
          )})`,
        )
      }
      if (Array.isArray(want.findings)) {
        const wantP = [...want.findings].sort()
        const gotP = got.findings.map((f) => f.pointer).sort()
        if (JSON.stringify(wantP) !== JSON.stringify(gotP)) {
          problems.push(`${id}: expected findings at ${JSON.stringify(wantP)}, got ${JSON.stringify(gotP)}`)
        }
      }
    }
    assert.deepEqual(problems, [])
  })
}
