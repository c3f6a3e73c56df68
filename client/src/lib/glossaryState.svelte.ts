// The one glossary dialog of the page: a term link opens it at its entry, and closing it gives focus back.
import type { GlossaryId } from './glossaryTerms.ts'

export const glossary = $state<{ open: boolean; at: GlossaryId | null }>({ open: false, at: null })

let opener: HTMLElement | null = null

/** Opens the glossary (at `at`, when given); `from` gets focus back when it closes. */
export function openGlossary(at: GlossaryId | null, from: HTMLElement | null): void {
  opener = from
  glossary.at = at
  glossary.open = true
}

export function closeGlossary(): void {
  glossary.open = false
}

/** The element that opened the glossary (once): the dialog focuses it after closing. */
export function takeOpener(): HTMLElement | null {
  const back = opener
  opener = null
  return back && back.ownerDocument.contains(back) ? back : null
}
