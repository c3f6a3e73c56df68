// A throwaway PostgreSQL server for tests: initdb into a temporary directory, pg_ctl start on a
// free port (TCP on 127.0.0.1 and a socket in that directory), one fresh database per test, and
// pg_ctl stop -m immediate + rm -rf afterwards. initdb refuses to run as root, so as root the
// server runs as the `postgres` user (runuser, or su).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

export const POSTGRES_INSTALL = 'sudo apt-get install -y postgresql'

/** The directory holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed. */
export function findPgBinDir(): string | null {
  const has = (dir: string): boolean => ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b)))
  const candidates: string[] = []
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR)
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
  } catch {
    // no pg_config on PATH
  }
  try {
    // Newest version first.
    const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`))
  } catch {
    // not the Debian layout
  }
  return candidates.find(has) ?? null
}

/** Prints, loudly, that a PostgreSQL suite is skipped and how to get it to run. */
export function warnSkipped(suite: string): void {
  const line = '!'.repeat(78)
  console.warn(`\n${line}\n!! ${suite} SKIPPED: PostgreSQL binaries (initdb, pg_ctl) not found.\n!! Install them with: ${POSTGRES_INSTALL}\n${line}\n`)
}

export const isCi = process.env.CI === 'true' || process.env.CI === '1'

export interface TestPostgres {
  host: string
  port: number
  /** Admin connection string (database `postgres`). */
  adminUrl: string
  /** Creates an empty database and returns its connection string. */
  createDatabase(name?: string): Promise<string>
  stop(): Promise<void>
}

export interface StartPostgresOptions {
  /** fsync each commit like production (default off: tests do not need power-loss durability). */
  fsync?: boolean
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/** Runs a PostgreSQL binary as a user initdb accepts (as root: `postgres`). */
function runPg(binDir: string, bin: string, args: string[]): void {
  const exe = path.join(binDir, bin)
  const root = process.getuid?.() === 0
  let res
  if (!root) {
    res = spawnSync(exe, args, { encoding: 'utf8' })
  } else if (fs.existsSync('/usr/sbin/runuser') || fs.existsSync('/sbin/runuser') || fs.existsSync('/usr/bin/runuser')) {
    res = spawnSync('runuser', ['-u', 'postgres', '--', exe, ...args], { encoding: 'utf8' })
  } else {
    const quoted = [exe, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
    res = spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { encoding: 'utf8' })
  }
  if (res.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (${res.status ?? res.signal}): ${res.stderr || res.stdout || res.error?.message}`)
  }
}

const running = new Set<() => void>()
// A test run that dies without its afterAll still leaves no server behind.
process.once('exit', () => {
  for (const stop of running) stop()
})

export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const binDir = findPgBinDir()
  if (!binDir) throw new Error(`PostgreSQL binaries not found; install them with: ${POSTGRES_INSTALL}`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-pg-'))
  const data = path.join(dir, 'data')
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    fs.chownSync(dir, uid, gid)
  }
  const stopSync = (): void => {
    try {
      runPg(binDir, 'pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w'])
    } catch {
      // never started, or already stopped
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    runPg(binDir, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
    let port = 0
    for (let attempt = 0; ; attempt++) {
      port = await freePort()
      const settings = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-k ${dir}`,
        `-c fsync=${options.fsync ? 'on' : 'off'}`,
        '-c max_connections=200',
      ].join(' ')
      try {
        runPg(binDir, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '30', '-o', settings, 'start'])
        break
      } catch (err) {
        // Someone took the port between freePort() and the start: try another.
        if (attempt >= 2) throw new Error(`${(err as Error).message}\n${fs.readFileSync(path.join(dir, 'log'), 'utf8').slice(-2000)}`)
      }
    }
    running.add(stopSync)
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
    let n = 0
    return {
      host: '127.0.0.1',
      port,
      adminUrl,
      async createDatabase(name = `t${process.pid}_${++n}`): Promise<string> {
        const admin = new pg.Client({ connectionString: adminUrl })
        await admin.connect()
        try {
          await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`)
        } finally {
          await admin.end()
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`
      },
      async stop(): Promise<void> {
        running.delete(stopSync)
        stopSync()
      },
    }
  } catch (err) {
    stopSync()
    throw err
  }
}
