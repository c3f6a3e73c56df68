// Whether the operator key kept in DATA_DIR has signed in once: until then every start prints it again,
// so an operator who missed the first start's output still finds it.
import fs from 'node:fs'
import path from 'node:path'

export const USED_MARKER = 'operator.key.used'

export class OperatorKeyUse {
  private readonly marker: string
  private known: boolean

  constructor(dataDir: string) {
    this.marker = path.join(dataDir, USED_MARKER)
    this.known = fs.existsSync(this.marker)
  }

  get used(): boolean {
    return this.known
  }

  /** Called on every accepted key; writes the marker the first time only. */
  mark(): void {
    if (this.known) return
    this.known = true
    try {
      fs.writeFileSync(this.marker, `${new Date().toISOString()}\n`, { mode: 0o600 })
    } catch {
      // Not being able to write it only means the key is printed once more at the next start.
    }
  }
}
