// socket.io: chat order and idempotency, history, room:state, payload validation, rate limit.
import { beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../shared/protocol/chat.ts'
import { connectProvider, connectSocket, connected, emitAck, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterAll, closeAfterEach } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
const clients = closeAfterEach()

async function join(token: string): Promise<ReturnType<typeof connectSocket>> {
  const c = connectSocket(server, token)
  clients.track(c.socket)
  await connected(c.socket)
  await waitFor(() => c.log.history.length > 0 && c.log.states.length > 0, 'history and state on join')
  return c
}

beforeAll(async () => {
  server = suite.track(await startTestServer({ socketRate: 10, socketBurst: 20, presenceLeaveGraceMs: 0, presenceJoinWindowMs: 0 }))
})

describe('chat', () => {
  it('delivers messages in order to everyone, each stored before its ack', async () => {
    const room = await server.createRoom({ names: { borrower: 'Bo', lender: 'Li' } })
    const b = await join(invite(room, 'borrower'))
    const l = await join(invite(room, 'lender'))
    const o = await join(invite(room, 'observer'))
    const acks = await Promise.all(
      Array.from({ length: 10 }, (_, i) => emitAck(b.socket, 'chat:send', { clientId: `b-${i}`, text: `message ${i}` })),
    )
    for (const ack of acks) {
      expect(ack.ok).toBe(true)
      const m = ack.message as ChatMessage
      // Acked means stored.
      const stored = (await server.store.readEvents(room.roomId)).find((e) => e.seq === m.seq)
      expect(stored).toMatchObject({ type: 'chat', actor: { role: 'borrower', name: 'Bo' } })
    }
    expect((await emitAck(o.socket, 'chat:send', { clientId: 'o-1', text: 'observers may chat' })).ok).toBe(true)
    for (const c of [b, l, o]) {
      await waitFor(() => c.log.messages.length === 11, 'all messages')
      expect(c.log.messages.slice(0, 10).map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i}`))
      const seqs = c.log.messages.map((m) => m.seq)
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs)
    }
    expect(l.log.messages[10]).toMatchObject({ kind: 'chat', role: 'observer', name: 'Observer', text: 'observers may chat', clientId: 'o-1' })
  })

  it('is idempotent per clientId: a resend returns the stored message and never duplicates', async () => {
    const room = await server.createRoom()
    const b = await join(invite(room, 'borrower'))
    const l = await join(invite(room, 'lender'))
    const [first, concurrent] = await Promise.all([
      emitAck(b.socket, 'chat:send', { clientId: 'same', text: 'hello' }),
      emitAck(b.socket, 'chat:send', { clientId: 'same', text: 'hello' }),
    ])
    const later = await emitAck(b.socket, 'chat:send', { clientId: 'same', text: 'hello again?' })
    expect(first).toMatchObject({ ok: true, duplicate: false })
    expect(concurrent).toMatchObject({ ok: true, duplicate: true })
    expect(later).toMatchObject({ ok: true, duplicate: true })
    expect(later.message).toEqual(first.message)
    // Even from another connection (a reconnect) of the same participant.
    b.socket.close()
    const b2 = await join(invite(room, 'borrower'))
    expect(await emitAck(b2.socket, 'chat:send', { clientId: 'same', text: 'hello' })).toMatchObject({ ok: true, duplicate: true })
    await new Promise((r) => setTimeout(r, 100))
    expect(l.log.messages.filter((m) => m.clientId === 'same')).toHaveLength(1)
    expect((await server.store.readEvents(room.roomId)).filter((e) => e.type === 'chat')).toHaveLength(1)
  })

  it('sends history (chat and system lines by seq) and room:state on join', async () => {
    const room = await server.createRoom()
    const b = await join(invite(room, 'borrower'))
    await emitAck(b.socket, 'chat:send', { clientId: 'h1', text: 'first' })
    await emitAck(b.socket, 'chat:send', { clientId: 'h2', text: 'second' })
    const l = await join(invite(room, 'lender'))
    const history = l.log.history[0]!
    expect(history.map((h) => (h.kind === 'chat' ? h.text : h.type))).toEqual(['joined', 'first', 'second'])
    const seqs = history.map((h) => h.seq)
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs)
    const state = l.log.states[0]!
    expect(state).toMatchObject({ phase: 'negotiating', confirmations: [] })
    expect(state.currentHash).toMatch(/^[0-9a-f]{64}$/)
    expect(state.participants).toEqual(
      expect.arrayContaining([
        { role: 'borrower', name: 'Borrower', online: true },
        { role: 'lender', name: 'Lender', online: true },
      ]),
    )
    // The borrower sees the lender join, as a system line and in room:state.
    await waitFor(() => b.log.events.some((e) => e.type === 'joined' && e.actor.role === 'lender'), 'joined line')
    l.socket.close()
    await waitFor(() => b.log.events.some((e) => e.type === 'left' && e.actor.role === 'lender'), 'left line')
    await waitFor(() => b.log.states.at(-1)!.participants.find((p) => p.role === 'lender')?.online === false, 'lender offline')
  })

  it('counts a Yjs connection as online and updates currentHash after edits', async () => {
    const room = await server.createRoom()
    const o = await join(invite(room, 'observer'))
    const p = clients.track(connectProvider(server, room.roomId, invite(room, 'lender')))
    await p.synced
    await waitFor(() => o.log.states.at(-1)!.participants.some((x) => x.role === 'lender' && x.online), 'lender online via yjs')
    const h0 = o.log.states.at(-1)!.currentHash
    p.doc.getMap('terms').set('termMonths', 48)
    await waitFor(() => o.log.states.at(-1)!.currentHash !== h0, 'hash changes')
    expect(o.log.states.at(-1)!.currentHash).toBe(server.registry.loaded(room.roomId)!.currentHash)
  })

  it('answers bad payloads with invalid_payload and nothing else happens; a missing ack does not crash', async () => {
    const room = await server.createRoom()
    const b = await join(invite(room, 'borrower'))
    const bad: unknown[] = [
      { clientId: 'x' },
      { clientId: 'x', text: '' },
      { clientId: 'x', text: '   ' },
      { clientId: 'x', text: 'a'.repeat(4001) },
      { clientId: 'x', text: 'hi', extra: true },
      { clientId: 5, text: 'hi' },
      { clientId: 'has space', text: 'hi' },
      'just a string',
      null,
    ]
    for (const payload of bad) {
      const ack = await emitAck(b.socket, 'chat:send', payload)
      expect(ack, JSON.stringify(payload)).toMatchObject({ ok: false, error: 'invalid_payload' })
      expect(typeof ack.message).toBe('string')
    }
    expect(await emitAck(b.socket, 'chat:send', { clientId: 'x4000', text: 'b'.repeat(4000) })).toMatchObject({ ok: true })
    // No ack callback at all, then a normal message: the connection is still fine.
    ;(b.socket.emit as (e: string, p: unknown) => void)('chat:send', { clientId: 'no-ack', text: 'fire and forget' })
    ;(b.socket.emit as (e: string, p: unknown) => void)('chat:send', { bogus: true })
    expect(await emitAck(b.socket, 'chat:send', { clientId: 'after', text: 'still here' })).toMatchObject({ ok: true })
    expect((await server.store.readEvents(room.roomId)).filter((e) => e.type === 'chat').map((e) => (e.payload as { clientId: string }).clientId)).toEqual([
      'x4000',
      'no-ack',
      'after',
    ])
  })

  it('rate-limits a connection with rate_limited', async () => {
    const room = await server.createRoom()
    const b = await join(invite(room, 'borrower'))
    const acks = await Promise.all(Array.from({ length: 40 }, (_, i) => emitAck(b.socket, 'chat:send', { clientId: `r${i}`, text: 'spam' })))
    const limited = acks.filter((a) => a.error === 'rate_limited').length
    expect(limited).toBeGreaterThan(10)
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(20)
  })

  it('has confirm and confirm:withdraw registered with validation', async () => {
    const room = await server.createRoom()
    const b = await join(invite(room, 'borrower'))
    expect(await emitAck(b.socket, 'confirm', { hash: 'nope', fullName: 'Bo' })).toMatchObject({ ok: false, error: 'invalid_payload' })
    expect(await emitAck(b.socket, 'confirm:withdraw', { extra: 1 })).toMatchObject({ ok: false, error: 'invalid_payload' })
    const r = await emitAck(b.socket, 'confirm', { hash: 'a'.repeat(64), fullName: 'Bo Li' })
    expect(r.ok).toBe(false)
  })
})
