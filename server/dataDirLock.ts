// One server process per DATA_DIR: the SQLite writer keeps each room's chain head in memory, so a
// second writer on the same file would fork the hash chain. The guard is an OS lock, not a pid guess:
// SQLite's own exclusive lock on DATA_DIR/server.lock (a tiny database) is a POSIX fcntl lock, which
// the kernel drops the moment the holder dies — kill -9, a crash as PID 1 in a container, a zombie not
// yet reaped. The holder's pid/host/start go to server.lock.json beside it, only to name it when refusing.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'

export const LOCK_FILE = 'server.lock'
export const HOLDER_FILE = 'server.lock.json'
/** The pid file of the earlier scheme: never read (a stale one must not block), removed once the lock is ours. */
const LEGACY_PID_FILE = 'server.pid'

export interface LockHolder {
  pid: number
  host: string
  startedAt: string
}

/** fcntl locks belong to the process: a second open here would not conflict, so this process keeps its own list. */
const heldHere = new Set<string>()

function describe(holder: LockHolder | null): string {
  if (!holder) return 'pid unknown'
  return `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}`
}

/** Who holds the directory, as its holder wrote it (null while it is being written, or unreadable). */
export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    const h = JSON.parse(fs.readFileSync(path.join(dataDir, HOLDER_FILE), 'utf8')) as Partial<LockHolder>
    if (typeof h.pid !== 'number' || typeof h.host !== 'string' || typeof h.startedAt !== 'string') return null
    return { pid: h.pid, host: h.host, startedAt: h.startedAt }
  } catch {
    return null
  }
}

function inUse(dataDir: string, holder: LockHolder | null): Error {
  return new Error(`DATA_DIR ${dataDir} is in use by another server (${describe(holder)}); one process per DATA_DIR`)
}

/** Returns a release function; throws, naming the holder, if another server holds the directory. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(fs.realpathSync(dataDir), LOCK_FILE)
  if (heldHere.has(file)) throw inUse(dataDir, readLockHolder(dataDir))

  let opened: Database.Database | undefined
  try {
    opened = new Database(file, { timeout: 0 })
    // EXCLUSIVE locking mode keeps the lock after the transaction; the open write transaction takes it now.
    opened.pragma('locking_mode = EXCLUSIVE')
    opened.exec('BEGIN EXCLUSIVE')
  } catch (err) {
    opened?.close()
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw inUse(dataDir, readLockHolder(dataDir))
    throw new Error(`could not lock DATA_DIR ${dataDir}: ${(err as Error).message}`, { cause: err })
  }
  const db = opened
  heldHere.add(file)
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() }
  const holderFile = path.join(dataDir, HOLDER_FILE)
  try {
    fs.writeFileSync(holderFile, JSON.stringify(holder) + '\n')
    fs.rmSync(path.join(dataDir, LEGACY_PID_FILE), { force: true })
  } catch (err) {
    db.close()
    heldHere.delete(file)
    throw err
  }

  let released = false
  return () => {
    if (released) return
    released = true
    // The holder file goes first: once the lock is dropped, the next server writes its own.
    if (readLockHolder(dataDir)?.pid === process.pid) fs.rmSync(holderFile, { force: true })
    db.close()
    heldHere.delete(file)
  }
}
