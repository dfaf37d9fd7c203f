'use strict'
// evaluateMany / Engine#evaluateMany: per model, the report or the error `evaluate` gives, in
// input order, at any number of threads, off the JS thread; only invalid options reject.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const aimscheck = require('..')
const { evaluate, evaluateMany, Engine, AimsCheckError, ModelError, LimitError, OptionsError, RulePackError } = aimscheck
const { AS_OF, EXAMPLES, examples, thrown, rejected } = require('../support/helpers.js')

const SCALEUP = fs.readFileSync(path.join(EXAMPLES, 'scaleup.json'), 'utf8')
const GAPS = fs.readFileSync(path.join(EXAMPLES, 'gaps.json'), 'utf8')

/** Every example as text, as a Buffer and as an object. */
function exampleModels() {
  return examples().flatMap(({ file }) => {
    const bytes = fs.readFileSync(file)
    return [bytes.toString('utf8'), bytes, JSON.parse(bytes.toString('utf8'))]
  })
}

/** `item` is the error `evaluate` throws (`expected`), its issues naming the model `name`. */
function sameError(item, expected, name) {
  assert.ok(item instanceof AimsCheckError, `expected an error item, got ${typeof item}`)
  assert.equal(item.constructor, expected.constructor)
  assert.equal(item.code, expected.code)
  assert.equal(item.kind, expected.kind)
  const unnamed = (issues) => issues.map(({ file, ...issue }) => issue)
  assert.deepEqual(unnamed(item.errors), unnamed(expected.errors))
  assert.ok(item.errors.length > 0)
  for (const issue of item.errors) assert.equal(issue.file, name)
  assert.ok(item.message.includes(` in ${name}`), item.message)
}

/** What `fn` throws, or undefined. */
function thrownOrNot(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  return undefined
}

/** A value nested `n` levels deep. */
function nested(n) {
  let v = {}
  for (let i = 1; i < n; i++) v = { a: v }
  return v
}

for (const jobs of [1, 2]) {
  test(`jobs ${jobs}: every example, as text, Buffer and object, gives the report evaluate gives, in order`, async () => {
    const models = exampleModels()
    const items = await evaluateMany(models, { asOf: AS_OF, jobs, profile: 'certification' })
    assert.equal(items.length, models.length)
    models.forEach((m, i) => assert.deepEqual(items[i], evaluate(m, { asOf: AS_OF, profile: 'certification' })))
  })
}

test('a bad model is its own error item, of the class and code evaluate throws; the others are reports', async () => {
  const cycle = { schema_version: '1.0' }
  cycle.self = cycle
  const models = [
    SCALEUP,
    '{not json',
    GAPS,
    { schema_version: '1.0', organization: { name: 5, size_tier: 'huge' }, extra: true },
    Buffer.from('[1, 2'),
    { schema_version: '1.0', score: NaN },
    cycle,
    nested(80),
    undefined,
    new Float32Array(2),
    JSON.parse(SCALEUP),
  ]
  const names = models.map((_, i) => `batch/model-${i}.json`)
  for (const jobs of [1, 2]) {
    const items = await evaluateMany(models, { asOf: AS_OF, jobs, names })
    assert.equal(items.length, models.length)
    models.forEach((m, i) => {
      const expected = thrownOrNot(() => evaluate(m, { asOf: AS_OF }))
      if (expected === undefined) assert.deepEqual(items[i], evaluate(m, { asOf: AS_OF }))
      else sameError(items[i], expected, names[i])
    })
    assert.equal(items[0].verdict, 'conformant')
    assert.equal(items[2].verdict, 'nonconformant')
    assert.ok(items[1] instanceof ModelError)
    assert.equal(items[1].code, 'AIMS-E-SYNTAX')
    assert.ok(items[3] instanceof ModelError)
    assert.ok(items[5] instanceof OptionsError)
    assert.ok(items[6] instanceof OptionsError)
    assert.ok(items[7] instanceof LimitError)
    assert.ok(items[8] instanceof OptionsError)
    assert.deepEqual(items[10], items[0])
  }
})

test('without names, a model is named models/<index> in its issues', async () => {
  const items = await evaluateMany([SCALEUP, '{', { schema_version: '1.0', n: Infinity }], { asOf: AS_OF })
  assert.equal(items[0].verdict, 'conformant')
  assert.deepEqual(
    items[1].errors.map((i) => i.file),
    items[1].errors.map(() => 'models/1'),
  )
  assert.deepEqual(
    items[2].errors.map((i) => i.file),
    ['models/2'],
  )
})

test('limits, tier and the packs apply to every model', async () => {
  const options = { asOf: AS_OF, tier: 'enterprise', limits: { maxDepth: 16 }, overlay: { disable: ['AIMS-CI-02'] } }
  const models = [SCALEUP, GAPS, nested(20)]
  const items = await evaluateMany(models, options)
  assert.deepEqual(items[0], evaluate(SCALEUP, options))
  assert.deepEqual(items[1], evaluate(GAPS, options))
  sameError(items[2], thrown(() => evaluate(nested(20), options)), 'models/2')
  assert.ok(items[2] instanceof LimitError)
})

test('Engine#evaluateMany evaluates on the engine', async () => {
  const engine = new Engine({ overlay: { disable: ['AIMS-CI-02'], severity: { 'AIMS-DOC-04': 'high' } } })
  const models = [...exampleModels(), '{']
  const items = await engine.evaluateMany(models, { asOf: AS_OF, jobs: 2, names: models.map((_, i) => `m${i}`) })
  models.forEach((m, i) => {
    const expected = thrownOrNot(() => engine.evaluate(m, { asOf: AS_OF }))
    if (expected === undefined) assert.deepEqual(items[i], engine.evaluate(m, { asOf: AS_OF }))
    else sameError(items[i], expected, `m${i}`)
  })
  assert.ok(items.at(-1) instanceof ModelError)
  // The overlay is the engine's: the reports differ from the default pack's.
  assert.notDeepEqual(items[0], evaluate(models[0], { asOf: AS_OF }))
})

test('no models: an empty array', async () => {
  assert.deepEqual(await evaluateMany([], { asOf: AS_OF }), [])
  assert.deepEqual(await new Engine().evaluateMany([], { asOf: AS_OF, jobs: 1 }), [])
})

test('the JS thread keeps running while a batch is evaluated', async () => {
  const enterprise = fs.readFileSync(path.join(EXAMPLES, 'enterprise.json'))
  // setImmediate callbacks run on every turn of the event loop: a batch evaluated on the JS
  // thread would settle before the first one.
  let turns = 0
  let settled = false
  const tick = () => {
    if (settled) return
    turns++
    setImmediate(tick)
  }
  setImmediate(tick)
  const items = await evaluateMany(Array(32).fill(enterprise), { asOf: AS_OF, jobs: 1 })
  settled = true
  assert.equal(items.length, 32)
  assert.ok(turns > 0, 'no turn of the event loop while the batch was evaluated')
})

test('invalid options or models argument reject with an OptionsError, never throw', async () => {
  const bad = [
    [[SCALEUP], undefined, /asOf is required/],
    [[SCALEUP], { jobs: 2 }, /asOf is required/],
    [[SCALEUP], { asOf: AS_OF, jobs: 0 }, /jobs must be a positive integer, not 0/],
    [[SCALEUP], { asOf: AS_OF, jobs: 1.5 }, /jobs must be a positive integer, not 1.5/],
    [[SCALEUP], { asOf: AS_OF, jobs: '2' }, /jobs must be a positive integer, not a string/],
    [[SCALEUP], { asOf: AS_OF, names: ['a', 'b'] }, /names must name every model: 2 names for 1 models/],
    [[SCALEUP], { asOf: AS_OF, names: [1] }, /every entry of names must be a string/],
    [[SCALEUP], { asOf: AS_OF, names: 'a' }, /names must be an array of strings/],
    [[SCALEUP], { asOf: AS_OF, parallel: true }, /unknown option parallel/],
    [[SCALEUP], { asOf: AS_OF, tier: 'huge' }, /huge/],
    [SCALEUP, { asOf: AS_OF }, /models must be an array .* not a string/],
    [undefined, { asOf: AS_OF }, /models must be an array/],
  ]
  for (const [models, options, message] of bad) {
    let call
    assert.doesNotThrow(() => {
      call = evaluateMany(models, options)
    })
    const e = await rejected(call)
    assert.ok(e instanceof OptionsError, `${message}: ${e}`)
    assert.equal(e.code, 'AIMS-E-OPTIONS')
    assert.match(e.message, message)
  }
  const engine = new Engine()
  const e = await rejected(engine.evaluateMany([SCALEUP], { asOf: AS_OF, rules: ['x'] }))
  assert.ok(e instanceof OptionsError)
  assert.match(e.message, /unknown option rules .*new Engine/)
  const missing = await rejected(evaluateMany([SCALEUP], { asOf: AS_OF, rules: [path.join(EXAMPLES, 'no-such-pack')] }))
  assert.ok(missing instanceof RulePackError)
})
