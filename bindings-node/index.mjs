// ES module entry of `aimscheck`: the CommonJS entry (index.js), re-exported.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const aimscheck = require('./index.js')

export const {
  evaluate,
  evaluateAsync,
  validateModel,
  rules,
  version,
  Engine,
  AimsCheckError,
  ModelError,
  RulePackError,
  LimitError,
  OptionsError,
  InternalError,
} = aimscheck
export default aimscheck
