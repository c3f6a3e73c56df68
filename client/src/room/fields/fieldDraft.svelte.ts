// What a person is typing into a field of the shared document, and when it is written: only readable
// values are written (the other side never sees half-typed text), and a new shared value replaces the
// text unless the text already says it.
import { untrack } from 'svelte'

export type DraftRead<W> = { ok: true; value: W } | { ok: false; error: string }

export interface DraftRules<V, W> {
  /** The shared value; read inside an effect, so a change to it is seen. */
  shared: () => V
  /** The text that shows a shared value. */
  show: (value: V) => string
  /** Whether the text already says this shared value. */
  says: (text: string, value: V) => boolean
  /** Reads the text into a value to write, or the message saying why it cannot be. */
  read: (text: string) => DraftRead<W>
  /** Writes a value; answers with an error message when it is refused. */
  commit: (value: W) => string | null
  /** For an empty text: removes the value and answers true, or answers false when the field needs one. */
  clear?: () => boolean
}

export class FieldDraft<V, W> {
  text = $state('')
  /** The problem with the text itself or with writing it; null when it was written. */
  error = $state<string | null>(null)

  /** Create while a component initialises: it follows the shared value with an effect. */
  constructor(private readonly rules: DraftRules<V, W>) {
    this.text = untrack(() => rules.show(rules.shared()))
    $effect(() => {
      const v = rules.shared()
      untrack(() => {
        if (!rules.says(this.text, v)) this.reset()
      })
    })
  }

  input(text: string): void {
    this.text = text
    if (text.trim() === '' && this.rules.clear?.()) {
      this.error = null
      return
    }
    const r = this.rules.read(text)
    this.error = r.ok ? this.rules.commit(r.value) : r.error
  }

  /** Shows the shared value again and forgets the text's problem. */
  reset(): void {
    this.text = this.rules.show(this.rules.shared())
    this.error = null
  }
}
