// The webhook outbox, every store: rows written with (and only with) the events that cause them, in their
// transaction; claims that keep a room's events in order and give a row to one claimer at a time.
import { afterEach, describe, expect, it } from 'vitest'
import type { Actor } from '../../../shared/protocol/room.ts'
import type { WebhookBody } from '../../../server/webhooks/events.ts'
import type { NewEvent, NewRoom, Store } from '../../../server/store/Store.ts'

export interface OutboxHarness<S extends Store = Store> {
  /** A new store over a new, empty database, writing outbox rows or not. */
  open(webhooks: boolean): Promise<S>
}

const alice: Actor = { role: 'borrower', name: 'Alice' }
const bank: Actor = { role: 'lender', name: 'Bank' }
const server: Actor = { role: 'system', name: 'server' }
const operator: Actor = { role: 'system', name: 'operator' }
const room = (id: string): NewRoom => ({ id, title: `Room ${id}`, currency: 'CNY', meta: { invites: [{ role: 'borrower', name: 'Alice' }] } })
const create = (id: string): NewEvent[] => [
  { actor: operator, type: 'create', payload: { roomId: id, title: `Room ${id}`, currency: 'CNY', invites: [{ role: 'borrower', name: 'Alice' }, { role: 'lender', name: 'Bank' }] } },
  { actor: operator, type: 'update', payload: new Uint8Array([1, 2, 3]) },
]
const confirm = (actor: Actor, hash: string): NewEvent => ({
  actor,
  type: 'confirm',
  payload: { hash, fullName: `${actor.name} Full`, confirmedAt: 1, ip: '203.0.113.9', userAgent: 'SecretBrowser/1' },
})
const lock = (hash: string): NewEvent => ({
  actor: server,
  type: 'lock',
  payload: { phase: 'locked', contentHash: hash, agreementHash: 'agr', agreement: { confirmations: [{ role: 'borrower', name: 'Alice Full' }, { role: 'lender', name: 'Bank Full' }] } },
})
const LATER = (): number => Date.now() + 1_000

export function describeOutbox<S extends Store>(name: string, harness: OutboxHarness<S>): void {
  describe(name, () => {
    const stores: S[] = []
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close()
    })
    const open = async (webhooks = true): Promise<S> => {
      const s = await harness.open(webhooks)
      stores.push(s)
      return s
    }
    const bodies = async (s: S, roomId: string): Promise<WebhookBody[]> => {
      const out: WebhookBody[] = []
      // Claim and deliver one by one: the room's order, as a sender sees it.
      for (;;) {
        const [m] = (await s.outbox.claim('t', LATER(), 60_000, 10)).filter((x) => x.roomId === roomId)
        if (!m) return out
        out.push(JSON.parse(m.body) as WebhookBody)
        await s.outbox.settle(m.id, 't', { status: 'delivered', at: Date.now(), httpStatus: 200 })
      }
    }

    it('writes a row for each listed event only, with the phase after it and never an address or browser', async () => {
      const s = await open()
      await s.createRoom(room('a'), create('a'))
      await s.append('a', [{ actor: alice, type: 'update', payload: new Uint8Array([9]) }, { actor: alice, type: 'join', payload: {} }])
      await s.append('a', [{ actor: alice, type: 'chat', payload: { text: 'hi', clientId: 'c1' }, clientId: 'c1' }])
      await s.append('a', [confirm(alice, 'h1')])
      await s.append('a', [confirm(bank, 'h1'), lock('h1')], { phase: 'locked', agreementHash: 'agr' })
      await s.append('a', [{ actor: bank, type: 'rating', payload: { stars: 4, comment: 'private words' } }])
      await s.append('a', [{ actor: alice, type: 'amend', payload: { roomId: 'b' } }])
      const got = await bodies(s, 'a')
      expect(got.map((b) => [b.type, b.data.seq, b.data.phase])).toEqual([
        ['room.created', 1, 'negotiating'],
        ['room.confirmed', 6, 'negotiating'],
        ['room.confirmed', 7, 'negotiating'],
        ['room.locked', 8, 'locked'],
        ['room.rated', 9, 'locked'],
        ['room.amended', 10, 'locked'],
      ])
      const events = await s.readEvents('a')
      for (const b of got) {
        expect(b.data.roomId).toBe('a')
        expect(b.data.eventHash).toBe(events[b.data.seq - 1]!.hash)
        expect(b.timestamp).toBe(new Date(events[b.data.seq - 1]!.ts).toISOString())
      }
      expect(got[0]!.data).toMatchObject({ title: 'Room a', currency: 'CNY', parties: [{ role: 'borrower', name: 'Alice' }, { role: 'lender', name: 'Bank' }] })
      expect(got[1]!.data).toMatchObject({ role: 'borrower', name: 'Alice', fullName: 'Alice Full', contentHash: 'h1' })
      expect(got[3]!.data).toMatchObject({ contentHash: 'h1', agreementHash: 'agr', parties: [{ role: 'borrower', name: 'Alice Full' }, { role: 'lender', name: 'Bank Full' }] })
      expect(got[4]!.data).toMatchObject({ role: 'lender', stars: 4 })
      expect(got[5]!.data).toMatchObject({ amendmentRoomId: 'b' })
      const text = JSON.stringify(got)
      for (const secret of ['203.0.113.9', 'SecretBrowser', 'private words']) expect(text).not.toContain(secret)
    })

    it('writes nothing for a refused append (same transaction), and nothing at all with webhooks off', async () => {
      const s = await open()
      await s.createRoom(room('a'), create('a'))
      await s.append('a', [confirm(alice, 'h'), lock('h')], { phase: 'locked' })
      await expect(s.append('a', [confirm(bank, 'h'), lock('h')], { phase: 'locked' })).rejects.toThrow(/already locked/)
      expect((await s.outbox.list(undefined, 100)).map((d) => d.seq).sort()).toEqual([1, 3, 4])

      const off = await open(false)
      await off.createRoom(room('a'), create('a'))
      await off.append('a', [confirm(alice, 'h'), lock('h')], { phase: 'locked' })
      expect(await off.outbox.list(undefined, 100)).toEqual([])
    })

    it("claims a room's earliest pending row only, one claimer at a time, until it is delivered or parked", async () => {
      const s = await open()
      for (const id of ['a', 'b']) {
        await s.createRoom(room(id), create(id))
        await s.append(id, [confirm(alice, 'h')])
      }
      await s.append('a', [confirm(bank, 'h')])
      const first = await s.outbox.claim('w1', LATER(), 60_000, 10)
      expect(first.map((m) => [m.roomId, m.seq, m.attempts]).sort()).toEqual([
        ['a', 1, 1],
        ['b', 1, 1],
      ])
      // Held by w1: nothing for w2, not even the rooms' later rows.
      expect(await s.outbox.claim('w2', LATER(), 60_000, 10)).toEqual([])
      const a1 = first.find((m) => m.roomId === 'a')!
      const b1 = first.find((m) => m.roomId === 'b')!
      await s.outbox.settle(a1.id, 'w1', { status: 'delivered', at: Date.now(), httpStatus: 204 })
      // b's first row backs off: it holds b's later rows back too.
      await s.outbox.settle(b1.id, 'w1', { status: 'retry', nextAt: Date.now() + 60_000, error: 'HTTP 500', httpStatus: 500 })
      const a3 = await s.outbox.claim('w2', LATER(), 60_000, 10)
      expect(a3.map((m) => [m.roomId, m.seq])).toEqual([['a', 3]])
      await s.outbox.settle(a3[0]!.id, 'w2', { status: 'delivered', at: Date.now(), httpStatus: 200 })
      // Parked: b's later rows go on.
      const later = await s.outbox.claim('w3', Date.now() + 120_000, 600_000, 10)
      expect(later.map((m) => [m.roomId, m.seq, m.attempts]).sort()).toEqual([
        ['a', 4, 1],
        ['b', 1, 2],
      ])
      await s.outbox.settle(b1.id, 'w3', { status: 'failed', error: 'HTTP 500', httpStatus: 500 })
      expect((await s.outbox.claim('w3', Date.now() + 120_000, 600_000, 10)).map((m) => [m.roomId, m.seq])).toEqual([['b', 3]])

      const failed = await s.outbox.list('failed', 10)
      expect(failed).toEqual([expect.objectContaining({ id: b1.id, status: 'failed', attempts: 2, lastError: 'HTTP 500', lastStatus: 500, nextAttemptAt: null })])
      expect((await s.outbox.list('delivered', 10)).map((d) => d.id).sort()).toEqual([a1.id, a3[0]!.id].sort())
    })

    it("takes a row again once its claimer's lease ran out, and the late claimer cannot park it", async () => {
      const s = await open()
      await s.createRoom(room('a'), create('a'))
      const now = LATER()
      const [m] = await s.outbox.claim('dead', now, 1_000, 1)
      expect(await s.outbox.claim('live', now + 500, 1_000, 1)).toEqual([])
      const [again] = await s.outbox.claim('live', now + 1_000, 1_000, 1)
      expect(again).toMatchObject({ id: m!.id, attempts: 2 })
      await s.outbox.settle(m!.id, 'dead', { status: 'failed', error: 'late', httpStatus: null })
      expect((await s.outbox.list('pending', 10)).map((d) => d.id)).toEqual([m!.id])
      await s.outbox.settle(m!.id, 'live', { status: 'delivered', at: now, httpStatus: 200 })
      expect((await s.outbox.list('delivered', 10)).map((d) => d.id)).toEqual([m!.id])
    })

    it('redelivers a parked or delivered row with a fresh window, now', async () => {
      const s = await open()
      await s.createRoom(room('a'), create('a'))
      const [m] = await s.outbox.claim('w', LATER(), 60_000, 1)
      await s.outbox.settle(m!.id, 'w', { status: 'failed', error: 'HTTP 410', httpStatus: 410 })
      const at = Date.now() + 5_000
      expect(await s.outbox.redeliver(m!.id, at)).toMatchObject({ id: m!.id, status: 'pending', attempts: 0, nextAttemptAt: at })
      expect(await s.outbox.claim('w', at - 1, 60_000, 1)).toEqual([])
      expect(await s.outbox.claim('w', at, 60_000, 1)).toEqual([expect.objectContaining({ id: m!.id, attempts: 1, retryFrom: at })])
      expect(await s.outbox.redeliver('msg_nothing_1', at)).toBeNull()
    })
  })
}
