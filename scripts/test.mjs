// `npm test`: type-check, then every suite in order. A suite that needs a system package that is
// missing is skipped loudly on a developer's machine and fails under CI=true.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const ci = process.env.CI === 'true' || process.env.CI === '1'
const bin = (name) => join(root, 'node_modules/.bin', name)
const totals = { passed: 0, failed: 0, skipped: 0 }
const problems = []

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`)
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (res.status !== 0) problems.push(`${label} failed (exit ${res.status ?? res.signal})`)
  return res.status === 0
}

function vitest(project, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nr-vitest-'))
  const out = join(dir, 'report.json')
  run(`${project} tests`, bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env)
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'))
    totals.passed += report.numPassedTests
    totals.failed += report.numFailedTests
    totals.skipped += report.numPendingTests + report.numTodoTests
    if (report.numTotalTests === 0) problems.push(`${project} tests ran no test`)
  } else {
    problems.push(`${project} tests wrote no report`)
  }
  rmSync(dir, { recursive: true, force: true })
}

/** A suite whose system dependency is missing: loud skip locally, failure in CI. */
function requireSystem(suite, paths, install) {
  const found = paths.find((p) => existsSync(p))
  if (found) return found
  const msg = `${suite} suite SKIPPED: none of ${paths.join(', ')} exists. Install it with: ${install}`
  if (ci) problems.push(`${suite}: required under CI but missing (${install})`)
  console.warn(`\n${'!'.repeat(78)}\n!! ${msg}\n${'!'.repeat(78)}\n`)
  return null
}

/** Where initdb may be: pg_config's bindir, then Debian's /usr/lib/postgresql/<version>/bin. */
function initdbCandidates() {
  const dirs = []
  const cfg = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' })
  if (cfg.status === 0) dirs.push(cfg.stdout.trim())
  try {
    dirs.push(...readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`))
  } catch {
    dirs.push('/usr/lib/postgresql/<version>/bin')
  }
  return [...new Set(dirs.map((d) => join(d, 'initdb')))]
}

run('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])
vitest('unit')
// The room store and components in happy-dom (no browser needed, so never skipped).
vitest('client')
vitest('integration')
vitest('reliability')
const initdb = requireSystem('postgres (PostgreSQL store)', initdbCandidates(), 'sudo apt-get install -y postgresql')
if (initdb) vitest('postgres', { PG_BINDIR: dirname(initdb) })
const redis = requireSystem('cluster (two processes on PostgreSQL + Redis)', ['/usr/bin/redis-server', '/usr/local/bin/redis-server'], 'sudo apt-get install -y redis-server')
if (initdb && redis) vitest('cluster', { PG_BINDIR: dirname(initdb), REDIS_SERVER: redis })
const chromium = requireSystem('e2e (browser)', ['/usr/bin/chromium'], 'sudo apt-get install -y chromium')
if (chromium) vitest('e2e', { CHROMIUM_PATH: chromium })

console.log('')
for (const p of problems) console.error(`FAILED: ${p}`)
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(problems.length ? 1 : 0)
