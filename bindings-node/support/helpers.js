'use strict'
// Shared by the tests in test/ (kept outside test/ so `node --test` does not run it as a test).

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const ROOT = path.resolve(__dirname, '..', '..')
const CASES = path.join(ROOT, 'tests', 'cases')
const EXAMPLES = path.join(ROOT, 'examples')
const AS_OF = '2026-06-30'

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

/** Every shared case: {name, dir, text, options, expected}, sorted by name. */
function cases() {
  return fs
    .readdirSync(CASES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(CASES, name)
      return {
        name,
        dir,
        text: fs.readFileSync(path.join(dir, 'model.json'), 'utf8'),
        options: readJson(path.join(dir, 'options.json')),
        expected: readJson(path.join(dir, 'expected.json')),
      }
    })
}

/** The example models: {name, file}. */
function examples() {
  return fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f, file: path.join(EXAMPLES, f) }))
}

/** Builds the CLI (debug) and returns the path of the binary. */
function cliBinary() {
  const built = spawnSync('cargo', ['build', '-q', '-p', 'aimscheck-cli'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (built.status !== 0) throw new Error(`cargo build -p aimscheck-cli failed (${built.status})`)
  const target = process.env.CARGO_TARGET_DIR
    ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(ROOT, 'target')
  const exe = path.join(target, 'debug', process.platform === 'win32' ? 'aimscheck.exe' : 'aimscheck')
  if (!fs.existsSync(exe)) throw new Error(`no CLI binary at ${exe}`)
  return exe
}

/** `aimscheck <args>`: {status, stdout, stderr}. */
function runCli(exe, args) {
  const r = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A fresh temporary folder, removed when the process exits. */
function tmpDir(prefix) {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), `aimscheck-node-${prefix}-`))
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Runs `fn`, which must throw; returns the error. */
function thrown(fn) {
  try {
    fn()
  } catch (e) {
    return e
  }
  assert.fail('expected a throw')
}

/** The promise must reject; returns the reason. */
async function rejected(promise) {
  try {
    await promise
  } catch (e) {
    return e
  }
  assert.fail('expected a rejection')
}

module.exports = {
  ROOT,
  CASES,
  EXAMPLES,
  AS_OF,
  readJson,
  cases,
  examples,
  cliBinary,
  runCli,
  tmpDir,
  thrown,
  rejected,
}
