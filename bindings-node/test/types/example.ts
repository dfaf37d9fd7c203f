// A small typed program against index.d.ts, checked with `tsc --noEmit --strict -p test/types`
// (never run). Lines marked @ts-expect-error must stay type errors: they show the types are
// precise, not `any`.
import {
  evaluate,
  evaluateAsync,
  evaluateMany,
  validateModel,
  rules,
  exportReport,
  exportReportAsync,
  export as toFormat,
  diagram,
  explainRule,
  init,
  migrate,
  diff,
  version,
  Engine,
  AimsCheckError,
  ModelError,
  type Report,
  type RuleResult,
  type Finding,
  type ClauseRollup,
  type Aims,
  type Grade,
  type IndicatorResult,
  type ExceptionResult,
  type Summary,
  type Issue,
  type RuleInfo,
  type EvaluateOptions,
  type EngineConfig,
  type EvaluateManyOptions,
  type Status,
  type ExportFormat,
  type ExportOptions,
  type DiagramFormat,
  type Limits,
  type ValidateOptions,
  type SchemaVersion,
  type Supplier,
  type DataResource,
  type LifecycleRecords,
  type Model,
  type model as parts,
  type Migration,
  type ReportDiff,
  type RuleDiff,
  type Change,
  type ExplainOptions,
  LimitError,
} from 'aimscheck'

const model = { schema_version: '1.0', organization: { name: 'Acme', size_tier: 'startup' } }
const options: EvaluateOptions = { asOf: '2026-06-30', tier: 'startup' }

const report: Report = evaluate(model, options)
const verdict: 'conformant' | 'nonconformant' | 'inconclusive' = report.verdict
const summary: Summary = report.summary
const failing: RuleResult[] = report.rules.filter((r) => r.status === 'fail')
const pointers: string[] = failing.flatMap((r) => r.findings.map((f: Finding) => f.pointer))
const clause: ClauseRollup | undefined = report.clauses.find((c) => c.clause === '4.4')
const grade: string | undefined = clause?.grade
const statusOfProc01: Status | undefined = clause?.rules['AIMS-PROC-01']
const indicators: IndicatorResult[] = report.indicators
const exceptions: ExceptionResult[] = report.exceptions
const passCount: number = summary.by_status.pass
const critical = summary.by_severity.critical?.fail ?? 0
const aims: Aims = report.aims
const aimsGrade: Grade | undefined = aims.grade
const gradesNote: string = report.grades_note
const schemaVersion: SchemaVersion = report.model.schema_version
const supplier: Supplier = { id: 'sup-1', provides: 'model', ai_system_ids: ['sys-1'], assessed_on: '2026-02-01' }
const data: DataResource = { id: 'data-1', ai_system_ids: ['sys-1'], provenance: 'licensed corpus' }
const records: LifecycleRecords = { requirements_document_id: 'doc-req', event_log_evidence_ids: ['ev-log'] }
const model11 = { schema_version: '1.1', suppliers: [supplier], data_resources: [data] }
const report11: Report = evaluate(model11, options)

async function run(): Promise<void> {
  const fromText: Report = await evaluateAsync('{"schema_version": "1.0"}', { asOf: new Date() })
  const engine = new Engine({ overlay: { disable: ['AIMS-CI-02'], severity: { 'AIMS-DOC-04': 'high' } } })
  const again: Report = await engine.evaluateAsync(new Uint8Array([123, 125]), { asOf: '2026-06-30' })
  const listed: RuleInfo[] = engine.rules()
  const disabled: boolean = listed.some((r) => r.disabled === true)
  const config: EngineConfig = { rules: ['./my-pack'], defaultRules: false, overlay: './overlay.json' }
  new Engine(config)
  const manyOptions: EvaluateManyOptions = { asOf: '2026-06-30', jobs: 2, names: ['acme', 'text'] }
  const items: Array<Report | AimsCheckError> = await evaluateMany([model, '{"schema_version": "1.0"}'], manyOptions)
  const verdicts: string[] = items.map((i) => (i instanceof AimsCheckError ? i.code : i.verdict))
  const onEngine: Array<Report | AimsCheckError> = await engine.evaluateMany([new Uint8Array([123, 125])], { asOf: '2026-06-30' })
  // @ts-expect-error an Engine's evaluateMany takes no packs
  void engine.evaluateMany([model], { asOf: '2026-06-30', jobs: 1, overlay: './overlay.json' })
  // @ts-expect-error asOf is required
  void evaluateMany([model], { jobs: 2 })
  void fromText
  void verdicts
  void onEngine
  void again
  void disabled
}

try {
  evaluate('{not json', { asOf: '2026-06-30' })
} catch (e) {
  if (e instanceof ModelError) {
    const issues: Issue[] = e.errors
    const line: number | undefined = issues[0]?.line
    const code: string = e.code
    void line
    void code
  } else if (e instanceof AimsCheckError) {
    const kind: 'model' | 'rule_pack' | 'limit' | 'options' | 'export' | 'report' | 'io' | 'internal' = e.kind
    void kind
  }
}

const issues: Issue[] = validateModel(model)
const all: RuleInfo[] = rules()
const v: string = version

const formats: ExportFormat[] = ['sarif', 'oscal', 'junit', 'markdown', 'html', 'ciso-csv']
const exportOptions: ExportOptions = { model, modelUri: 'aims.json' }
const sarif: string = exportReport(report, 'sarif', exportOptions)
const csv: string = toFormat(JSON.stringify(report), 'ciso-csv')
const page: Promise<string> = exportReportAsync(report, 'html', { model: new Uint8Array([123, 125]) })
const mapForm: DiagramFormat = 'mermaid'
const map: string = diagram(model, { format: mapForm, report })
const dot: string = diagram('{"schema_version": "1.0"}')
// @ts-expect-error not an export format
exportReport(report, 'pdf')
// @ts-expect-error options are camelCase
exportReport(report, 'sarif', { model_uri: 'aims.json' })
// @ts-expect-error not a diagram format
diagram(model, { format: 'png' })

// @ts-expect-error asOf is required
evaluate(model, { tier: 'startup' })
// @ts-expect-error not a tier
evaluate(model, { asOf: '2026-06-30', tier: 'huge' })
// @ts-expect-error options are camelCase
evaluate(model, { asOf: '2026-06-30', as_of: '2026-06-30' })
// @ts-expect-error an Engine's evaluate takes no packs (they belong to the Engine)
new Engine().evaluate(model, { asOf: '2026-06-30', rules: ['x'] })
// @ts-expect-error not a status
const bad: Status = 'passed'
// @ts-expect-error a report field that does not exist
report.verdicts

const limits: Limits = { maxBytes: 1 << 20, maxDepth: 16, maxIssues: 10, maxArrayLen: 1000 }
const capped: Report = evaluate(model, { asOf: '2026-06-30', maxFindingsPerRule: 1, maxStepsPerRule: 1e6, limits })
const cut: boolean = capped.rules.some((r) => r.findings_truncated === true)
const checked: Issue[] = validateModel(model, { limits: { maxDepth: 8 } } satisfies ValidateOptions)
const bounded: Report = new Engine().evaluate(model, { asOf: '2026-06-30', limits: { maxArrayLen: 10 } })
const mapped: string = diagram(model, { limits })
const exported: string = exportReport(report, 'sarif', { model, limits })
try {
  evaluate(model, { asOf: '2026-06-30', limits: { maxDepth: 1 } })
} catch (e) {
  if (e instanceof LimitError) void e.errors
}
// @ts-expect-error limits are camelCase
evaluate(model, { asOf: '2026-06-30', limits: { max_depth: 3 } })
// @ts-expect-error a limit is a number
validateModel(model, { limits: { maxBytes: '10' } })
// @ts-expect-error format 2.0 names the AIMS's result `aims`; `overall` is gone
void report.overall
// @ts-expect-error the AIMS is no clause: it has no clause id
void report.aims.clause
// @ts-expect-error a supplier provides a model, data, a platform, a service or a component
const hardware: Supplier = { id: 'sup-2', provides: 'hardware' }
// @ts-expect-error the schema versions are 1.0 and 1.1
const v2: SchemaVersion = '2.0'
// @ts-expect-error findings_truncated is true when present, never false
const notCut: RuleResult['findings_truncated'] = false

void [verdict, pointers, grade, statusOfProc01, indicators, exceptions, passCount, critical, aims, aimsGrade, gradesNote]
void [issues, all, v, run, bad]
void [formats, sarif, csv, page, map, dot]
void [cut, checked, bounded, mapped, exported, notCut]
void [schemaVersion, records, report11, hardware, v2]

// A model built with the generated types (model.d.ts), its members checked as it is written;
// extension members (x_...) are admitted anywhere.
const owner: parts.Role = { id: 'role-owner', aims_duties: ['process_owner'], x_source: 'hr-db' }
const process: parts.Process = {
  id: 'proc-ra',
  clause_refs: ['6.1.2'],
  owner_role_id: owner.id,
  cadence: { every: 3, unit: 'month' },
  changed_on: '2026-05-04',
}
const typedModel: Model = { schema_version: '1.1', roles: [owner], processes: [process], x_exported_by: 'grc' }
const typedReport: Report = evaluate(typedModel, options)
const typedIssues: Issue[] = validateModel(typedModel)
// @ts-expect-error a misspelt member: owner_role_id
const misspelt: parts.Process = { id: 'proc-x', owner_roleid: 'role-owner' }
// @ts-expect-error not a process status
const running: parts.Process = { id: 'proc-y', status: 'running' }
// @ts-expect-error a model needs its schema_version
const noVersion: Model = { processes: [process] }
// @ts-expect-error a date is a YYYY-MM-DD string, not a Date
const dated: parts.Process = { id: 'proc-z', changed_on: new Date() }
void [typedReport, typedIssues, misspelt, running, noVersion, dated]
// The CLI's other commands.
const listedWithOverlay: RuleInfo[] = rules({ rules: './my-pack', defaultRules: false, overlay: { disable: ['X'] } })
const explainOptions: ExplainOptions = { rules: ['./my-pack'], defaultRules: true }
const explained: RuleInfo = explainRule('AIMS-PROC-01', explainOptions)
const starter: string = init({ tier: 'scaleup' })
const migration: Migration = migrate(model, { strict: true, limits: { maxBytes: 1 << 20 } })
const migratedText: string = migration.modelText
const compared: ReportDiff = diff(report, JSON.stringify(report))
const moved: RuleDiff[] = compared.rules.filter((r) => r.change === 'improved')
const change: Change | undefined = moved[0]?.change
const oldStatus: Status | null = compared.rules[0]?.old_status ?? null
const fixedCount: number = compared.summary.fixed
const strictMap: string = diagram(model, { strict: true })
// @ts-expect-error init needs a tier
init({})
// @ts-expect-error not a tier
init({ tier: 'huge' })
// @ts-expect-error explainRule takes no overlay (rules explain has none)
explainRule('AIMS-PROC-01', { overlay: {} })
// @ts-expect-error migrate's answer is camelCase
void migration.model_text
// @ts-expect-error diff takes two reports
diff(report)
void [listedWithOverlay, explained, starter, migratedText, change, oldStatus, fixedCount, strictMap]
