// ES module entry of `aimscheck`: the CommonJS entry (index.js), re-exported.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const aimscheck = require('./index.js')

export const {
  evaluate,
  evaluateAsync,
  evaluateMany,
  validate,
  validateModel,
  rules,
  explainRule,
  lintRules,
  init,
  migrate,
  diff,
  exportReport,
  exportReportAsync,
  diagram,
  version,
  Engine,
  AimsCheckError,
  ModelError,
  RulePackError,
  LimitError,
  OptionsError,
  InternalError,
} = aimscheck
// `export` is a reserved word, so it cannot name a binding, but it is a legal export name:
// `import { export as toFormat } from 'aimscheck'`, or `aimscheck.export(...)` on the namespace.
export { exportReport as export }
export default aimscheck
