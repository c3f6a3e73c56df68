// One server process per DATA_DIR: the SQLite writer keeps each room's chain head in memory, so a
// second writer on the same file would fork the hash chain. A pid file guards it; a stale one
// (its process is gone, e.g. after kill -9) is taken over.
import fs from 'node:fs'
import path from 'node:path'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Returns a release function; throws if another live process holds the directory. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'server.pid')
  const token = `${process.pid}:${Math.random().toString(36).slice(2)}`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, token, { flag: 'wx' })
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === token) fs.unlinkSync(file)
        } catch {
          // already gone
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = Number(fs.readFileSync(file, 'utf8').split(':')[0])
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new Error(`DATA_DIR ${dataDir} is in use by another server (pid ${holder}); one process per DATA_DIR`)
      }
      fs.rmSync(file, { force: true })
    }
  }
  throw new Error(`could not lock DATA_DIR ${dataDir}`)
}
