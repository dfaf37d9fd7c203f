'use strict'
// The types: test/types/example.ts (a small typed program) and, written here, one TypeScript
// file per example report (and the rule list) as object literals typed `Report` (`RuleInfo[]`),
// so that a field missing from the types, a wrong type or a required field the report lacks
// fails `tsc --noEmit --strict`.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { evaluate, rules, explainRule, diff } = require('..')
const { AS_OF, examples } = require('../support/helpers.js')

const TYPES = path.join(__dirname, 'types')
const GENERATED = path.join(TYPES, 'generated')

test('index.d.ts types real reports and the example program (tsc --noEmit --strict)', () => {
  fs.rmSync(GENERATED, { recursive: true, force: true })
  fs.mkdirSync(GENERATED, { recursive: true })
  for (const { name, file } of examples()) {
    for (const profile of ['tier', 'certification']) {
      const report = evaluate(fs.readFileSync(file), { asOf: AS_OF, profile })
      const base = `${path.basename(name, '.json')}-${profile}`
      fs.writeFileSync(
        path.join(GENERATED, `${base}.ts`),
        `import type { Report } from 'aimscheck'\nexport const report: Report = ${JSON.stringify(report, null, 2)}\n`,
      )
    }
  }
  const overlaid = evaluate('{"schema_version": "1.0", "exceptions": [{"id": "x", "rule_id": "AIMS-CI-02"}]}', {
    asOf: AS_OF,
    overlay: { disable: ['AIMS-CI-01'], severity: { 'AIMS-DOC-04': 'low' } },
  })
  fs.writeFileSync(
    path.join(GENERATED, 'overlay.ts'),
    `import type { Report } from 'aimscheck'\nexport const report: Report = ${JSON.stringify(overlaid, null, 2)}\n`,
  )
  // A rule whose findings were cut (findings_truncated) and rules out of steps (error).
  const gaps = fs.readFileSync(examples().find((e) => e.name === 'gaps.json').file)
  const limited = [
    evaluate(gaps, { asOf: AS_OF, maxFindingsPerRule: 1 }),
    evaluate(gaps, { asOf: AS_OF, maxStepsPerRule: 10 }),
  ]
  assert.ok(limited[0].rules.some((r) => r.findings_truncated === true))
  assert.ok(limited[1].rules.some((r) => r.status === 'error'))
  fs.writeFileSync(
    path.join(GENERATED, 'limited.ts'),
    `import type { Report } from 'aimscheck'\nexport const reports: Report[] = ${JSON.stringify(limited, null, 2)}\n`,
  )
  fs.writeFileSync(
    path.join(GENERATED, 'rules.ts'),
    `import type { RuleInfo } from 'aimscheck'\nexport const rules: RuleInfo[] = ${JSON.stringify(rules(), null, 2)}\n`,
  )
  // A rule the overlay turns off, one explained, and a diff with every kind of rule change.
  const turnedOff = rules({ overlay: { disable: ['AIMS-CI-02'], severity: { 'AIMS-DOC-04': 'high' } } })
  fs.writeFileSync(
    path.join(GENERATED, 'rules-overlaid.ts'),
    `import type { RuleInfo } from 'aimscheck'\nexport const rules: RuleInfo[] = ${JSON.stringify(turnedOff, null, 2)}\n` +
      `export const explained: RuleInfo = ${JSON.stringify(explainRule('AIMS-LC-01'), null, 2)}\n`,
  )
  const read = (n) => fs.readFileSync(examples().find((e) => e.name === `${n}.json`).file)
  const compared = [
    diff(evaluate(read('gaps'), { asOf: AS_OF }), evaluate(read('enterprise'), { asOf: AS_OF })),
    diff(evaluate(read('enterprise'), { asOf: AS_OF }), evaluate(read('gaps'), { asOf: AS_OF, profile: 'certification' })),
  ]
  fs.writeFileSync(
    path.join(GENERATED, 'diffs.ts'),
    `import type { ReportDiff } from 'aimscheck'\nexport const diffs: ReportDiff[] = ${JSON.stringify(compared, null, 2)}\n`,
  )
  const tsc = require.resolve('typescript/bin/tsc')
  const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '-p', TYPES], { encoding: 'utf8' })
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}\n${r.stderr}`)
})
