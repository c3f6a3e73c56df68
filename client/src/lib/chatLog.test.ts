import { describe, expect, it } from 'vitest'
import type { ChatMessage, RoomEventType } from '../../../shared/protocol/index.ts'
import { ChatLog, collapseReconnects, type ChatItem } from './chatLog.ts'
import type { Reply } from './request.ts'

function fakeTransport() {
  const sent: { clientId: string; text: string }[] = []
  const t = {
    connected: false,
    reply: (p: { clientId: string; text: string }): Reply<'chat:send'> | Promise<Reply<'chat:send'>> => ({ ok: true, message: msg(p.clientId, p.text, sent.length), duplicate: false }),
    sent,
    isConnected: () => t.connected,
    send: async (p: { clientId: string; text: string }) => {
      sent.push(p)
      return t.reply(p)
    },
  }
  return t
}

function msg(clientId: string, text: string, seq: number): ChatMessage {
  return { kind: 'chat', id: `m${seq}`, seq, ts: 1000 + seq, role: 'borrower', name: 'Zhang Wei', text, clientId }
}

let n = 0
const ids = () => `c${++n}`
const flush = () => new Promise((r) => setTimeout(r, 0))

describe('ChatLog', () => {
  it('keeps a message written offline and sends it once connected', async () => {
    const t = fakeTransport()
    const log = new ChatLog(t, ids)
    const id = log.send('hello')!
    expect(t.sent).toEqual([])
    expect(log.items().at(-1)).toMatchObject({ kind: 'outgoing', outgoing: { status: 'waiting', text: 'hello' } })
    t.connected = true
    log.resendPending()
    await flush()
    expect(t.sent).toEqual([{ clientId: id, text: 'hello' }])
    expect(log.items()).toMatchObject([{ kind: 'message', mine: true, message: { text: 'hello', clientId: id } }])
  })

  it('resends after a dropped connection with the same clientId and never shows a message twice', async () => {
    const t = fakeTransport()
    t.connected = true
    let fail = true
    t.reply = (p) => {
      if (fail) return Promise.reject(new Error('timeout'))
      return { ok: true, message: msg(p.clientId, p.text, 7), duplicate: false }
    }
    const log = new ChatLog(t, ids)
    const id = log.send('again')!
    await flush()
    expect(log.items().at(-1)).toMatchObject({ kind: 'outgoing', outgoing: { status: 'waiting' } })
    fail = false
    log.disconnected()
    log.resendPending()
    await flush()
    expect(t.sent.map((s) => s.clientId)).toEqual([id, id])
    // The broadcast and a history replay of the same message change nothing.
    log.message(msg(id, 'again', 7))
    log.history([msg(id, 'again', 7)])
    expect(log.items().filter((i) => i.kind !== 'event')).toHaveLength(1)
  })

  it('marks a refused message as failed and lets it be retried or removed', async () => {
    const t = fakeTransport()
    t.connected = true
    t.reply = () => ({ ok: false, error: 'rate_limited', message: 'slow down' })
    const log = new ChatLog(t, ids)
    const id = log.send('x')!
    await flush()
    expect(log.items().at(-1)).toMatchObject({ outgoing: { status: 'failed', error: 'rate_limited' } })
    t.reply = (p) => ({ ok: true, message: msg(p.clientId, p.text, 3), duplicate: false })
    log.retry(id)
    await flush()
    expect(log.items()).toMatchObject([{ kind: 'message' }])
    const other = log.send('y')!
    log.discard(other)
    expect(log.pendingCount).toBe(0)
  })

  it('reads history with system lines and orders everything by time', () => {
    const log = new ChatLog(fakeTransport(), ids)
    log.history([
      msg('a', 'first', 2),
      { kind: 'event', seq: 1, ts: 1000, type: 'joined', actor: { role: 'lender', name: 'Li Na' }, params: {} },
      { kind: 'event', seq: 3, ts: 1003, type: 'confirmed', actor: { role: 'lender', name: 'Li Na' }, params: { hash: 'ab' } },
    ])
    // The same history again (a reconnect) adds nothing.
    log.history([{ kind: 'event', seq: 1, ts: 1000, type: 'joined', actor: { role: 'lender', name: 'Li Na' }, params: {} }])
    expect(log.items().map((i) => (i.kind === 'event' ? i.event.type : i.kind))).toEqual(['joined', 'message', 'confirmed'])
  })

  it('ignores blank messages', () => {
    const log = new ChatLog(fakeTransport(), ids)
    expect(log.send('   ')).toBeNull()
    expect(log.items()).toEqual([])
  })
})

describe('collapseReconnects', () => {
  const ev = (type: RoomEventType, ts: number, name = 'Li Na'): ChatItem => ({
    kind: 'event',
    key: `${type}${ts}`,
    event: { kind: 'event', seq: ts, type, ts, actor: { role: 'lender', name }, params: {} },
  })

  it('hides a leave followed soon by a join of the same person', () => {
    const out = collapseReconnects([ev('joined', 0), ev('left', 1000), ev('joined', 2000)])
    expect(out.map((i) => i.key)).toEqual(['joined0'])
  })

  it('keeps a real departure', () => {
    const out = collapseReconnects([ev('left', 0), ev('joined', 10 * 60_000)])
    expect(out).toHaveLength(2)
    expect(collapseReconnects([ev('left', 0), ev('joined', 10, 'Zhang Wei')])).toHaveLength(2)
  })
})

describe('ChatLog authorship', () => {
  it("marks only this screen's messages (or this person's, from history) as mine", async () => {
    const t = fakeTransport()
    t.connected = true
    const log = new ChatLog(t, ids)
    log.send('mine')
    await flush()
    log.message({ kind: 'chat', id: 'x1', seq: 50, ts: 5000, role: 'lender', name: 'Li Na', text: 'theirs', clientId: 'other-client' })
    const items = log.items((m) => m.role === 'borrower' && m.name === 'Someone else')
    expect(items.map((i) => (i.kind === 'message' ? [i.message.text, i.mine] : null))).toEqual([
      ['mine', true],
      ['theirs', false],
    ])
  })
})
