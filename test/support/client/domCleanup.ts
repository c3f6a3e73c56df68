// What a DOM test mounted is undone after each test, newest first, and the page and language start over, so
// one test's leftovers (an open room, a mounted panel, a switched language) never decide another's outcome.
import { afterEach } from 'vitest'
import { i18n } from '../../../client/src/lib/i18n.svelte.ts'

export interface Cleanup {
  push(...undo: (() => void)[]): void
}

/** Registers the afterEach in the calling test file; `push` queues what to undo. */
export function cleanupAfterEach(): Cleanup {
  let queue: (() => void)[] = []
  afterEach(() => {
    for (const undo of queue.reverse()) undo()
    queue = []
    document.body.innerHTML = ''
    i18n.lang = 'en'
  })
  return { push: (...undo) => void queue.push(...undo) }
}
