import { afterEach, describe, expect, it } from 'vitest'
import type { Role } from '../../shared/protocol/room.ts'
import type { TokenEnd } from './TokenWatch.ts'
import { TokenWatch } from './TokenWatch.ts'
import type { VerifiedToken } from './tokens.ts'

const T0 = 1_800_000_000_000

function token(room: string, role: Role, expiresInS: number, generation = 0): VerifiedToken {
  return { room, role, name: role, expiresAt: T0 + expiresInS * 1000, generation }
}

describe('TokenWatch', () => {
  const watches: TokenWatch[] = []
  afterEach(() => {
    for (const w of watches.splice(0)) w.close()
  })
  function make(): { watch: TokenWatch; clock: { now: number } } {
    const clock = { now: T0 }
    const watch = new TokenWatch({ now: () => clock.now, tickMs: 5 })
    watches.push(watch)
    return { watch, clock }
  }
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 30))

  it('ends each connection in the second its token expires, once, and forgets unwatched ones', async () => {
    const { watch, clock } = make()
    const ended: [string, TokenEnd][] = []
    watch.watch(token('a', 'borrower', 2), (why) => ended.push(['a-b', why]))
    watch.watch(token('a', 'lender', 5), (why) => ended.push(['a-l', why]))
    const unwatch = watch.watch(token('b', 'borrower', 2), (why) => ended.push(['b-b', why]))
    unwatch()
    expect(watch.size).toBe(2)
    clock.now = T0 + 1999
    await tick()
    expect(ended).toEqual([])
    clock.now = T0 + 2000
    await tick()
    expect(ended).toEqual([['a-b', { ok: false, error: 'token_expired', message: 'your invitation has expired; ask for a new link' }]])
    // A stalled loop that skips seconds still ends everything that came due meanwhile.
    clock.now = T0 + 60_000
    await tick()
    expect(ended.map(([k]) => k)).toEqual(['a-b', 'a-l'])
    expect(watch.size).toBe(0)
  })

  it('ends a token that expired between its check and the watch', async () => {
    const { watch, clock } = make()
    clock.now = T0 + 3000
    await tick()
    const ended: TokenEnd[] = []
    watch.watch(token('a', 'observer', 2), (why) => ended.push(why))
    await tick()
    expect(ended.map((e) => e.error)).toEqual(['token_expired'])
  })

  it('on a revocation ends exactly the connections of that room whose role generation is now higher', () => {
    const { watch } = make()
    const ended: string[] = []
    const add = (room: string, role: Role, gen: number): void => {
      watch.watch(token(room, role, 3600, gen), (why) => ended.push(`${room}/${role}/${gen}:${why.error}`))
    }
    add('a', 'borrower', 0)
    add('a', 'borrower', 1)
    add('a', 'lender', 0)
    add('a', 'observer', 0)
    add('b', 'borrower', 0)
    expect(watch.revoked('a', { borrower: 1, lender: 1, observer: 0 })).toBe(2)
    expect(ended).toEqual(['a/borrower/0:revoked', 'a/lender/0:revoked'])
    // Heard again (this process's own log line after its direct call): nothing more.
    expect(watch.revoked('a', { borrower: 1, lender: 1, observer: 0 })).toBe(0)
    expect(watch.size).toBe(3)
  })

  it('ends a connection that opens after a revocation with a token checked before it', async () => {
    const { watch } = make()
    watch.revoked('a', { borrower: 1, lender: 0, observer: 0 })
    const ended: string[] = []
    watch.watch(token('a', 'borrower', 3600, 0), (why) => ended.push(`old:${why.error}`))
    watch.watch(token('a', 'borrower', 3600, 1), (why) => ended.push(`new:${why.error}`))
    watch.watch(token('b', 'borrower', 3600, 0), (why) => ended.push(`other room:${why.error}`))
    await tick()
    expect(ended).toEqual(['old:revoked'])
    expect(watch.size).toBe(2)
  })

  it('costs little with thousands of connections', () => {
    const { watch } = make()
    const N = 20_000
    let t = performance.now()
    for (let i = 0; i < N; i++) watch.watch(token(`room-${i % 5000}`, 'borrower', 3600 + (i % 600)), () => {})
    const watchMs = performance.now() - t
    t = performance.now()
    const closed = watch.revoked('room-7', { borrower: 1, lender: 0, observer: 0 })
    const revokeMs = performance.now() - t
    expect(closed).toBe(4)
    console.log(`TokenWatch: ${N} connections watched in ${watchMs.toFixed(1)} ms; one room revoked in ${revokeMs.toFixed(3)} ms`)
    expect(watch.size).toBe(N - 4)
  })

  it('ends one observer\'s connections when it is revoked, however many observers the room has, and one opening late', async () => {
    const { watch } = make()
    const ended: string[] = []
    const obs = (id: string | undefined): VerifiedToken => ({ ...token('a', 'observer', 60), ...(id ? { observerId: id } : {}) })
    watch.watch(obs('o_1'), () => ended.push('o_1'))
    watch.watch(obs('o_1'), () => ended.push('o_1 again'))
    watch.watch(obs('o_2'), () => ended.push('o_2'))
    watch.watch(obs(undefined), () => ended.push('first'))
    watch.watch(token('a', 'borrower', 60), () => ended.push('borrower'))
    watch.watch({ ...token('b', 'observer', 60), observerId: 'o_1' }, () => ended.push('other room'))
    expect(watch.observerRevoked('a', 'o_1')).toBe(2)
    expect(ended).toEqual(['o_1', 'o_1 again'])
    // A token without an observer id is the room's first observer.
    expect(watch.observerRevoked('a', 'observer')).toBe(1)
    expect(ended).toEqual(['o_1', 'o_1 again', 'first'])
    watch.watch(obs('o_1'), () => ended.push('o_1 late'))
    await tick()
    expect(ended).toEqual(['o_1', 'o_1 again', 'first', 'o_1 late'])
    expect(watch.size).toBe(3)
  })
})
