'use strict'
// The `aimscheck` package (CommonJS entry; index.mjs re-exports it for `import`).
//
// The native addon (src/lib.rs, loaded through binding.js, which `napi build` writes) does the
// work and throws plain `Error`s carrying `code`, `kind` and `errors`; this file turns them into
// the Error subclasses below, so `err instanceof ModelError` works and `err.code` is stable.
// Types: index.d.ts.

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

const CLASSES = {
  model: ModelError,
  rule_pack: RulePackError,
  limit: LimitError,
  options: OptionsError,
  internal: InternalError,
}

/** The Error subclass for an error the addon threw; anything else is returned as it is. */
function convert(error) {
  if (error instanceof AimsCheckError) return error
  if (
    error !== null &&
    typeof error === 'object' &&
    typeof error.code === 'string' &&
    error.code.startsWith('AIMS-E-') &&
    typeof error.kind === 'string'
  ) {
    const Class = CLASSES[error.kind] ?? AimsCheckError
    return new Class(error.message, { code: error.code, kind: error.kind, errors: error.errors })
  }
  return error
}

function call(fn) {
  try {
    return fn()
  } catch (error) {
    throw convert(error)
  }
}

async function settle(fn) {
  try {
    return await fn()
  } catch (error) {
    throw convert(error)
  }
}

/**
 * Evaluates `model` as of `options.asOf` with the default pack (plus `options.rules`, with
 * `options.overlay`) and returns the report.
 */
function evaluate(model, options) {
  return call(() => native.evaluate(model, options))
}

/** Like `evaluate`, off the JS thread; rejects with the same errors. */
function evaluateAsync(model, options) {
  return settle(() => native.evaluateAsync(model, options))
}

/** Every issue of `model`, loaded within `options.limits`; empty when it is valid. */
function validateModel(model, options) {
  return call(() => native.validateModel(model, options))
}

/** The rules of the default pack. */
function rules() {
  return call(() => native.rules())
}

/**
 * Renders `report` (what `evaluate` returned) as `format` (`sarif`, `oscal`, `junit`,
 * `markdown`, `html` or `ciso-csv`): the text `aimscheck check --format FORMAT` prints.
 * `options.model` (the model the report is about) gives SARIF its line numbers and the HTML
 * page its process map; `options.modelUri` names the model file in SARIF and OSCAL.
 */
function exportReport(report, format, options) {
  return call(() => native.exportReport(report, format, options))
}

/** Like `exportReport`, off the JS thread; rejects with the same errors. */
function exportReportAsync(report, format, options) {
  return settle(() => native.exportReportAsync(report, format, options))
}

/** The process-interaction map of `model` as DOT (default), SVG or Mermaid text. */
function diagram(model, options) {
  return call(() => native.diagram(model, options))
}

/** Compiled rule packs and overlay, evaluated any number of times. */
class Engine {
  #native

  /** @param {import('./index').EngineConfig} [config] */
  constructor(config) {
    this.#native = call(() => new native.Engine(config))
  }

  evaluate(model, options) {
    return call(() => this.#native.evaluate(model, options))
  }

  evaluateAsync(model, options) {
    return settle(() => this.#native.evaluateAsync(model, options))
  }

  rules() {
    return call(() => this.#native.rules())
  }
}

module.exports = {
  evaluate,
  evaluateAsync,
  validateModel,
  rules,
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
      ? settle(() => native.__panicForTests(mode, message))
      : call(() => native.__panicForTests(mode, message)),
  enumerable: false,
})
