'use strict'
// Errors are real Error objects (subclasses of AimsCheckError) with a stable `code`, a `kind`
// and `errors` (issues with pointers, and lines and columns where the input was text); the
// message is words, never JSON. A panic inside the addon becomes AIMS-E-INTERNAL.

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
  RulePackError,
  OptionsError,
  LimitError,
  InternalError,
} = require('..')
const { AS_OF, tmpDir, thrown, rejected } = require('../support/helpers.js')

const EMPTY = '{"schema_version": "1.0"}'

function assertWordsNotJson(e) {
  assert.equal(typeof e.message, 'string')
  assert.ok(e.message.length > 0)
  assert.doesNotMatch(e.message.trim(), /^[[{]/, 'the message is not JSON text')
  assert.throws(() => JSON.parse(e.message))
}

test('evaluate("{not json") throws an Error with code AIMS-E-SYNTAX and line and column', () => {
  const e = thrown(() => evaluate('{not json', { asOf: AS_OF }))
  assert.ok(e instanceof Error)
  assert.ok(e instanceof AimsCheckError)
  assert.ok(e instanceof ModelError)
  assert.equal(e.name, 'ModelError')
  assert.equal(e.code, 'AIMS-E-SYNTAX')
  assert.equal(e.kind, 'model')
  assertWordsNotJson(e)
  assert.equal(e.errors.length, 1)
  const [issue] = e.errors
  assert.equal(issue.code, 'AIMS-E-SYNTAX')
  assert.equal(issue.pointer, '')
  assert.equal(issue.line, 1)
  assert.equal(issue.column, 2)
  assert.match(e.stack, /ModelError/)
})

test('a syntax error deeper in the text is located there, from a string or a Buffer', async () => {
  const text = '{\n  "schema_version": "1.0",\n  oops\n}\n'
  for (const model of [text, Buffer.from(text), new Uint8Array(Buffer.from(text))]) {
    const e = thrown(() => evaluate(model, { asOf: AS_OF }))
    assert.equal(e.code, 'AIMS-E-SYNTAX')
    assert.equal(e.errors[0].line, 3)
    assert.equal(e.errors[0].column, 3)
  }
  const e = await rejected(evaluateAsync(text, { asOf: AS_OF }))
  assert.ok(e instanceof ModelError)
  assert.equal(e.errors[0].line, 3)
})

test('schema errors list every violation with its pointer; text input also gives lines', () => {
  const text = JSON.stringify(
    {
      schema_version: '1.0',
      processes: [
        { id: 'p-1', clause_refs: ['99.9'] },
        { id: 'p-1', status: 'sleeping' },
      ],
      audits: [{ id: 'a', planned_on: '2025-02-30' }],
    },
    null,
    2,
  )
  const e = thrown(() => evaluate(text, { asOf: AS_OF }))
  assert.ok(e instanceof ModelError)
  assert.equal(e.code, 'AIMS-E-MODEL', 'several kinds of issue: the family code')
  const byPointer = Object.fromEntries(e.errors.map((i) => [i.pointer, i]))
  assert.equal(byPointer['/processes/0/clause_refs/0'].code, 'AIMS-E-UNKNOWN-CLAUSE')
  assert.equal(byPointer['/processes/1/id'].code, 'AIMS-E-DUPLICATE-ID')
  assert.equal(byPointer['/processes/1/status'].code, 'AIMS-E-SCHEMA')
  assert.equal(byPointer['/audits/0/planned_on'].code, 'AIMS-E-DATE')
  for (const i of e.errors) {
    assert.ok(i.line >= 1 && i.column >= 1, JSON.stringify(i))
  }
  // The same model as an object: the same issues, without lines (there is no text to point in).
  const o = thrown(() => evaluate(JSON.parse(text), { asOf: AS_OF }))
  assert.deepEqual(
    o.errors.map((i) => [i.code, i.pointer]),
    e.errors.map((i) => [i.code, i.pointer]),
    'the same issues in the same (document) order',
  )
  for (const i of o.errors) assert.equal(i.line, undefined)
})

test('validateModel lists the same issues instead of throwing', () => {
  assert.deepEqual(validateModel(EMPTY), [])
  assert.deepEqual(validateModel({ schema_version: '1.0' }), [])
  const issues = validateModel('{not json')
  assert.equal(issues.length, 1)
  assert.equal(issues[0].code, 'AIMS-E-SYNTAX')
  assert.equal(issues[0].line, 1)
  assert.equal(validateModel([])[0].code, 'AIMS-E-SCHEMA')
  assert.equal(validateModel('')[0].code, 'AIMS-E-EMPTY')
})

test('an empty or absent model', () => {
  assert.equal(thrown(() => evaluate('', { asOf: AS_OF })).code, 'AIMS-E-EMPTY')
  const e = thrown(() => evaluate(undefined, { asOf: AS_OF }))
  assert.ok(e instanceof OptionsError)
  assert.equal(e.code, 'AIMS-E-OPTIONS')
  assert.equal(thrown(() => evaluate(() => 1, { asOf: AS_OF })).code, 'AIMS-E-OPTIONS')
  assert.equal(thrown(() => evaluate(42, { asOf: AS_OF })).code, 'AIMS-E-SCHEMA')
})

test('a model JSON cannot express is an options error, not a crash', () => {
  const cyclic = { schema_version: '1.0' }
  cyclic.self = cyclic
  const e = thrown(() => evaluate(cyclic, { asOf: AS_OF }))
  assert.ok(e instanceof OptionsError)
  assert.match(e.message, /cannot be converted to JSON/)
  assert.equal(thrown(() => evaluate({ schema_version: '1.0', n: 1n }, { asOf: AS_OF })).code, 'AIMS-E-OPTIONS')
})

test('too deep a model is a LimitError', () => {
  const text = `{"schema_version": "1.0", "x": ${'['.repeat(100)}${']'.repeat(100)}}`
  const e = thrown(() => evaluate(text, { asOf: AS_OF }))
  assert.ok(e instanceof LimitError, e.name)
  assert.ok(!(e instanceof ModelError))
  assert.equal(e.code, 'AIMS-E-LIMIT')
  assert.equal(e.kind, 'limit')
})

test('the class follows the kind, and every AIMS-E-LIMIT error is a LimitError', async () => {
  // Past the parser (128 levels), past the model limit (64), past an array limit: each an
  // AIMS-E-LIMIT, whatever part of the loader found it, and so a LimitError.
  const texts = [
    `{"schema_version": "1.0", "x": ${'['.repeat(200)}${']'.repeat(200)}}`,
    `{"schema_version": "1.0", "x": ${'['.repeat(70)}${']'.repeat(70)}}`,
  ]
  for (const text of texts) {
    for (const e of [
      thrown(() => evaluate(text, { asOf: AS_OF })),
      await rejected(evaluateAsync(text, { asOf: AS_OF })),
      thrown(() => evaluate(JSON.parse(text), { asOf: AS_OF })),
    ]) {
      assert.ok(e instanceof LimitError, `${e.name}: ${e.message}`)
      assert.equal(e.code, 'AIMS-E-LIMIT')
      assert.equal(e.kind, 'limit')
      for (const i of e.errors) assert.equal(i.code, 'AIMS-E-LIMIT')
    }
  }
  const long = thrown(() => evaluate('{"schema_version": "1.0", "roles": [{}, {}]}', { asOf: AS_OF, limits: { maxArrayLen: 1 } }))
  assert.ok(long instanceof LimitError)
  // A rule pack nested deeper than the parser reads: a limit too, not a RulePackError.
  const dir = tmpDir('deep-pack')
  fs.writeFileSync(path.join(dir, 'pack.json'), '{"id": "deep", "version": "1.0.0", "title": "Deep"}')
  fs.writeFileSync(path.join(dir, 'rules.json'), `{"rules": ${'['.repeat(200)}${']'.repeat(200)}}`)
  const p = thrown(() => new Engine({ rules: dir, defaultRules: false }))
  assert.ok(p instanceof LimitError && !(p instanceof RulePackError), `${p.name}: ${p.message}`)
  assert.equal(p.code, 'AIMS-E-LIMIT')
  assert.equal(p.kind, 'limit')
})

test('invalid options are OptionsErrors with code AIMS-E-OPTIONS', async () => {
  const cases = [
    [undefined, /asOf is required/],
    [{}, /asOf is required/],
    [{ asOf: '2026-02-30' }, /not a calendar date/],
    [{ asOf: 'tomorrow' }, /asOf must be/],
    [{ asOf: new Date('nonsense') }, /invalid Date/],
    [{ asOf: null }, /asOf is null/],
    [{ asOf: AS_OF, tier: 'huge' }, /tier "huge"/],
    [{ asOf: AS_OF, profile: 'strict' }, /profile "strict"/],
    [{ asOf: AS_OF, as_of: AS_OF }, /unknown option as_of/],
    [{ asOf: AS_OF, maxFindingsPerRule: -1 }, /maxFindingsPerRule/],
    [{ asOf: AS_OF, rules: 5 }, /rules must be/],
    [{ asOf: AS_OF, overlay: 5 }, /overlay must be/],
    ['2026-06-30', /must be an object/],
  ]
  for (const [options, message] of cases) {
    const e = thrown(() => evaluate(EMPTY, options))
    assert.ok(e instanceof OptionsError, `${JSON.stringify(options)}: ${e}`)
    assert.equal(e.code, 'AIMS-E-OPTIONS')
    assert.match(e.message, message)
    assert.equal(e.errors[0].code, 'AIMS-E-OPTIONS')
    const r = await rejected(evaluateAsync(EMPTY, options))
    assert.ok(r instanceof OptionsError)
    assert.equal(r.message, e.message)
  }
  const engine = new Engine()
  const e = thrown(() => engine.evaluate(EMPTY, { asOf: AS_OF, overlay: { disable: [] } }))
  assert.match(e.message, /new Engine/)
  assert.equal(thrown(() => new Engine({ asOf: AS_OF })).code, 'AIMS-E-OPTIONS')
})

test('rule pack and overlay errors are RulePackErrors naming the file and rule', async () => {
  const missing = path.join(tmpDir('missing'), 'nope')
  const e = thrown(() => new Engine({ rules: missing }))
  assert.ok(e instanceof RulePackError)
  assert.equal(e.code, 'AIMS-E-PACK-IO')
  const r = await rejected(evaluateAsync(EMPTY, { asOf: AS_OF, rules: [missing] }))
  assert.ok(r instanceof RulePackError)

  const broken = tmpDir('broken')
  fs.writeFileSync(path.join(broken, 'pack.json'), '{"id": "broken", "version": "1.0.0", "title": "Broken"}')
  fs.writeFileSync(path.join(broken, 'rules.json'), '{"rules": [\n  {"id": \n')
  const b = thrown(() => new Engine({ rules: broken }))
  assert.equal(b.code, 'AIMS-E-PACK-SYNTAX')
  assert.ok(b.errors[0].file.endsWith('rules.json'), JSON.stringify(b.errors))
  assert.ok(b.errors[0].line >= 1)

  const o = thrown(() => new Engine({ overlay: { disable: ['NOPE-01'] } }))
  assert.ok(o instanceof RulePackError)
  assert.equal(o.errors[0].ruleId, 'NOPE-01')
  assert.equal(o.errors[0].pointer, '/disable/0')
  assert.equal(o.errors[0].rule_id, undefined, 'camelCase issue fields')
  const file = path.join(tmpDir('overlay'), 'overlay.json')
  fs.writeFileSync(file, '{"disable": [\n  "NOPE-02"\n]}')
  const f = thrown(() => evaluate(EMPTY, { asOf: AS_OF, overlay: file }))
  assert.equal(f.errors[0].file, file)
  assert.equal(f.errors[0].line, 2)
  assert.equal(thrown(() => new Engine({ overlay: { disable: 'x' } })).code, 'AIMS-E-PACK-SCHEMA')
})

test('a panic inside the addon is an InternalError (AIMS-E-INTERNAL), sync and async, and the process lives on', async () => {
  const aimscheck = require('..')
  const check = (e, message) => {
    assert.ok(e instanceof InternalError, `${e?.constructor?.name}: ${e}`)
    assert.ok(e instanceof AimsCheckError && e instanceof Error)
    assert.equal(e.name, 'InternalError')
    assert.equal(e.code, 'AIMS-E-INTERNAL')
    assert.equal(e.kind, 'internal')
    assert.equal(e.errors.length, 1)
    assert.equal(e.errors[0].code, 'AIMS-E-INTERNAL')
    assert.match(e.message, /^internal error in aimscheck \(please report it\): /)
    assert.ok(e.message.includes(message), e.message)
  }
  check(
    thrown(() => aimscheck.__panicForTests('sync', 'boom on the JS thread')),
    'boom on the JS thread',
  )
  check(await rejected(aimscheck.__panicForTests('async', 'boom on the pool')), 'boom on the pool')
  // The default message, and the raw addon: a plain Error with the same code and kind.
  const raw = thrown(() => require('../binding.js').__panicForTests('sync'))
  assert.ok(raw instanceof Error && !(raw instanceof AimsCheckError))
  assert.equal(raw.code, 'AIMS-E-INTERNAL')
  assert.match(raw.message, /deliberate panic/)
  // Eight at once on the thread pool, beside real evaluations: every panic rejects, every
  // evaluation resolves.
  const settled = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) =>
      i % 2 === 0 ? aimscheck.__panicForTests('async', `panic ${i}`) : evaluateAsync(EMPTY, { asOf: AS_OF }),
    ),
  )
  settled.forEach((s, i) => {
    if (i % 2 === 0) {
      assert.equal(s.status, 'rejected')
      check(s.reason, `panic ${i}`)
    } else {
      assert.equal(s.status, 'fulfilled', String(s.reason))
      assert.equal(s.value.as_of, AS_OF)
    }
  })
  // Still alive and working, sync and async.
  assert.equal(evaluate(EMPTY, { asOf: AS_OF }).as_of, AS_OF)
  assert.equal((await evaluateAsync(EMPTY, { asOf: AS_OF })).as_of, AS_OF)
})

test('the panic hook is not part of the API', () => {
  const aimscheck = require('..')
  assert.equal(typeof aimscheck.__panicForTests, 'function')
  assert.ok(!Object.keys(aimscheck).includes('__panicForTests'))
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  assert.ok(!dts.includes('panicForTests'))
  const mjs = fs.readFileSync(path.join(__dirname, '..', 'index.mjs'), 'utf8')
  assert.ok(!mjs.includes('panicForTests'))
})
