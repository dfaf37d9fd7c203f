/* eslint-disable */
// index.d.ts is written by `napi build` (npm run build): this hand-written header (the file
// dts-header.d.ts, named by "dtsHeaderFile" in package.json) comes first, with the types of
// the options, the report, the rule list, the issues, the Error classes and the functions and
// `Engine` class of index.js; then the declarations napi-rs generates from src/lib.rs (`version`;
// the rest of the addon is for index.js only and left out).
//
// The API is camelCase (options, Issue.ruleId). The report, the rule list and the diff keep the
// field names of the Rust report (`as_of`, `clause_refs`, ...): they are the report format, the
// same JSON `aimscheck check --format json` (`rules list`, `diff`) prints.

/** A size tier. */
export type Tier = 'startup' | 'scaleup' | 'enterprise'
/** `tier` (the rules of the tier) or `certification` (every startup and scaleup rule). */
export type Profile = 'tier' | 'certification'
/** Severity of a rule. */
export type Severity = 'low' | 'medium' | 'high' | 'critical'
/** Status a rule ends in. */
export type Status = 'pass' | 'fail' | 'insufficient_evidence' | 'not_applicable' | 'waived' | 'error'
/** Part of "establish, implement, maintain, continually improve and document" a rule evidences. */
export type Aspect = 'establish' | 'implement' | 'maintain' | 'improve' | 'document'
/** Result of a clause (or of the AIMS) in the roll-up, in GRC vocabulary. */
export type ClauseResult = 'compliant' | 'partially_compliant' | 'non_compliant' | 'not_applicable' | 'not_assessed'
/** Indicative nonconformity grade from the worst failing severity, decided with the result. */
export type Grade =
  | 'major_nonconformity'
  | 'minor_nonconformity'
  | 'observation_sensitive_point'
  | 'opportunity_for_improvement'
/** Overall verdict on the AIMS, over every rule. */
export type Verdict = 'conformant' | 'nonconformant' | 'inconclusive'
/** A violation, or missing evidence. */
export type FindingKind = 'violation' | 'missing_evidence'
/** What became of an exception of the model. */
export type ExceptionStatus = 'applied' | 'unused' | 'expired' | 'unapproved' | 'unknown_rule'
/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** The model schema versions: 1.1 adds only optional members to 1.0. */
export type SchemaVersion = '1.0' | '1.1'

/** What a supplier provides (model 1.1). */
export type SupplierProvides = 'model' | 'data' | 'platform' | 'service' | 'component'

// The model's parts, one interface per object of core/schema/model.schema.json, generated into
// model.d.ts by scripts/gen-model-types.py: `Model` (the document) here, every part under
// `model` (`model.Process`, `model.Role`, ...); `Supplier`, `DataResource` and
// `LifecycleRecords` (its `AiSystemRecords`) here too.
import type { AiSystemRecords, Model } from './model'
export type { DataResource, Model, Supplier } from './model'
export * as model from './model'

/** The lifecycle records of an AI system (model 1.1, `ai_systems[].records`; A.6.2). */
export type LifecycleRecords = AiSystemRecords

/**
 * An AIMS model with its members left open (see core/schema/model.schema.json); every
 * collection is optional. The model is checked against the schema when it loads; annotate the
 * model you build as `Model` (or its parts with the types of `model`) to have its members
 * checked as you write them.
 */
export interface AimsModel {
  /** `"1.0"` or `"1.1"` (a `SchemaVersion`). */
  schema_version: string
  [collection: string]: unknown
}

/**
 * A model: an object (converted with `JSON.stringify`), or JSON text as a string, a `Buffer`
 * or a `Uint8Array` (then errors carry the line and column of each issue). An object holding
 * a number JSON cannot hold (`Infinity`, `-Infinity`, `NaN`, which `JSON.stringify` would
 * write as `null`) is an `OptionsError` naming its JSON Pointer; one nested deeper than
 * `limits.maxDepth` is a `LimitError`, as the same model as text is.
 */
export type ModelInput = Model | AimsModel | string | Uint8Array

/**
 * Limits applied while loading a model, each a non-negative integer; those not given keep
 * the library's default. A model past `maxBytes`, `maxDepth` or `maxArrayLen` is a
 * `LimitError` (code `AIMS-E-LIMIT`).
 */
export interface Limits {
  /**
   * Largest accepted model, in bytes of its UTF-8 JSON text (default 268435456, 256 MiB); an
   * object model is measured by the text `JSON.stringify` makes of it.
   */
  maxBytes?: number
  /**
   * Deepest accepted nesting of arrays and objects, the root being level 1 (default 64; a model
   * nested 128 levels deep or more is refused whatever the limit, as the parser reads no deeper).
   */
  maxDepth?: number
  /** Most issues listed in one model error (default 1000); the others are left out. */
  maxIssues?: number
  /** Most items of any one array of the model (default 10000000). */
  maxArrayLen?: number
}

/** Options of one evaluation. */
export interface EvaluateOptions {
  /**
   * Evaluation date: a `YYYY-MM-DD` string, an ISO date-time string (its date part as
   * written) or a `Date` (its UTC date, as `toISOString()`). Required: the engine reads no clock.
   */
  asOf: Date | string
  /** Tier; default `organization.size_tier` of the model, else `startup`. */
  tier?: Tier
  /** Profile; default `tier`. */
  profile?: Profile
  /**
   * Findings kept per rule, a non-negative integer (default 1000); `findings_total` still
   * counts them all and `findings_truncated` is true on a rule whose list was cut.
   */
  maxFindingsPerRule?: number
  /**
   * Evaluation steps each rule (and indicator) may take, a non-negative integer (default
   * 1000000000); a rule that needs more ends with status `error` and `error.code`
   * `AIMS-E-BUDGET`, and the other rules still run.
   */
  maxStepsPerRule?: number
  /**
   * Evaluation steps the whole evaluation may take, every rule and indicator together, a
   * non-negative integer (default 10000000000); once spent, the rules not done end with status
   * `error` and `error.code` `AIMS-E-BUDGET`, the report's `stopped` says so, and the verdict
   * is at best `inconclusive`.
   */
  maxStepsTotal?: number
  /**
   * Seconds the evaluation may take (each model's, in a batch), a number above 0; default no
   * limit. It stops the evaluation as `maxStepsTotal` does; where it stops depends on the
   * machine.
   */
  timeout?: number
  /** Limits applied while loading the model. */
  limits?: Limits
  /**
   * Whether a member the model schema does not define (and that does not start with `x_`) is
   * an error (`AIMS-E-UNKNOWN-MEMBER`, a `ModelError`) rather than a warning in the report's
   * `warnings` (`AIMS-W-UNKNOWN-MEMBER`); default false.
   */
  strict?: boolean
}

/** Options of `evaluateMany`: those of one evaluation, for every model, and how to run them. */
export interface EvaluateManyOptions extends EvaluateOptions {
  /** Threads evaluating the models at once, a positive integer (default: one per core). */
  jobs?: number
  /**
   * The models' names, one per model (default `models/<index>`): every issue of a model's
   * error names it as its `file`.
   */
  names?: readonly string[]
}

/** Options of `validate` and `validateModel`. */
export interface ValidateOptions {
  /** Limits applied while loading the model. */
  limits?: Limits
  /** Whether a member the model schema does not define is an error rather than a warning. */
  strict?: boolean
}

/** What `validate` returns. */
export interface Validation {
  /** Whether the model loaded. */
  valid: boolean
  /** Its `schema_version`, when it is valid. */
  schemaVersion?: string
  /** Its digest (`sha256:…`), when it is valid. */
  digest?: string
  /** Every error, when it is not. */
  errors: Issue[]
  /**
   * Its warnings: each member the model schema does not define (code `AIMS-W-UNKNOWN-MEMBER`),
   * at its pointer, line and column, with the member it probably meant in `help`.
   */
  warnings: Issue[]
}

/** Rules to turn off and severities to change without editing a pack. */
export interface Overlay {
  /** Rule ids to disable (reported as `not_applicable`, reason "disabled by the overlay"). */
  disable?: string[]
  /** New severity per rule id. */
  severity?: { [ruleId: string]: Severity }
}

/** Which rules an engine compiles. */
export interface EngineConfig {
  /** Folder (or folders) of further rule packs, loaded beside the default one. */
  rules?: string | string[]
  /** Whether the embedded default pack `iso42001-4.4` is loaded (default true). */
  defaultRules?: boolean
  /** An overlay object, or the path of a JSON file holding one. */
  overlay?: Overlay | string
}

/** The engine that wrote a report. */
export interface EngineInfo {
  name: 'aimscheck'
  version: string
}

/** A rule pack evaluated. */
export interface PackInfo {
  id: string
  version: string
  /** `sha256:` and 64 hexadecimal digits. */
  digest: string
}

/** The model a report is about. */
export interface ModelInfo {
  /** `sha256:` digest of the model's canonical JSON. */
  digest: string
  schema_version: SchemaVersion
  /** `organization.name`, when the model has one. */
  organization?: string
}

/**
 * The AIMS as a whole, over every rule, in the roll-up vocabulary. Not clause 4.4's row:
 * that is its entry in `Report.clauses`.
 */
export interface Aims {
  result: ClauseResult
  /** Absent when no rule fails; indicative (see `Report.grades_note`). */
  grade?: Grade
}

/** Number of rules in each status. */
export interface StatusCounts {
  pass: number
  fail: number
  insufficient_evidence: number
  not_applicable: number
  waived: number
  error: number
}

/** Counts of rules and findings. */
export interface Summary {
  /** Rules evaluated. */
  rules: number
  /** Findings, before the per-rule limit. */
  findings: number
  by_status: StatusCounts
  /** Only the severities that occur. */
  by_severity: { [severity in Severity]?: StatusCounts }
  /** Only the aspects that occur. */
  by_aspect: { [aspect in Aspect]?: StatusCounts }
}

/** One clause or Annex A control of the roll-up. */
export interface ClauseRollup {
  /** `"4.4"`, `"A.6.2.5"`, ... */
  clause: string
  title: string
  result: ClauseResult
  /** Absent when no rule of the clause fails. */
  grade?: Grade
  /** CISO Assistant requirement-node URN. */
  urn: string
  /** The rules that reference the clause, with their status. */
  rules: { [ruleId: string]: Status }
}

/** One thing a rule found, located in the model. */
export interface Finding {
  kind: FindingKind
  /** JSON Pointer of the node in the model (`""` is the whole model). */
  pointer: string
  /** Id of the entity the pointer is in. */
  entity_id?: string
  message: string
  /** What the rule expected. */
  expected?: string
  /** The value found (any JSON, null included); a selection of more than 100 items holds its first 100. */
  actual?: JsonValue
  /** When `actual` was cut to its first 100 items: how many there were. */
  actual_total?: number
}

/** Why a rule could not be evaluated. */
export interface RuleError {
  /** e.g. `AIMS-E-EVAL`. */
  code: string
  message: string
}

/** An exception of the model that waived findings of a rule. */
export interface Waiver {
  exception_id: string
  justification: string
  approved_by: string
  approved_on: string
  expires_on: string
  /** JSON Pointer or entity id the exception is limited to. */
  target?: string
  findings_waived: number
}

/** The result of one rule. */
export interface RuleResult {
  /** e.g. `AIMS-PROC-01`. */
  id: string
  title: string
  /** Id of the pack the rule came from. */
  pack: string
  status: Status
  /** Severity, after any overlay. */
  severity: Severity
  aspect: Aspect
  clause_refs: string[]
  tiers: Tier[]
  /** Nodes or conditions examined. */
  checked: number
  /** Why the rule is not applicable, or what it lacked. */
  reason?: string
  /** In model order, at most `maxFindingsPerRule`. */
  findings: Finding[]
  /** Findings before the per-rule limit. */
  findings_total: number
  /** Present (and true) when the per-rule limit cut `findings`, shorter than `findings_total`. */
  findings_truncated?: true
  remediation: string
  /** Present when the status is `error`. */
  error?: RuleError
  /** Exceptions that waived findings of the rule. */
  waivers?: Waiver[]
}

/** An indicator computed from the model as of `as_of`. */
export interface IndicatorResult {
  id: string
  title: string
  /** `ratio`, `days`, `count`, `per_system`, `breakdown`, ... */
  unit: string
  /** How it is computed, in words. */
  method: string
  /** A number, a breakdown object, or null when the data it needs is missing. */
  value: JsonValue
  /** Why it could not be computed. */
  error?: string
}

/** One exception of the model and what became of it. */
export interface ExceptionResult {
  id: string
  rule_id: string
  target?: string
  status: ExceptionStatus
  /** `/exceptions/N`. */
  pointer: string
  message: string
}

/** The report: the same JSON as the Rust report (core/schema/report.schema.json). */
export interface Report {
  report_version: string
  engine: EngineInfo
  rule_packs: PackInfo[]
  model: ModelInfo
  /** Evaluation date used, `YYYY-MM-DD`. */
  as_of: string
  tier: Tier
  /** Where the tier came from. */
  tier_source: 'option' | 'model' | 'default'
  profile: Profile
  verdict: Verdict
  /** The AIMS's result over every rule (report format 2.0; 1.x had `overall`). */
  aims: Aims
  /** "Grades are indicative: a certification body grades nonconformities." */
  grades_note: string
  /**
   * Ids of the failing rules in the order to fix them: most severe first, then by the rule's
   * first clause (4.4 < 5.1 < 6.1.2 < 10.2), then by id.
   */
  fix_first: string[]
  summary: Summary
  /** Clauses in numeric order, then controls. */
  clauses: ClauseRollup[]
  /** Ordered by rule id. */
  rules: RuleResult[]
  indicators: IndicatorResult[]
  exceptions: ExceptionResult[]
  /** Rules disabled and severities changed; absent without an overlay. */
  overlay?: Overlay
  /** Members of the model the schema does not define; absent when there are none. */
  warnings?: ModelWarning[]
  /** Why the evaluation stopped before every rule was done; absent when it did not. */
  stopped?: Stopped
}

/** The limit of the whole evaluation that stopped it early (a report's `stopped`). */
export interface Stopped {
  /** The option whose limit ran out. */
  limit: 'max_steps_total' | 'timeout'
  /** What happened and what to do, in words. */
  message: string
}

/**
 * A warning of the model's load in a report: a member the model schema does not define
 * (`AIMS-W-UNKNOWN-MEMBER`), at its pointer (no line: the report is the same whatever form
 * the model came in; `validate` gives the line and column).
 */
export interface ModelWarning {
  code: string
  message: string
  pointer: string
  /** The member it probably meant, or the members defined there. */
  help?: string
}

/**
 * A report as `exportReport` and `diagram` take it: the object `evaluate` returned, or its JSON
 * text (what `aimscheck check --format json` prints) as a string, a `Buffer` or a `Uint8Array`.
 */
export type ReportInput = Report | string | Uint8Array

/** A format of `exportReport`: the formats of `aimscheck check --format` that are exports. */
export type ExportFormat = 'sarif' | 'oscal' | 'junit' | 'markdown' | 'html' | 'ciso-csv'

/** What `exportReport` may know beside the report. */
export interface ExportOptions {
  /**
   * The model the report is about: gives SARIF the line and column of each finding (when the
   * model is JSON text, a string or a `Buffer`) and the HTML page its process map.
   */
  model?: ModelInput
  /** How SARIF and OSCAL name the model file (default `model.json`), e.g. `examples/scaleup.json`. */
  modelUri?: string
  /** Limits applied while loading `model`. */
  limits?: Limits
}

/** A form of the process map: Graphviz DOT, a self-contained SVG picture or a Mermaid flowchart. */
export type DiagramFormat = 'dot' | 'svg' | 'mermaid'

/** Options of `diagram`. */
export interface DiagramOptions {
  /** Default `dot`. */
  format?: DiagramFormat
  /**
   * A report of the model: the processes with findings of failing rules are marked (the CLI
   * evaluates the model for it, with its `--as-of`, `--tier`, ...: the options of `evaluate`).
   */
  report?: ReportInput
  /** Limits applied while loading the model. */
  limits?: Limits
  /** Whether a member the model schema does not define is an error rather than a warning. */
  strict?: boolean
}

/** `exportReport` under the name of the issue's `export(report, "sarif")` (a reserved word, so import it renamed). */
export { exportReport as export }

/** A rule of a loaded pack, as `aimscheck rules list --format json` prints it. */
export interface RuleInfo {
  id: string
  title: string
  clause_refs: string[]
  aspect: Aspect
  /** Severity of a failure (as the engine's overlay sets it). */
  severity: Severity
  /** Tiers the rule is on for by default. */
  tiers: Tier[]
  rationale: string
  remediation: string
  pack: string
  /** What each tier's form checks, for rules with a lighter and a stricter form. */
  forms?: { [tier: string]: string }
  /** A model fragment (without `schema_version`) on which the rule passes. */
  example?: { as_of: string; model: { [key: string]: JsonValue } }
  /** Present (true) when the engine's overlay turns the rule off. */
  disabled?: true
}

/** Which packs `explainRule` looks the rule up in. */
export interface ExplainOptions {
  /** Folder (or folders) of further rule packs, loaded beside the default one. */
  rules?: string | string[]
  /** Whether the embedded default pack `iso42001-4.4` is loaded (default true). */
  defaultRules?: boolean
}

/** Which packs `lintRules` lints. */
export interface LintOptions {
  /** Folder (or folders) of rule packs to lint; none lints the embedded default pack. */
  rules?: string | string[]
}

/** A warning of `lintRules`: a selection whose cost is the product of two model collections. */
export interface LintWarning {
  /** `AIMS-W-NESTED-SCAN`. */
  code: string
  message: string
  /** JSON Pointer of the inner selection in its rule file. */
  pointer: string
  line?: number
  column?: number
  file?: string
  rule_id?: string
  /** How to rewrite it. */
  help?: string
}

/** What `lintRules` returns: the packs linted and their warnings. */
export interface LintAnswer {
  packs: Array<{ id: string; version: string; checks: number }>
  warnings: LintWarning[]
}

/** Options of `init`. */
export interface InitOptions {
  /** The size tier of the starter model: which processes it lists. */
  tier: Tier
}

/** Options of `migrate`. */
export interface MigrateOptions {
  /** Limits applied while loading the model. */
  limits?: Limits
  /** Whether a member the model schema does not define is an error rather than a warning. */
  strict?: boolean
}

/** What `migrate` returns. */
export interface Migration {
  /**
   * The model's text at schema 1.1, what `aimscheck migrate MODEL` writes: a model given as
   * JSON text keeps its layout; an object is written as JSON with two-space indents.
   */
  modelText: string
  /** False when the model already followed 1.1 (`modelText` is then the model as given). */
  changed: boolean
}

/**
 * How a rule's status moved between two reports: `improved` and `regressed` in the order
 * fail, error, insufficient evidence, the rest; `changed` between statuses equally good.
 */
export type Change = 'added' | 'removed' | 'improved' | 'regressed' | 'changed' | 'same'

/** One of the two reports a diff compares. */
export interface DiffSide {
  /** The report's file: in `aimscheck diff`'s output only. */
  file?: string
  as_of: string
  model_digest: string
  verdict: Verdict
}

/**
 * One rule of a diff: its two statuses (null where a report lacks the rule), and its findings
 * fixed (the old report's only), new (the new report's only) and unchanged.
 */
export interface RuleDiff {
  id: string
  old_status: Status | null
  new_status: Status | null
  change: Change
  fixed: Finding[]
  new: Finding[]
  unchanged: number
}

/** The totals of a diff. */
export interface DiffSummary {
  fixed: number
  new: number
  unchanged: number
  rules_improved: number
  rules_regressed: number
  rules_changed: number
  rules_added: number
  rules_removed: number
}

/** What `diff` returns: the JSON of `aimscheck diff OLD NEW --format json`. */
export interface ReportDiff {
  old: DiffSide
  new: DiffSide
  rules: RuleDiff[]
  summary: DiffSummary
}

/** Stable error and issue codes (the list may grow). */
export type ErrorCode =
  | 'AIMS-E-SYNTAX'
  | 'AIMS-E-EMPTY'
  | 'AIMS-E-SCHEMA'
  | 'AIMS-E-DATE'
  | 'AIMS-E-UNKNOWN-CLAUSE'
  | 'AIMS-E-UNKNOWN-CONTROL'
  | 'AIMS-E-DUPLICATE-ID'
  | 'AIMS-E-LIMIT'
  | 'AIMS-E-OPTIONS'
  | 'AIMS-E-MODEL'
  | 'AIMS-E-PACK-IO'
  | 'AIMS-E-PACK-SYNTAX'
  | 'AIMS-E-PACK-SCHEMA'
  | 'AIMS-E-PACK-OPERATOR'
  | 'AIMS-E-PACK-PATH'
  | 'AIMS-E-PACK-REGEX'
  | 'AIMS-E-PACK-FRAGMENT'
  | 'AIMS-E-PACK-CLAUSE'
  | 'AIMS-E-PACK-DUPLICATE'
  | 'AIMS-E-EXPORT'
  | 'AIMS-E-REPORT'
  | 'AIMS-E-IO'
  | 'AIMS-E-INTERNAL'
  | 'AIMS-E-UNKNOWN-MEMBER'
  | 'AIMS-W-UNKNOWN-MEMBER'
  | 'AIMS-E-UNKNOWN-RULE'
  | 'AIMS-E-MIGRATE'
  | (string & {})

/** One problem found in a model, a rule pack, an overlay or the options. */
export interface Issue {
  code: ErrorCode
  message: string
  /** JSON Pointer of the offending node (`""` is the document itself). */
  pointer: string
  /** 1-based line, when the input was text (a string or a Buffer, a pack or overlay file). */
  line?: number
  /** 1-based column, when the input was text. */
  column?: number
  /** File the issue is in (rule packs, overlay files). */
  file?: string
  /** Rule the issue is in (rule packs, overlays). */
  ruleId?: string
  /** What to do about it, e.g. the member a misspelt one probably meant. */
  help?: string
}

/**
 * Family of an error, matching its class: `report` (a value given as a report is not one) and
 * `export` are `AimsCheckError`s of no subclass; `io` (a file that cannot be read: an overlay
 * file) is a `RulePackError`.
 */
export type ErrorKind = 'model' | 'rule_pack' | 'limit' | 'options' | 'export' | 'report' | 'io' | 'internal'

/**
 * Every error aimscheck throws (or rejects with). An error of no subclass has kind `report`
 * (`AIMS-E-REPORT`: a value given as a report is not one, or not about the model given with
 * it) or `export` (`AIMS-E-EXPORT`).
 */
export declare class AimsCheckError extends Error {
  /** Stable code: the code the issues share, or a family code (`AIMS-E-MODEL`, ...). */
  readonly code: ErrorCode
  readonly kind: ErrorKind
  /** Every issue, each with its own code and JSON Pointer (and line and column for text). */
  readonly errors: Issue[]
}
/** The model could not be loaded: not JSON, or not valid against the model schema. */
export declare class ModelError extends AimsCheckError {}
/** A rule pack or overlay could not be loaded or compiled (or its file read). */
export declare class RulePackError extends AimsCheckError {}
/** An input exceeds a limit (size, nesting depth). */
export declare class LimitError extends AimsCheckError {}
/** An option or argument is invalid (`AIMS-E-OPTIONS`). */
export declare class OptionsError extends AimsCheckError {}
/** A bug inside aimscheck, caught before it could crash the process (`AIMS-E-INTERNAL`). */
export declare class InternalError extends AimsCheckError {}

/** Evaluates `model` as of `options.asOf`; throws on a malformed model or invalid options. */
export declare function evaluate(model: ModelInput, options: EvaluateOptions & EngineConfig): Report

/**
 * Like `evaluate`, off the JS thread: loading, evaluating and writing the report run on the
 * libuv thread pool. Rejects (never throws) on a malformed model or invalid options.
 */
export declare function evaluateAsync(model: ModelInput, options: EvaluateOptions & EngineConfig): Promise<Report>

/**
 * Evaluates every model of `models` on one engine, in parallel on `options.jobs` threads, off
 * the JS thread (loading, evaluating and writing the reports run on the libuv thread pool and
 * its own threads). Resolves to one item per model, in order: the report `evaluate` returns
 * for it, or the error `evaluate` would throw for it (same class, `code`, `kind` and issues),
 * its issues naming the model as `file`. A bad model never rejects the call; invalid options or
 * packs reject it.
 */
export declare function evaluateMany(
  models: readonly ModelInput[],
  options: EvaluateManyOptions & EngineConfig,
): Promise<Array<Report | AimsCheckError>>

/**
 * Every issue of `model` (empty when it is valid): syntax, schema, dates, catalogue ids,
 * duplicate ids, limits; each with a code, a JSON Pointer and, for text, a line and column.
 * `options.limits` sets the limits the model is loaded within.
 */
export declare function validateModel(model: ModelInput, options?: ValidateOptions): Issue[]

/**
 * Whether `model` is valid, its schema version and digest when it is, its errors when it is
 * not, and its warnings (members the model schema does not define); `options.strict` makes
 * those errors.
 */
export declare function validate(model: ModelInput, options?: ValidateOptions): Validation

/**
 * The rules of the packs (the default pack unless `options.defaultRules` is false, and the
 * `options.rules` folders), with `options.overlay`'s severities and `disabled: true` on the rules
 * it turns off: what `aimscheck rules list --format json` prints. Throws a `RulePackError` for a
 * pack or overlay that does not load.
 */
export declare function rules(options?: EngineConfig): RuleInfo[]

/**
 * The rule `ruleId` of the packs, with its rationale, remediation and passing example: what
 * `aimscheck rules explain ID --format json` prints. An id matching no rule exactly is taken
 * case-insensitively when one rule matches so; an id of no loaded rule throws an
 * `OptionsError` with code `AIMS-E-UNKNOWN-RULE`, its message naming the nearest ids.
 */
export declare function explainRule(ruleId: string, options?: ExplainOptions): RuleInfo

/**
 * The pack folders `options.rules` (none: the embedded default pack) linted for loops whose
 * cost is the product of two model collections: what `aimscheck rules lint [DIR ...] --format
 * json` prints. A pack that does not load throws a `RulePackError`.
 */
export declare function lintRules(options?: LintOptions): LintAnswer

/**
 * The starter model of `options.tier` as JSON text of schema 1.1, to fill in: what
 * `aimscheck init --tier TIER` writes. Another tier throws an `OptionsError`.
 */
export declare function init(options: InitOptions): string

/**
 * `model` of schema 1.0 rewritten as 1.1, only its `schema_version` changing. Throws a
 * `ModelError` for a model that does not load (with `options.strict`, one holding a member the
 * model schema does not define) or of another schema version (`AIMS-E-MIGRATE`).
 */
export declare function migrate(model: ModelInput, options?: MigrateOptions): Migration

/**
 * Compares two reports (objects `evaluate` returned, or their JSON text): per rule, how its
 * status moved and the findings fixed, new and unchanged, with the totals: what
 * `aimscheck diff OLD NEW --format json` prints, without the file names. What is not a report
 * throws an `AimsCheckError` with code `AIMS-E-REPORT`.
 */
export declare function diff(oldReport: ReportInput, newReport: ReportInput): ReportDiff

/**
 * Renders `report` (what `evaluate` returned) in `format`: the text `aimscheck check
 * --format FORMAT` prints. `options.model`, the model the report is about, gives SARIF its
 * line numbers (when it is JSON text) and the HTML page its process map; `options.modelUri`
 * names the model file in SARIF and OSCAL locations; `options.limits` sets the limits the
 * model is loaded within.
 */
export declare function exportReport(report: ReportInput, format: ExportFormat, options?: ExportOptions): string

/**
 * Like `exportReport`, off the JS thread: reading the report, loading the model and
 * rendering run on the libuv thread pool. Rejects (never throws) on invalid arguments.
 */
export declare function exportReportAsync(report: ReportInput, format: ExportFormat, options?: ExportOptions): Promise<string>

/**
 * The process-interaction map of `model`: Graphviz DOT (the default), a self-contained SVG
 * picture or a Mermaid flowchart, as `aimscheck diagram --format`; with `options.report` (a
 * report of the model), the processes with findings of failing rules are marked;
 * `options.limits` sets the limits the model is loaded within.
 */
export declare function diagram(model: ModelInput, options?: DiagramOptions): string

/**
 * Compiled rule packs with an optional overlay, evaluated any number of times (from the JS
 * thread or, with `evaluateAsync`, from the thread pool, concurrently).
 */
export declare class Engine {
  /**
   * Compiles the default pack (unless `defaultRules` is false), the packs in `rules` and
   * the overlay; throws a `RulePackError` when one does not load.
   */
  constructor(config?: EngineConfig)
  /** Evaluates `model` as of `options.asOf`. */
  evaluate(model: ModelInput, options: EvaluateOptions): Report
  /** Like `evaluate`, on the libuv thread pool. */
  evaluateAsync(model: ModelInput, options: EvaluateOptions): Promise<Report>
  /** Like the top-level `evaluateMany`, on this engine. */
  evaluateMany(models: readonly ModelInput[], options: EvaluateManyOptions): Promise<Array<Report | AimsCheckError>>
  /**
   * The rules of the engine's packs, with the overlay's severities and `disabled: true`
   * for the rules it turns off.
   */
  rules(): RuleInfo[]
}

// ---- generated by napi-rs from src/lib.rs ----

/**
 * Which binding artifact the generated loader actually loaded: `'native'` for
 * a native addon, otherwise the `platformArchABI` of the WASI flavor. Every
 * flavor napi-rs can build is listed, because `NAPI_RS_NATIVE_LIBRARY_PATH`
 * can point the loader at a WASI artifact this package does not build itself.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

/** Version of the engine (and of this package). */
export declare const version: string
