// Attachment bytes on disk, content-addressed: DATA_DIR/attachments/<sha256>. The same bytes are
// stored once whichever room or person uploads them; which room may read a file is decided by the
// room's log ('attachment' events), never by knowing a hash.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const SHA256 = /^[0-9a-f]{64}$/

export function isSha256(s: string): boolean {
  return SHA256.test(s)
}

export class AttachmentFiles {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  }

  /** The file of a hash (the hash is checked: no path ever comes from a request). */
  pathOf(sha256: string): string {
    if (!isSha256(sha256)) throw new Error('not a sha256 hex digest')
    return path.join(this.dir, sha256)
  }

  /**
   * Stores the bytes under their hash, durably and atomically (temporary file, fsync, rename):
   * a reader never sees half a file. Already stored (same hash, same size): nothing is written.
   */
  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(sha256)
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) throw new Error('the bytes do not hash to the given sha256')
    const existing = await fs.promises.stat(target).catch(() => null)
    if (existing?.isFile() && existing.size === bytes.byteLength) return
    const tmp = path.join(this.dir, `.${sha256}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
    const fh = await fs.promises.open(tmp, 'wx', 0o600)
    try {
      await fh.writeFile(bytes)
      await fh.sync()
    } catch (err) {
      await fh.close().catch(() => {})
      await fs.promises.rm(tmp, { force: true })
      throw err
    }
    await fh.close()
    try {
      await fs.promises.rename(tmp, target)
    } catch (err) {
      await fs.promises.rm(tmp, { force: true })
      throw err
    }
    // The rename itself must survive a power loss before the log says the file exists.
    const dirHandle = await fs.promises.open(this.dir, 'r').catch(() => null)
    if (dirHandle) {
      await dirHandle.sync().catch(() => {})
      await dirHandle.close()
    }
  }

  /** Size of the stored file, or null when it is not there. */
  async size(sha256: string): Promise<number | null> {
    const st = await fs.promises.stat(this.pathOf(sha256)).catch(() => null)
    return st?.isFile() ? st.size : null
  }

  /** A read stream of the stored file (check `size` first). */
  open(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(sha256))
  }
}
