// What a person is typing into a field of the shared document, and when it is published. A figure is
// shared when it is meant: on Enter, on leaving the field, or after a pause in typing, and only when it
// reads and the rules accept it. Until then the other side sees that someone is editing (awareness),
// never the half-typed number, and the archive gets one change instead of one per keystroke.
// Free text stays live (written as typed). A new shared value replaces the text unless it already says it.
import { untrack } from 'svelte'

/** How long typing must stop before a readable draft is published on its own. */
export const PUBLISH_PAUSE_MS = 800

export type DraftRead<W> = { ok: true; value: W } | { ok: false; error: string }

export interface DraftRules<V, W extends V> {
  /** The shared value; read inside an effect, so a change to it is seen. */
  shared: () => V
  /** The text that shows a value. */
  show: (value: V) => string
  /** Whether the text already says this shared value. */
  says: (text: string, value: V) => boolean
  /** Reads the text into a value to write, or the message saying why it cannot be. */
  read: (text: string) => DraftRead<W>
  /** Writes a value; answers with an error message when it is refused. */
  commit: (value: W) => string | null
  /** For an empty text: removes the value and answers true, or answers false when the field needs one. */
  clear?: () => boolean
  /** Free text: every keystroke is written, as in the clauses. */
  live?: boolean
}

export class FieldDraft<V, W extends V> {
  text = $state('')
  /** The problem with the text itself or with publishing it; null when there is none. */
  error = $state<string | null>(null)
  private timer: ReturnType<typeof setTimeout> | undefined

  /** Create while a component initialises: it follows the shared value with an effect. */
  constructor(private readonly rules: DraftRules<V, W>) {
    this.text = untrack(() => rules.show(rules.shared()))
    $effect(() => {
      const v = rules.shared()
      untrack(() => {
        if (!rules.says(this.text, v)) this.reset()
      })
    })
    $effect(() => () => this.cancel())
  }

  /** The text no longer says the shared value: publishing it would change the shared document. */
  get changing(): boolean {
    return !this.rules.live && !this.rules.says(this.text, this.rules.shared())
  }

  /** A keystroke: an unreadable draft says why at once; a readable one waits for Enter, blur or a pause. */
  input(text: string): void {
    this.text = text
    this.cancel()
    if (this.rules.live) return this.publish()
    if (text.trim() !== '' || !this.rules.clear) {
      const r = this.rules.read(text)
      this.error = r.ok ? null : r.error
      if (!r.ok) return
    } else this.error = null
    // The person is still in the field: a pause shares the figure but leaves the text as they typed it.
    this.timer = setTimeout(() => this.publish(false), PUBLISH_PAUSE_MS)
  }

  /**
   * Shares the draft if it reads and is accepted; otherwise nothing is written and the field says why.
   * `tidy` rewrites the text as the shared value shows it (Enter, blur); a pause keeps what was typed.
   */
  publish(tidy = true): void {
    this.cancel()
    const text = this.text
    if (this.rules.says(text, this.rules.shared())) {
      this.error = null
      if (!this.rules.live && tidy) this.text = this.rules.show(this.rules.shared())
      return
    }
    if (text.trim() === '' && this.rules.clear?.()) {
      this.error = null
      return
    }
    const r = this.rules.read(text)
    if (!r.ok) {
      this.error = r.error
      return
    }
    this.error = this.rules.commit(r.value)
    if (this.error === null && !this.rules.live && tidy) this.text = this.rules.show(r.value)
  }

  /** Shows the shared value again and forgets the draft and its problem (Escape, or a new shared value). */
  reset(): void {
    this.cancel()
    this.text = this.rules.show(this.rules.shared())
    this.error = null
  }

  /** The keys a field answers: Enter publishes, Escape goes back to the shared value. */
  keydown(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault()
      this.publish()
    } else if (e.key === 'Escape') {
      e.preventDefault()
      this.reset()
    }
  }

  private cancel(): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }
}
