// A remote change shows for a short while: true from the edit's timestamp until FLASH_MS later.
import type { RemoteEdit } from '../../lib/roomClient.ts'

export const FLASH_MS = 2600

export class Flash {
  on = $state(false)
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastAt = 0

  /** Call from an $effect with the field's latest remote edit. */
  update(edit: RemoteEdit | null | undefined): void {
    if (!edit || edit.at === this.lastAt) return
    this.lastAt = edit.at
    const left = edit.at + FLASH_MS - Date.now()
    if (left <= 0) return
    this.on = false
    // Restart the CSS animation on consecutive edits.
    queueMicrotask(() => {
      this.on = true
    })
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.on = false
    }, left)
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
  }
}
