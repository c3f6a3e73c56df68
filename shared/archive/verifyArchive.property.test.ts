// Property: for a random recorded log and one random tampering, verify-archive names the first
// position at which the file stops being the log the server wrote.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { verifyChain, type ArchiveEvent } from '../protocol/eventLog.ts'
import { buildArchiveFile } from './archiveFile.ts'
import { recordSession } from '../../test/support/archive/session.ts'
import { firstDifference, tamper, type Tampering } from '../../test/support/archive/tamper.ts'
import { verifyArchive } from './verifyArchive.ts'

const logs = new Map<string, ArchiveEvent[]>()
function log(seed: number, updates: number, lock: boolean): ArchiveEvent[] {
  const key = `${seed}/${updates}/${lock}`
  let events = logs.get(key)
  if (!events) logs.set(key, (events = recordSession({ seed, updates, lock, chatEvery: 3, concurrency: 0.3 }).events))
  return events
}

/** A tampering of a log of n events that a hash chain can see (not a cut or an append at the very end). */
function tampering(n: number): fc.Arbitrary<Tampering> {
  const any = fc.nat({ max: n - 1 })
  const notLast = fc.nat({ max: n - 2 })
  return fc.oneof(
    any.map((at): Tampering => ({ kind: 'payload', at })),
    fc.tuple(any, fc.integer({ min: -100_000, max: 100_000 }).filter((d) => d !== 0)).map(([at, delta]): Tampering => ({ kind: 'ts', at, delta })),
    any.map((at): Tampering => ({ kind: 'actor', at })),
    any.map((at): Tampering => ({ kind: 'type', at })),
    fc.tuple(notLast, fc.boolean()).map(([at, renumber]): Tampering => ({ kind: 'drop', at, renumber })),
    fc.tuple(any, fc.boolean()).map(([at, renumber]): Tampering => ({ kind: 'insert', at, renumber })),
    fc.tuple(notLast, fc.boolean()).map(([at, renumber]): Tampering => ({ kind: 'swap', at, renumber })),
    fc.tuple(any, any).filter(([a, b]) => a !== b).map(([from, to]): Tampering => ({ kind: 'move', from, to })),
    fc.tuple(any, fc.option(any, { nil: null })).filter(([a, b]) => a !== b).map(([at, from]): Tampering => ({ kind: 'hash', at, from })),
    any.map((at): Tampering => ({ kind: 'prevHash', at })),
    fc.tuple(any, fc.integer({ min: 1, max: n + 5 })).filter(([at, to]) => to !== at + 1).map(([at, to]): Tampering => ({ kind: 'seq', at, to })),
    notLast.map((at): Tampering => ({ kind: 'rewrite', at })),
  )
}

const scenario = fc
  .record({ seed: fc.integer({ min: 1, max: 12 }), updates: fc.integer({ min: 2, max: 24 }), lock: fc.boolean() })
  .chain(({ seed, updates, lock }) => {
    const events = log(seed, updates, lock)
    return fc.record({ events: fc.constant(events), t: tampering(events.length) })
  })

describe('verify-archive property', () => {
  it('reports the tampered seq for any single tampering of any log', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ events, t }) => {
        const tampered = tamper(events, t)
        const expected = firstDifference(events, tampered)
        expect(expected).not.toBeNull()
        const archive = buildArchiveFile({ roomId: 'r', title: 'Restructuring of loan 2023-118', currency: 'CNY' }, tampered, 0)
        const r = await verifyArchive(JSON.stringify(archive))
        expect(r.valid).toBe(false)
        expect(r.first?.seq).toBe(expected)
        // The plain chain check agrees that something is wrong (but not always where).
        expect(verifyChain(tampered).ok).toBe(false)
      }),
      { numRuns: 400 },
    )
  }, 60_000)

  it('accepts every untampered log', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 24 }), fc.boolean(), async (seed, updates, lock) => {
        const events = log(seed, updates, lock)
        const r = await verifyArchive(buildArchiveFile({ roomId: 'r', title: 'Restructuring of loan 2023-118', currency: 'CNY' }, events, 0))
        expect(r.problems).toEqual([])
        expect(r.lastHash).toBe(events.at(-1)!.hash)
      }),
      { numRuns: 60 },
    )
  }, 60_000)
})
