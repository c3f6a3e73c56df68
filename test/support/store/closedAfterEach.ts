// The store suites' lifecycle: every store a test opens is closed after it (call inside a describe).
import { afterEach } from 'vitest'
import type { Store } from '../../../server/store/Store.ts'

export function closedAfterEach<S extends Store, A extends unknown[]>(open: (...args: A) => Promise<S>): (...args: A) => Promise<S> {
  const stores: S[] = []
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close()
  })
  return async (...args: A) => {
    const s = await open(...args)
    stores.push(s)
    return s
  }
}
