'use strict'
// The `aimscheck` package (CommonJS entry; index.mjs re-exports it for `import`).
//
// The native addon (src/lib.rs, loaded through binding.js, which `napi build` writes) is a thin
// skin over the core's call layer (`aimscheck::api`): `call(op, request, model?, report?,
// engine?)` takes the request of an operation as JSON text and answers JSON text,
// `{"ok": true, "value": ...}` or `{"ok": false, "error": {code, kind, message, errors}}`. This
// file checks the JS arguments (with messages in JS terms), builds the snake_case requests,
// and turns the answers into values or the Error subclasses below. Types: index.d.ts.

const fs = require('node:fs')
const { types } = require('node:util')
const native = require('./binding.js')

/** Every error aimscheck throws or rejects with. */
class AimsCheckError extends Error {
  /**
   * @param {string} message
   * @param {{code?: string, kind?: string, errors?: object[]}} [details]
   */
  constructor(message, details = {}) {
    super(message)
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    })
    this.code = details.code ?? 'AIMS-E-INTERNAL'
    this.kind = details.kind ?? 'internal'
    this.errors = Array.isArray(details.errors) ? details.errors : []
  }
}
/** The model could not be loaded: not JSON, or not valid against the model schema. */
class ModelError extends AimsCheckError {}
/** A rule pack or overlay could not be loaded or compiled. */
class RulePackError extends AimsCheckError {}
/** An input exceeds a limit (size, nesting depth). */
class LimitError extends AimsCheckError {}
/** An option or argument is invalid. */
class OptionsError extends AimsCheckError {}
/** A bug inside aimscheck, caught before it could crash the process. */
class InternalError extends AimsCheckError {}

// The class of each error kind; `export` and `report` (what was given as a report is not one)
// are AimsCheckErrors. The only files this package reads are rule packs and overlays, so a file
// that cannot be read (`io`) is a RulePackError.
const CLASSES = {
  model: ModelError,
  rule_pack: RulePackError,
  limit: LimitError,
  options: OptionsError,
  io: RulePackError,
  internal: InternalError,
}

/** An issue of the core as JS sees it: camelCase, absent optional fields absent. */
function jsIssue(i) {
  const issue = { code: i.code, message: i.message, pointer: i.pointer }
  if (i.line != null) issue.line = i.line
  if (i.column != null) issue.column = i.column
  if (i.file != null) issue.file = i.file
  if (i.rule_id != null) issue.ruleId = i.rule_id
  if (i.help != null) issue.help = i.help
  return issue
}

/** The Error for the error of an answer, `{code, kind, message, errors}`. */
function toError(e) {
  const Class = CLASSES[e.kind] ?? AimsCheckError
  return new Class(e.message, { code: e.code, kind: e.kind, errors: e.errors.map(jsIssue) })
}

/** An error found here, with one issue carrying its message. */
function failure(Class, code, kind, message) {
  return new Class(message, { code, kind, errors: [{ code, message, pointer: '' }] })
}
const optionsError = (message) => failure(OptionsError, 'AIMS-E-OPTIONS', 'options', message)
const limitError = (message) => failure(LimitError, 'AIMS-E-LIMIT', 'limit', message)

/**
 * The value of an answer's JSON text; its error thrown, with the help of `withPathHelp` for
 * `model`, the model given (if any).
 */
function unwrap(answer, model) {
  const a = JSON.parse(answer)
  if (a.ok) return a.value
  throw toError(withPathHelp(a.error, model))
}

// ---- a string model that names a file ----

/** The help a string model that is not JSON but names an existing file gets. */
const PATH_HELP =
  "a string model is JSON text, and this one names a file: pass `fs.readFileSync(path, 'utf8')` to read a file"
/** Longest string looked up as a file for PATH_HELP (Linux's PATH_MAX): a longer one is no path. */
const MAX_PATH_LENGTH = 4096

/**
 * Whether `model` is a string naming an existing file: short, on one line, and a file for
 * `fs.statSync`, which looks the path up without reading the file.
 */
function namesFile(model) {
  if (typeof model !== 'string' || model.length === 0 || model.length > MAX_PATH_LENGTH) return false
  if (/[\r\n\0]/.test(model)) return false
  try {
    return fs.statSync(model, { throwIfNoEntry: false })?.isFile() === true
  } catch {
    return false
  }
}

/**
 * `issues`, the issues (snake_case) of loading `model`, with PATH_HELP added to the message of
 * the first when it is a syntax error (`AIMS-E-SYNTAX`: the model is not JSON) and `model` a
 * string that names an existing file. Only a model that failed as JSON is looked up.
 */
function pathHelpIssues(issues, model) {
  const first = Array.isArray(issues) ? issues[0] : undefined
  if (first?.code !== 'AIMS-E-SYNTAX' || !namesFile(model)) return issues
  return [{ ...first, message: `${first.message}; ${PATH_HELP}` }, ...issues.slice(1)]
}

/** The error of an answer, `{code, kind, message, errors}`, with the help of `pathHelpIssues` for `model`. */
function withPathHelp(error, model) {
  const issues = pathHelpIssues(error.errors, model)
  if (issues === error.errors) return error
  const message = error.message.replace(error.errors[0].message, () => issues[0].message)
  return { ...error, message, errors: issues }
}

/** Runs `fn`, which the addon may make throw an Error carrying an answer: thrown as ours. */
function rethrow(fn) {
  try {
    return fn()
  } catch (e) {
    if (typeof e?.answer === 'string') unwrap(e.answer)
    throw e
  }
}

// ---- JSON text of JS values ----

/** The deepest nesting the core's JSON parser reads (a text nested 128 levels deep is refused). */
const PARSER_DEPTH = 127

/**
 * `JSON.stringify(value)`, refusing what the text would silently change or what the walk must
 * not reach: it stops at the first number that is not finite (`Infinity`, `-Infinity`, `NaN`,
 * which JSON.stringify writes as `null`) and at the first array or object nested deeper than
 * PARSER_DEPTH (the root is level 1), before the walk could exhaust the stack. Returns
 * `{text}` (`text` undefined for `undefined`, a function or a symbol), `{number: [pointer,
 * shown]}`, `{deep: true}` or `{thrown}` (a cycle, a BigInt, a throwing `toJSON`). Pointers are
 * JSON Pointers (RFC 6901) after `prefix`.
 */
function checkedStringify(value, prefix) {
  let holders = null
  const keys = []
  let stop = null
  const escape = (key) => '/' + String(key).replace(/~/g, '~0').replace(/\//g, '~1')
  const pointer = (key) => prefix + (holders.length > 1 ? [...keys.slice(1), key] : []).map(escape).join('')
  function replacer(key, v) {
    if (holders === null) {
      holders = [this]
    } else {
      // Back up to the object holding this member.
      while (holders.length > 1 && holders[holders.length - 1] !== this) {
        holders.pop()
        keys.pop()
      }
    }
    const n = v instanceof Number ? Number(v) : v
    if (typeof n === 'number') {
      if (!Number.isFinite(n)) {
        stop = { number: [pointer(key), String(n)] }
        throw stop
      }
    } else if (typeof v === 'object' && v !== null) {
      if (holders.length > PARSER_DEPTH) {
        stop = { deep: true }
        throw stop
      }
      holders.push(v)
      keys.push(key)
    }
    return v
  }
  try {
    return { text: JSON.stringify(value, replacer) }
  } catch (e) {
    if (stop !== null && e === stop) return stop
    return { thrown: e }
  }
}

/** Why `what` cannot be JSON, in words. */
function unjson(stop, what) {
  if (stop.number) {
    const [pointer, shown] = stop.number
    return `${what} cannot be converted to JSON: the number at "${pointer}" is ${shown}, which JSON cannot hold (JSON.stringify would write null)`
  }
  if (stop.deep) return `${what} cannot be converted to JSON: its arrays and objects nest deeper than ${PARSER_DEPTH} levels`
  return `${what} cannot be converted to JSON: ${stop.thrown?.message ?? String(stop.thrown)}`
}

/** The plain JSON value of an argument other than a model (options, limits), or undefined. */
function plain(value, what, prefix = '') {
  const r = checkedStringify(value, prefix)
  if (!('text' in r)) throw optionsError(unjson(r, what))
  return r.text === undefined ? undefined : JSON.parse(r.text)
}

/** How JS names the type of `v`, for messages. */
function typeName(v) {
  if (v === undefined || v === null) return String(v)
  if (Array.isArray(v)) return 'an array'
  if (types.isArrayBufferView(v)) return 'a typed array'
  switch (typeof v) {
    case 'boolean':
    case 'number':
    case 'string':
    case 'symbol':
    case 'function':
      return `a ${typeof v}`
    case 'object':
      return 'an object'
    default:
      return 'a value of another type'
  }
}

/**
 * A model or report argument (`noun`) as the addon takes it beside the request: JSON text the
 * caller wrote, as UTF-8 bytes (a string is encoded; errors are located in the text), or, for
 * any other JS value, the string JSON.stringify makes of it (read as a value: errors carry
 * pointers only). A value nested deeper than the parser reads is the error `deep()` gives.
 */
function jsonInput(value, noun, deep) {
  if (typeof value === 'string') return Buffer.from(value)
  if (value === undefined) throw optionsError(`the ${noun} is required: an object, a JSON string or a Buffer`)
  if (types.isArrayBufferView(value)) {
    if (types.isUint8Array(value)) return value
    throw optionsError(`a typed-array ${noun} must be a Buffer or a Uint8Array of UTF-8 JSON`)
  }
  const r = checkedStringify(value, '')
  if (r.deep) throw deep()
  if (!('text' in r)) throw optionsError(unjson(r, `the ${noun}`))
  if (r.text === undefined) throw optionsError(`the ${noun} must be an object, a JSON string or a Buffer`)
  return r.text
}

/** A model argument, loaded within `limits` (the request's, snake_case). */
function modelInput(model, limits) {
  return jsonInput(model, 'model', () => {
    const max = limits?.max_depth ?? native.DEFAULT_MAX_DEPTH
    return limitError(
      max < PARSER_DEPTH
        ? `the model nests deeper than ${max} levels`
        : `the model nests deeper than ${PARSER_DEPTH} levels, the most the parser reads (the model limit is ${max})`,
    )
  })
}

function reportInput(report) {
  return jsonInput(report, 'report', () => optionsError(unjson({ deep: true }, 'the report')))
}

// ---- options ----

const EVALUATION = [
  'asOf', 'tier', 'profile', 'maxFindingsPerRule', 'maxStepsPerRule', 'maxStepsTotal', 'timeout', 'limits', 'strict',
]
const ENGINE = ['rules', 'defaultRules', 'overlay']
const EXPLAIN = ['rules', 'defaultRules']
const MANY = ['jobs', 'names']
const LIMITS = { maxBytes: 'max_bytes', maxDepth: 'max_depth', maxIssues: 'max_issues', maxArrayLen: 'max_array_len' }
const EXPORT_FORMATS = ['sarif', 'oscal', 'junit', 'markdown', 'html', 'ciso-csv']
const DIAGRAM_FORMATS = ['dot', 'svg', 'mermaid']

/** A non-negative integer JS holds exactly, named `name`. */
function count(v, name) {
  if (Number.isSafeInteger(v) && v >= 0) return v
  const shown = typeof v === 'number' ? String(v) : typeName(v)
  return fail(`${name} must be a non-negative integer (at most Number.MAX_SAFE_INTEGER), not ${shown}`)
}

/** A positive, finite number of seconds, named `name`. */
function seconds(v, name) {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v
  const shown = typeof v === 'number' ? String(v) : typeName(v)
  return fail(`${name} must be a positive number of seconds, not ${shown}`)
}

function fail(message) {
  throw optionsError(message)
}

function boolean(v, name) {
  return typeof v === 'boolean' ? v : fail(`${name} must be a boolean, not ${typeName(v)}`)
}

function string(v, name) {
  return typeof v === 'string' ? v : fail(`${name} must be a string, not ${typeName(v)}`)
}

/** `limits` (a plain JSON value) as the request's, or undefined. */
function readLimits(value) {
  if (value === null || value === undefined) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    const expected = Object.keys(LIMITS).map((k) => `${k}?`).join(', ')
    fail(`limits must be an object {${expected}}, not ${typeName(value)}`)
  }
  const limits = {}
  for (const [key, v] of Object.entries(value)) {
    if (!Object.hasOwn(LIMITS, key)) fail(`unknown limit ${key} in limits; expected ${Object.keys(LIMITS).join(', ')}`)
    if (v !== null) limits[LIMITS[key]] = count(v, `limits.${key}`)
  }
  return limits
}

/** `asOf`: `YYYY-MM-DD`, or an ISO date-time (what JSON.stringify makes of a Date), of which the date as written is kept. */
function asOf(v) {
  const time = /^(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?)?)?$/i
  if (typeof v === 'string' && v.length >= 10 && time.test(v.slice(10))) return v.slice(0, 10)
  return fail(`asOf must be a valid Date or an ISO date string (YYYY-MM-DD), not ${JSON.stringify(v)}`)
}

/**
 * The options of `evaluate` (both name lists), `Engine#evaluate` (EVALUATION), `new Engine`
 * (ENGINE), `rules` (ENGINE), `explainRule` (EXPLAIN) or `init` (`tier`), read from their JSON
 * as JSON.stringify writes it (Dates as ISO strings), as the request's members; `undefined`
 * and `null` options, and members, read as absent. `hints`: whether an unknown name says where
 * the engine's and the evaluation's options go (for `evaluate`, `Engine` and its methods).
 */
function readOptions(options, accept, what, hints = true) {
  const o = plain(options, what)
  const request = {}
  if (o === undefined || o === null) return request
  if (typeof o !== 'object' || Array.isArray(o)) fail(`${what} must be an object, not ${typeName(o)}`)
  for (const [key, v] of Object.entries(o)) {
    if (!accept.includes(key)) {
      let hint = ''
      if (hints && !accept.includes('rules') && ENGINE.includes(key)) {
        hint = " (an engine's packs and overlay are set by new Engine({rules, overlay}))"
      } else if (hints && !accept.includes('asOf') && EVALUATION.includes(key)) {
        hint = ' (evaluation options go to engine.evaluate(model, options))'
      }
      fail(`unknown option ${key} in ${what}${hint}; expected ${accept.join(', ')}`)
    }
    if (v === null) {
      if (key === 'asOf') {
        fail('asOf is null (an invalid Date becomes null in JSON): give a valid Date or a YYYY-MM-DD string')
      }
      continue
    }
    switch (key) {
      case 'asOf':
        request.as_of = asOf(v)
        break
      case 'tier':
      case 'profile':
        request[key] = string(v, key)
        break
      case 'maxFindingsPerRule':
        request.max_findings_per_rule = count(v, key)
        break
      case 'maxStepsPerRule':
        request.max_steps_per_rule = count(v, key)
        break
      case 'maxStepsTotal':
        request.max_steps_total = count(v, key)
        break
      case 'timeout':
        request.timeout = seconds(v, key)
        break
      case 'limits':
        request.limits = readLimits(v)
        break
      case 'strict':
        request.strict = boolean(v, key)
        break
      case 'rules':
        if (typeof v === 'string') request.rules = [v]
        else if (Array.isArray(v)) request.rules = v.map((x) => string(x, 'every entry of rules'))
        else fail(`rules must be a folder path or an array of folder paths, not ${typeName(v)}`)
        break
      case 'defaultRules':
        request.default_rules = typeof v === 'boolean' ? v : fail(`defaultRules must be a boolean, not ${typeName(v)}`)
        break
      case 'overlay':
        if (typeof v === 'string') request.overlay_path = v
        else if (typeof v === 'object' && !Array.isArray(v)) request.overlay = v
        else fail(`overlay must be an object {disable?, severity?} or a file path, not ${typeName(v)}`)
        break
      case 'jobs':
        if (!Number.isSafeInteger(v) || v < 1) {
          fail(`jobs must be a positive integer, not ${typeof v === 'number' ? String(v) : typeName(v)}`)
        }
        request.jobs = v
        break
      case 'names':
        if (!Array.isArray(v)) fail(`names must be an array of strings, not ${typeName(v)}`)
        request.names = v.map((x) => string(x, 'every entry of names'))
        break
    }
  }
  return request
}

/**
 * The options of `validateModel`, `diagram` and `exportReport`, read property by property (not
 * through JSON.stringify, which would turn a Buffer model into `{type, data}`): the members
 * named in `allowed` that are neither undefined nor null, as `[name, value]` in the order of
 * `allowed`.
 */
function members(options, allowed, what) {
  if (options === undefined || options === null) return []
  if (typeof options !== 'object' || Array.isArray(options) || types.isArrayBufferView(options)) {
    fail(`${what} must be an object {${allowed.map((k) => `${k}?`).join(', ')}}, not ${typeName(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) fail(`unknown option ${key} in ${what}; expected ${allowed.join(', ')}`)
  }
  return allowed.filter((k) => options[k] !== undefined && options[k] !== null).map((k) => [k, options[k]])
}

/** The `limits` member of property-read options. */
function limitsMember(value) {
  return readLimits(plain(value, 'the options', '/limits'))
}

/** A format argument (`what`: `export` or `diagram`), one of `names`. */
function format(v, names, what) {
  const list = names.join(', ')
  if (v === undefined || v === null) fail(`the format is required: one of ${list}`)
  const name = what === 'export' ? 'the format' : 'the diagram format'
  if (typeof v !== 'string') fail(`${name} must be a string, one of ${list}; not ${typeName(v)}`)
  if (!names.includes(v)) fail(`unknown ${what} format ${JSON.stringify(v)}: expected one of ${list}`)
  return v
}

// ---- requests ----

function requireAsOf(request) {
  if (request.as_of === undefined) {
    fail('asOf is required: the evaluation date, a Date or a YYYY-MM-DD string (the engine never reads a clock)')
  }
}

/** The `evaluate` request and the model given beside it: `[request, model]`. */
function evaluation(model, options, accept) {
  const request = readOptions(options, accept, 'the options')
  const m = modelInput(model, request.limits)
  requireAsOf(request)
  return [JSON.stringify(request), m]
}

/**
 * Evaluates `models` with `options` (accepted names: `accept`) on the thread pool, on `engine`
 * (an Engine's) or the packs the options name: an array with, per model, its report or its
 * error. Invalid options throw; a model that cannot even be converted to JSON here (a NaN, a
 * cycle) gets the error `evaluate` would throw for it, and is not sent to the addon.
 */
async function evaluateMany(models, options, accept, engine) {
  const request = readOptions(options, accept, 'the options')
  requireAsOf(request)
  if (!Array.isArray(models)) fail(`models must be an array of models (objects, JSON strings or Buffers), not ${typeName(models)}`)
  const { names } = request
  delete request.names
  if (names !== undefined && names.length !== models.length) {
    fail(`names must name every model: ${names.length} names for ${models.length} models`)
  }
  // Each model is named, by default `models/<index>`; its error's message and issues (`file`)
  // name it, as the core's do.
  request.models = []
  const inputs = []
  const items = Array.from(models, (model, i) => {
    const name = names === undefined ? `models/${i}` : names[i]
    try {
      inputs.push(modelInput(model, request.limits))
    } catch (e) {
      if (!(e instanceof AimsCheckError)) throw e
      const errors = e.errors.map((issue) => ({ ...issue, file: issue.file ?? name }))
      return new e.constructor(`${e.message} in ${name}`, { code: e.code, kind: e.kind, errors })
    }
    request.models.push({ name })
    return undefined
  })
  const answers = unwrap(
    await native.callAsync('evaluate_many', JSON.stringify(request), undefined, undefined, inputs, engine),
  )
  // The addon's answers, in order, fill the places of the models it was given.
  let next = 0
  return items.map((item, i) => {
    if (item !== undefined) return item
    const a = answers[next++]
    return a.error === undefined ? a.report : toError(withPathHelp(a.error, models[i]))
  })
}

/**
 * The `export` request, with the report and model given beside it, and the model as given:
 * `[request, model, report, given]`.
 */
function exportCall(report, fmt, options) {
  const request = { format: format(fmt, EXPORT_FORMATS, 'export') }
  const r = reportInput(report)
  let m
  let given
  for (const [key, value] of members(options, ['limits', 'model', 'modelUri'], 'the export options')) {
    if (key === 'limits') request.limits = limitsMember(value)
    else if (key === 'model') [m, given] = [modelInput(value, request.limits), value]
    else request.model_uri = string(value, 'modelUri')
  }
  return [JSON.stringify(request), m, r, given]
}

// ---- the API ----

/**
 * Evaluates `model` as of `options.asOf` with the default pack (plus `options.rules`, with
 * `options.overlay`) and returns the report.
 */
function evaluate(model, options) {
  const [request, m] = evaluation(model, options, [...EVALUATION, ...ENGINE])
  return unwrap(native.call('evaluate', request, m), model)
}

/** Like `evaluate`, off the JS thread; rejects with the same errors. */
async function evaluateAsync(model, options) {
  const [request, m] = evaluation(model, options, [...EVALUATION, ...ENGINE])
  return unwrap(await native.callAsync('evaluate', request, m), model)
}

/**
 * Evaluates every model of `models` as `evaluate` would, in parallel on `options.jobs` threads
 * (default: one per core) off the JS thread: resolves to, per model in order, its report or
 * its error (named `options.names[i]`, default `models/<i>`, in each issue's `file`). Rejects
 * only on invalid options or packs.
 */
function evaluateManyModels(models, options) {
  return evaluateMany(models, options, [...EVALUATION, ...ENGINE, ...MANY])
}

/**
 * The answer of the library's `validate` for `model`, loaded within `options.limits` (a
 * member the schema does not define an error with `options.strict`), its issues as JS issues;
 * a value nested too deep, found while converting it, is listed as the text's would be.
 */
function validation(model, options, what) {
  const request = {}
  for (const [key, value] of members(options, ['limits', 'strict'], what)) {
    if (key === 'limits') request.limits = limitsMember(value)
    else request.strict = boolean(value, 'strict')
  }
  let m
  try {
    m = modelInput(model, request.limits)
  } catch (e) {
    if (e instanceof LimitError) return { valid: false, errors: e.errors, warnings: [] }
    throw e
  }
  const answer = unwrap(native.call('validate', JSON.stringify(request), m))
  const result = { valid: answer.valid }
  if (answer.schema_version != null) result.schemaVersion = answer.schema_version
  if (answer.digest != null) result.digest = answer.digest
  result.errors = pathHelpIssues(answer.errors, model).map(jsIssue)
  result.warnings = answer.warnings.map(jsIssue)
  return result
}

/** Every error of `model`, loaded within `options.limits`; empty when it is valid. */
function validateModel(model, options) {
  return validation(model, options, 'the validateModel options').errors
}

/**
 * Whether `model` is valid, its schema version and digest when it is, its errors when it is
 * not, and its warnings (members the schema does not define).
 */
function validate(model, options) {
  return validation(model, options, 'the validate options')
}

/**
 * The rules of the packs (the default pack unless `options.defaultRules` is false, and the
 * `options.rules` folders), with `options.overlay`'s severities and `disabled: true` on the
 * rules it turns off: what `aimscheck rules list --format json` prints.
 */
function rules(options) {
  const request = readOptions(options, ENGINE, 'the rules options', false)
  return unwrap(native.call('rules', JSON.stringify(request)))
}

/**
 * The rule `ruleId` of the packs (as `rules` names them): what `aimscheck rules explain ID
 * --format json` prints. An unknown id throws an OptionsError with code AIMS-E-UNKNOWN-RULE
 * naming the nearest ids.
 */
function explainRule(ruleId, options) {
  const request = readOptions(options, EXPLAIN, 'the explainRule options', false)
  request.id = string(ruleId, 'the rule id')
  return unwrap(native.call('rules', JSON.stringify(request)))
}

/**
 * The pack folders `options.rules` (none: the embedded default pack) linted for loops whose
 * cost is the product of two model collections: `{packs, warnings}`, what `aimscheck rules lint
 * [DIR ...] --format json` prints.
 */
function lintRules(options) {
  const request = readOptions(options, ['rules'], 'the lintRules options', false)
  return unwrap(native.call('lint', JSON.stringify(request)))
}

/** The starter model of `options.tier` as JSON text: what `aimscheck init --tier TIER` writes. */
function init(options) {
  const request = readOptions(options, ['tier'], 'the init options', false)
  if (request.tier === undefined) fail('tier is required: startup, scaleup or enterprise')
  return unwrap(native.call('init', JSON.stringify(request)))
}

/**
 * `model` of schema 1.0 rewritten as 1.1, only its `schema_version` changing (loaded within
 * `options.limits`; `options.strict` refuses a member the schema does not define):
 * `{modelText, changed}`, `modelText` being what `aimscheck migrate MODEL` writes.
 */
function migrate(model, options) {
  const request = {}
  for (const [key, value] of members(options, ['limits', 'strict'], 'the migrate options')) {
    if (key === 'limits') request.limits = limitsMember(value)
    else request.strict = boolean(value, 'strict')
  }
  const m = modelInput(model, request.limits)
  const answer = unwrap(native.call('migrate', JSON.stringify(request), m))
  return { modelText: answer.model_text, changed: answer.changed }
}

/**
 * The comparison of two reports (objects `evaluate` returned, or their JSON text): what
 * `aimscheck diff OLD NEW --format json` prints, without the file names.
 */
function diff(oldReport, newReport) {
  const reports = [
    jsonInput(oldReport, 'old report', () => optionsError(unjson({ deep: true }, 'the old report'))),
    jsonInput(newReport, 'new report', () => optionsError(unjson({ deep: true }, 'the new report'))),
  ]
  return unwrap(native.call('diff', '{}', undefined, undefined, reports))
}

/**
 * Renders `report` (what `evaluate` returned) as `format` (`sarif`, `oscal`, `junit`,
 * `markdown`, `html` or `ciso-csv`): the text `aimscheck check --format FORMAT` prints.
 * `options.model` (the model the report is about) gives SARIF its line numbers and the HTML
 * page its process map; `options.modelUri` names the model file in SARIF and OSCAL.
 */
function exportReport(report, format, options) {
  const [request, m, r, given] = exportCall(report, format, options)
  return unwrap(native.call('export', request, m, r), given)
}

/** Like `exportReport`, off the JS thread; rejects with the same errors. */
async function exportReportAsync(report, format, options) {
  const [request, m, r, given] = exportCall(report, format, options)
  return unwrap(await native.callAsync('export', request, m, r), given)
}

/**
 * The process-interaction map of `model` as DOT (default), SVG or Mermaid text; with
 * `options.strict`, a member the model schema does not define is a ModelError.
 */
function diagram(model, options) {
  const request = {}
  let r
  for (const [key, value] of members(options, ['format', 'report', 'limits', 'strict'], 'the diagram options')) {
    if (key === 'format') request.format = format(value, DIAGRAM_FORMATS, 'diagram')
    else if (key === 'report') r = reportInput(value)
    else if (key === 'limits') request.limits = limitsMember(value)
    else request.strict = boolean(value, 'strict')
  }
  const m = modelInput(model, request.limits)
  return unwrap(native.call('diagram', JSON.stringify(request), m, r), model)
}

/** Compiled rule packs and overlay, evaluated any number of times. */
class Engine {
  /** The native engine, for `native.call`. */
  #native

  /** @param {import('./index').EngineConfig} [config] */
  constructor(config) {
    const request = JSON.stringify(readOptions(config, ENGINE, 'the engine config'))
    this.#native = rethrow(() => native.engine(request))
  }

  evaluate(model, options) {
    const [request, m] = evaluation(model, options, EVALUATION)
    return unwrap(native.call('evaluate', request, m, undefined, undefined, this.#native), model)
  }

  async evaluateAsync(model, options) {
    const [request, m] = evaluation(model, options, EVALUATION)
    return unwrap(await native.callAsync('evaluate', request, m, undefined, undefined, this.#native), model)
  }

  evaluateMany(models, options) {
    return evaluateMany(models, options, [...EVALUATION, ...MANY], this.#native)
  }

  rules() {
    return unwrap(native.call('rules', '{}', undefined, undefined, undefined, this.#native))
  }
}

module.exports = {
  evaluate,
  evaluateAsync,
  evaluateMany: evaluateManyModels,
  validate,
  validateModel,
  rules,
  explainRule,
  lintRules,
  init,
  migrate,
  diff,
  exportReport,
  // `export` is a reserved word, but a legal property and export name:
  // `require('aimscheck').export(report, 'sarif')`, `import { export as toFormat } from 'aimscheck'`.
  export: exportReport,
  exportReportAsync,
  diagram,
  version: native.version,
  __napiBindingTarget: native.__napiBindingTarget,
  Engine,
  AimsCheckError,
  ModelError,
  RulePackError,
  LimitError,
  OptionsError,
  InternalError,
}

// Test hook, not part of the API (neither in index.d.ts nor in index.mjs, and not enumerable):
// `__panicForTests(mode, message?)` panics inside the addon, on the JS thread (`'sync'`, throws)
// or on the thread pool (`'async'`, rejects), to show that the panic reaches JS as an
// InternalError with code AIMS-E-INTERNAL.
Object.defineProperty(module.exports, '__panicForTests', {
  value: (mode, message) =>
    mode === 'async'
      ? native.__panicForTests(mode, message).then(unwrap)
      : rethrow(() => native.__panicForTests(mode, message)),
  enumerable: false,
})
