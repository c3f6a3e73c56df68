// The cooling-off pause over the real transports: pause:call freezes the proposal (a write anyway is refused with
// 4403 `paused` and the client starts over) and the confirmations (`paused`), the chat stays open, room:state carries
// the pause, it lifts itself (PAUSE_MINUTE_MS shortens the minutes, for tests only), and the archive verifies.
import { describe, expect, it } from 'vitest'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import type { RoomState } from '../../shared/protocol/room.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { confirm, joinAs, settledHash, type Party } from '../helpers/negotiation.ts'
import { connectProvider, emitAck, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterEach } from '../helpers/teardown.ts'

const t = closeAfterEach()

/** A 2-minute pause lasts 2 × this many ms here. */
const MINUTE_MS = 400

async function setUp(options: Parameters<typeof startTestServer>[0] = {}): Promise<{ s: TestServer; room: CreateRoomResponse; b: Party; l: Party; o: Party }> {
  const s = t.track(await startTestServer({ pauseMinuteMs: MINUTE_MS, ...options }))
  const room = await s.createRoom()
  const [b, l, o] = await Promise.all([joinAs(s, room, 'borrower'), joinAs(s, room, 'lender'), joinAs(s, room, 'observer')])
  for (const p of [b, l, o]) t.track(p)
  return { s, room, b, l, o }
}

const lastState = (p: Party): RoomState => p.log.states.at(-1)!

describe('cooling-off pause', () => {
  it('freezes edits and confirmations for the other side, keeps the chat, shows the pause to all, and lifts itself', async () => {
    const { s, room, b, l, o } = await setUp()
    const ack = await emitAck(b.socket, 'pause:call', { minutes: 2, reason: 'I want to check with my wife' })
    expect(ack).toMatchObject({ ok: true, state: { pause: { byRole: 'borrower', reason: 'I want to check with my wife' }, pausesLeft: { borrower: 1, lender: 2 } } })
    for (const p of [l, o]) await waitFor(() => lastState(p).pause?.byRole === 'borrower', `${p.role} sees the pause`)
    expect(l.log.events.find((e) => e.type === 'paused')).toMatchObject({ actor: { role: 'borrower' }, params: { minutes: 2, reason: 'I want to check with my wife' } })
    const { endsAt, startedAt } = lastState(l).pause!
    expect(endsAt - startedAt).toBe(2 * MINUTE_MS)

    // The lender writes anyway (a client that ignores the UI): refused, closed with 4403 `paused`, never applied.
    l.provider.doc.getText('clauses').insert(0, 'written during the pause')
    await waitFor(() => l.provider.closes.length > 0, 'the lender’s Yjs connection is closed')
    expect(l.provider.closes[0]).toMatchObject({ code: CLOSE.forbiddenWrite, reason: expect.stringMatching(/^paused: /) })
    expect(b.provider.doc.getText('clauses').toString()).toBe('')
    const hash = lastState(b).currentHash
    expect(await confirm(b, hash, 'Zhang Wei')).toMatchObject({ ok: false, error: 'paused' })
    expect(await emitAck(l.socket, 'pause:call', { minutes: 2 })).toMatchObject({ ok: false, error: 'already_paused' })
    expect(await emitAck(l.socket, 'pause:end', {})).toMatchObject({ ok: false, error: 'forbidden' })

    expect(await emitAck(l.socket, 'chat:send', { clientId: 'p1', text: 'Of course, take your time.' })).toMatchObject({ ok: true })
    await waitFor(() => b.log.messages.some((m) => m.text === 'Of course, take your time.'), 'chat delivered during the pause')

    // It lifts itself: every screen hears it, and edits and confirmations work again.
    for (const p of [b, l, o]) await waitFor(() => lastState(p).pause === undefined, `${p.role} sees the pause end`, 5000)
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt)
    expect(o.log.events.find((e) => e.type === 'resumed')).toMatchObject({ actor: { role: 'system' }, params: { reason: 'expired', endsAt } })
    const fresh = t.track(connectProvider(s, room.roomId, invite(room, 'lender')))
    await fresh.synced
    fresh.doc.getText('clauses').insert(0, 'after the pause')
    await waitFor(() => b.provider.doc.getText('clauses').toString() === 'after the pause', 'the edit reaches the borrower')
    const after = await settledHash(b)
    expect(await confirm(b, after, 'Zhang Wei')).toMatchObject({ ok: true })

    const res = await fetch(`${s.url}/api/rooms/${room.roomId}/archive`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
    const text = await res.text()
    const report = await verifyArchive(text)
    expect(report).toMatchObject({ valid: true, kind: 'archive' })
    const types = (JSON.parse(text) as { events: { type: string }[] }).events.map((e) => e.type)
    expect(types.indexOf('paused')).toBeGreaterThan(0)
    expect(types.indexOf('resumed')).toBeGreaterThan(types.indexOf('paused'))
  })

  it('refuses bad payloads with invalid_payload, counts PAUSES_PER_PARTY, and ends early for its caller', async () => {
    const { b, l, o } = await setUp({ pausesPerParty: 1, pauseMinuteMs: 60_000 })
    for (const bad of [{ minutes: 1 }, { minutes: 31 }, { minutes: '5' }, {}, { minutes: 5, extra: 1 }, { minutes: 5, reason: 'x'.repeat(501) }]) {
      expect(await emitAck(b.socket, 'pause:call', bad), JSON.stringify(bad).slice(0, 40)).toMatchObject({ ok: false, error: 'invalid_payload' })
    }
    expect(await emitAck(o.socket, 'pause:call', { minutes: 30 })).toMatchObject({ ok: true, state: { pause: { byRole: 'observer' } } })
    expect(await emitAck(o.socket, 'pause:end', {})).toMatchObject({ ok: true })
    await waitFor(() => lastState(b).pause === undefined && b.log.events.some((e) => e.type === 'resumed'), 'the early end reaches the borrower')
    expect(b.log.events.find((e) => e.type === 'resumed')).toMatchObject({ actor: { role: 'observer' }, params: { reason: 'ended' } })
    expect(await emitAck(l.socket, 'pause:call', { minutes: 2 })).toMatchObject({ ok: true, state: { pausesLeft: { lender: 0, borrower: 1 } } })
    expect(await emitAck(l.socket, 'pause:end', {})).toMatchObject({ ok: true })
    expect(await emitAck(l.socket, 'pause:call', { minutes: 2 })).toMatchObject({ ok: false, error: 'pause_limit' })
  })

  it('a pause survives a server restart and still ends at its time', async () => {
    const { s, room, b } = await setUp({ pauseMinuteMs: 1000 })
    const ack = await emitAck(b.socket, 'pause:call', { minutes: 2 })
    const endsAt = (ack as unknown as { state: RoomState }).state.pause!.endsAt
    b.close()
    const s2 = t.track(await s.restart())
    const l = t.track(await joinAs(s2, room, 'lender'))
    expect(lastState(l).pause).toMatchObject({ byRole: 'borrower', endsAt })
    expect(await confirm(l, lastState(l).currentHash, 'Li Na')).toMatchObject({ ok: false, error: 'paused' })
    await waitFor(() => lastState(l).pause === undefined, 'the restored pause ends', 5000)
    expect(Date.now()).toBeGreaterThanOrEqual(endsAt)
    expect(await confirm(l, await settledHash(l), 'Li Na')).toMatchObject({ ok: true })
  })
})
