// The follower applies other nodes' events strictly in seq order, skips this node's own, ignores
// duplicates, and fills a gap from the store when pub/sub lost a message.
import { describe, expect, it } from 'vitest'
import type { StoredEvent } from '../store/Store.ts'
import { LogFollower } from './LogFollower.ts'

function ev(seq: number): StoredEvent {
  return { roomId: 'r', seq, ts: seq, actor: { role: 'lender', name: 'L' }, type: 'chat', payload: { n: seq }, prevHash: '0'.repeat(64), hash: '0'.repeat(64) }
}

function follower(stored: number, opts: { idle?: () => Promise<void>; gapMs?: number } = {}) {
  const applied: number[] = []
  const reads: [number, number][] = []
  const f = new LogFollower({
    applied: 0,
    apply: (e) => applied.push(e.seq),
    head: async () => stored,
    read: async (from, to) => {
      reads.push([from, to])
      return Array.from({ length: to - from + 1 }, (_, i) => ev(from + i))
    },
    idle: opts.idle ?? (async () => {}),
    gapMs: opts.gapMs ?? 10,
    onError: (err) => {
      throw err
    },
  })
  return { f, applied, reads }
}

describe('LogFollower', () => {
  it('applies in seq order whatever the arrival order, skipping own and duplicate events', () => {
    const { f, applied } = follower(6)
    f.received([ev(3)])
    expect(applied).toEqual([])
    f.committed([2])
    f.received([ev(1), ev(1)])
    expect(applied).toEqual([1, 3])
    expect(f.applied).toBe(3)
    f.received([ev(5), ev(3), ev(4)])
    f.committed([6])
    expect(applied).toEqual([1, 3, 4, 5])
    expect(f.applied).toBe(6)
    expect(f.hasGap).toBe(false)
    f.stop()
  })

  it('reads a gap that does not fill by itself from the store, once', async () => {
    const { f, applied, reads } = follower(5)
    f.received([ev(1), ev(4), ev(5)])
    expect(applied).toEqual([1])
    expect(f.hasGap).toBe(true)
    await new Promise((r) => setTimeout(r, 40))
    await f.settled()
    expect(applied).toEqual([1, 2, 3, 4, 5])
    expect(reads).toEqual([[2, 5]])
    f.stop()
  })

  it('does not apply as foreign an own event that committed while the store was read', async () => {
    let release: () => void = () => {}
    const idle = new Promise<void>((r) => (release = r))
    const { f, applied } = follower(3, { idle: () => idle, gapMs: 1000 })
    const done = f.catchUp()
    // Our write of seq 2 commits while the read is in flight: the read returns it too.
    await new Promise((r) => setTimeout(r, 5))
    f.committed([2])
    release()
    await done
    expect(applied).toEqual([1, 3])
    expect(f.applied).toBe(3)
    f.stop()
  })
})
