// What a test opens (servers, providers, sockets, child processes) is closed again after it, last opened
// first, even when an assertion failed halfway: a left-over connection would keep the next test's server busy.
import { afterAll, afterEach } from 'vitest'

/** A raw ws socket (terminate: no closing handshake to wait for), anything with close(), or a stock provider (destroy). */
export type Closable = { terminate(): void } | { close(): unknown } | { destroy(): void }

export class Teardown {
  private readonly steps: (() => unknown)[] = []

  /** Runs `step` at teardown: for what track() cannot close, or must close under a name that changes (a restarted server). */
  add(step: () => unknown): void {
    this.steps.push(step)
  }

  /** Closes `x` at teardown; returns it. */
  track<T extends Closable>(x: T): T {
    const c: Closable = x
    this.steps.push(() => ('terminate' in c ? c.terminate() : 'close' in c ? c.close() : c.destroy()))
    return x
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step()
  }
}

/** A Teardown run after each test of the file (or describe block) that calls this. */
export function closeAfterEach(): Teardown {
  const t = new Teardown()
  afterEach(() => t.run())
  return t
}

/** A Teardown run once, after all tests of the file (or describe block) that calls this. */
export function closeAfterAll(): Teardown {
  const t = new Teardown()
  afterAll(() => t.run())
  return t
}
