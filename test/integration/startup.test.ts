// The start-up output of the real server process (server/main.ts): a busy port is one line and a non-zero
// exit, and the generated operator key is printed at every start until it has signed in once.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { closeAfterEach } from '../helpers/teardown.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const suite = closeAfterEach()

interface Run {
  stdout: string
  stderr: string
  code: number | null
}

/** Runs server/main.ts; once it is up, `whileUp` runs with its URL and the server is stopped. A failed start exits by itself. */
function runServer(env: Record<string, string>, whileUp: (url: string) => Promise<void> = async () => {}): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  suite.add(() => child.exitCode === null && child.kill('SIGKILL'))
  let stdout = ''
  let stderr = ''
  let up = false
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
    const url = /Negotiation room server: (\S+)/.exec(stdout)?.[1]
    if (!url || up) return
    up = true
    // The key lines follow the address line: give them a moment to arrive before stopping.
    void new Promise((r) => setTimeout(r, 300))
      .then(() => whileUp(url))
      .finally(() => child.kill('SIGTERM'))
  })
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ stdout, stderr, code })))
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-start-'))
}

async function busyPort(): Promise<number> {
  const holder = net.createServer()
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r))
  suite.add(() => new Promise((r) => holder.close(r)))
  return (holder.address() as net.AddressInfo).port
}

describe('server start-up', () => {
  it('says in one line that the port is busy, without a stack trace, and exits non-zero', async () => {
    const port = await busyPort()
    const run = await runServer({ PORT: String(port), DATA_DIR: tempDir() })
    expect(run.code).not.toBe(0)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`port ${port} is already in use`)
    expect(run.stderr).not.toMatch(/^\s+at /m)
  })

  it('prints the generated key at every start until it has signed in once', async () => {
    const dataDir = tempDir()
    const first = await runServer({ PORT: '0', DATA_DIR: dataDir })
    const key = /Operator key: (\S+)/.exec(first.stdout)?.[1]
    expect(key).toBeTruthy()
    expect(fs.readFileSync(path.join(dataDir, 'operator.key'), 'utf8').trim()).toBe(key)

    // Not used yet: shown again, and this time it signs in.
    let status = 0
    const second = await runServer({ PORT: '0', DATA_DIR: dataDir }, async (url) => {
      status = (await fetch(`${url}/api/rooms`, { headers: { Authorization: `Bearer ${key}` } })).status
    })
    expect(second.stdout).toContain(`Operator key: ${key}`)
    expect(status).toBe(200)
    expect(fs.existsSync(path.join(dataDir, 'operator.key.used'))).toBe(true)

    const third = await runServer({ PORT: '0', DATA_DIR: dataDir })
    expect(third.stdout).toMatch(/Negotiation room server: /)
    expect(third.stdout).not.toContain(key)
  }, 90_000)

  it('never prints a key given in OPERATOR_KEY', async () => {
    const given = 'k'.repeat(40)
    const run = await runServer({ PORT: '0', DATA_DIR: tempDir(), OPERATOR_KEY: given })
    expect(run.stdout).toMatch(/Negotiation room server: /)
    expect(run.stdout).not.toContain(given)
  }, 30_000)
})
