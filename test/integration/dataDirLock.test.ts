// The DATA_DIR lock is an OS lock the kernel drops when its holder dies: a killed server (even one left
// a zombie, even a pid-1 container's) never blocks a restart, and a live one is refused by name.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { childEnv, startChildServer } from '../helpers/childServer.ts'
import { startTestServer, waitFor } from '../helpers/server.ts'
import { closeAfterEach } from '../helpers/teardown.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const t = closeAfterEach()

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-lock-'))

/** Starts a server and returns how long the start took (ms). */
async function startTimed(dataDir: string): Promise<number> {
  const start = performance.now()
  const server = t.track(await startTestServer({}, dataDir))
  const ms = performance.now() - start
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  return ms
}

describe('DATA_DIR lock', () => {
  it('refuses a second server while another process holds the directory, naming its pid; restarts at once after kill -9', async () => {
    const dataDir = tempDir()
    const child = await startChildServer(childEnv(dataDir))
    t.add(() => child.kill())
    await expect(startTestServer({}, dataDir)).rejects.toThrow(new RegExp(`in use by another server \\(pid ${child.pid} on `))
    // The refused start touched nothing of the holder's.
    expect((await fetch(`${child.url}/healthz`)).status).toBe(200)

    await child.kill('SIGKILL')
    expect(await startTimed(dataDir)).toBeLessThan(2000)
  })

  it('a killed holder that is still a zombie (its parent has not reaped it) does not block a restart', async () => {
    const dataDir = tempDir()
    // `exec sleep` replaces the shell, so the server's parent never waits for it: killed, it stays a zombie.
    const parent = spawn('sh', ['-c', `"${process.execPath}" --import tsx test/helpers/serverProcess.ts & exec sleep 120`], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...childEnv(dataDir) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    t.add(() => parent.kill('SIGKILL'))
    const line = await new Promise<string>((resolve) => createInterface({ input: parent.stdout! }).on('line', (l) => l.startsWith('{') && resolve(l)))
    const { pid } = JSON.parse(line) as { pid: number }
    process.kill(pid, 'SIGKILL')
    const state = (): string => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0]!
    // Its other threads gone too: the whole process is dead, only its exit status is left.
    await waitFor(() => state() === 'Z' && fs.readdirSync(`/proc/${pid}/task`).length === 1, 'the killed server to be a zombie')
    expect(await startTimed(dataDir)).toBeLessThan(2000)
    expect(state()).toBe('Z')
  })

  it('a stale pid file of the old scheme (pid 1, always alive in a container) or a stale holder file does not block', async () => {
    const dataDir = tempDir()
    fs.writeFileSync(path.join(dataDir, 'server.pid'), '1:abc')
    fs.writeFileSync(path.join(dataDir, 'server.lock.json'), JSON.stringify({ pid: 1, host: os.hostname(), startedAt: new Date(0).toISOString() }))
    await startTimed(dataDir)
    expect(fs.existsSync(path.join(dataDir, 'server.pid'))).toBe(false)
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'server.lock.json'), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() })
  })

  it('refuses a second server in the same process, and takes the directory again once the first has closed', async () => {
    const dataDir = tempDir()
    const first = await startTestServer({}, dataDir)
    await expect(startTestServer({}, dataDir)).rejects.toThrow(new RegExp(`in use by another server \\(pid ${process.pid} `))
    await first.close()
    expect(fs.existsSync(path.join(dataDir, 'server.lock.json'))).toBe(false)
    await startTimed(dataDir)
  })
})
