// A throwaway Redis for tests: Debian's redis-server on a free loopback port, no persistence, in a
// temporary directory; stopped (and removed) afterwards, also when the test process dies.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './postgres.ts'

export const REDIS_INSTALL = 'sudo apt-get install -y redis-server'

export function findRedisServer(): string | null {
  const candidates = [process.env.REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].filter((c): c is string => !!c)
  const found = candidates.find((c) => fs.existsSync(c))
  if (found) return found
  const which = spawnSync('which', ['redis-server'], { encoding: 'utf8' })
  return which.status === 0 ? which.stdout.trim() || null : null
}

export function warnRedisSkipped(suite: string): void {
  const line = '!'.repeat(78)
  console.warn(`\n${line}\n!! ${suite} SKIPPED: redis-server not found.\n!! Install it with: ${REDIS_INSTALL}\n${line}\n`)
}

export interface TestRedis {
  url: string
  port: number
  /** Kills the server (SIGKILL: subscribers lose what is published meanwhile) and starts it again on the same port. */
  restart(downMs?: number): Promise<void>
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL')
})

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    running.delete(child)
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

/** Starts redis-server on `port`; null if it did not come up (the port was taken). */
async function spawnOn(bin: string, port: number, dir: string): Promise<{ child: ChildProcess; output: () => string } | null> {
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let output = ''
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const up = await new Promise<boolean>((resolve) => {
    const deadline = Date.now() + 10_000
    child.once('exit', () => resolve(false))
    const probe = (): void => {
      const sock = net.connect(port, '127.0.0.1')
      sock.once('connect', () => {
        sock.write('PING\r\n')
        sock.once('data', (d) => {
          sock.destroy()
          resolve(d.toString().startsWith('+PONG'))
        })
      })
      sock.once('error', () => {
        sock.destroy()
        if (Date.now() > deadline) resolve(false)
        else setTimeout(probe, 50)
      })
    }
    probe()
  })
  if (up) return { child, output: () => output }
  await kill(child)
  return null
}

export async function startRedis(): Promise<TestRedis> {
  const bin = findRedisServer()
  if (!bin) throw new Error(`redis-server not found; install it with: ${REDIS_INSTALL}`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-redis-'))
  for (let attempt = 0; ; attempt++) {
    const port = await freePort()
    const started = await spawnOn(bin, port, dir)
    if (!started) {
      // Someone took the port between freePort() and the start: try another.
      if (attempt >= 2) throw new Error('redis-server did not start')
      continue
    }
    let child = started.child
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async restart(downMs = 300): Promise<void> {
        await kill(child)
        await new Promise((r) => setTimeout(r, downMs))
        const again = await spawnOn(bin, port, dir)
        if (!again) throw new Error(`redis-server did not start again on port ${port}`)
        child = again.child
      },
      async stop(): Promise<void> {
        await kill(child)
        fs.rmSync(dir, { recursive: true, force: true })
      },
    }
  }
}
