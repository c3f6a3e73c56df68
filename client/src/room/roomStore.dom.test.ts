// The room store as the server's events arrive: links, room:state, chat (with a resend after a drop),
// the lock, refusals and the shared document. The transport is faked (test/support/client); the store,
// the RoomClient under it and the Yjs document are the real ones.
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Awareness } from 'y-protocols/awareness'
import type { ChatMessage, HistoryItem } from '../../../shared/protocol/index.ts'
import { openFakeRoom, roomState, type FakeRoom } from '../../../test/support/client/fakeRoom.ts'

let room: FakeRoom | null = null
afterEach(() => {
  room?.close()
  room = null
  vi.useRealTimers()
})

function open(...args: Parameters<typeof openFakeRoom>): FakeRoom {
  room = openFakeRoom(...args)
  return room
}

const chat = (over: Partial<ChatMessage>): ChatMessage => ({
  kind: 'chat',
  id: 'm1',
  seq: 3,
  ts: 1_700_000_000_000,
  role: 'lender',
  name: 'Li Na',
  text: 'hello',
  clientId: 'c-other',
  ...over,
})

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('RoomStore links', () => {
  it('is online only once both links are up, and says why it is not', () => {
    const { store, socket, ws } = open()
    expect(store.status).toBe('reconnecting')
    ws().open()
    expect(store.status).toBe('reconnecting') // the chat link is still down
    socket.serverConnect()
    expect(store.status).toBe('online')
    socket.drop()
    expect(store.status).toBe('reconnecting')
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false })
    try {
      window.dispatchEvent(new Event('offline'))
      expect(store.status).toBe('offline')
    } finally {
      delete (navigator as { onLine?: boolean }).onLine
      window.dispatchEvent(new Event('online'))
    }
    socket.serverConnect()
    expect(store.status).toBe('online')
  })

  it('stops for good when the server closes the document link with a code that forbids retrying', () => {
    const { store, ws, join } = open()
    join()
    ws().serverClose(4401, 'token_expired: your invitation has expired; ask for a new link')
    expect(store.status).toBe('stopped')
    expect(store.notice).toEqual({ kind: 'stopped', code: 4401, reason: 'token_expired: your invitation has expired; ask for a new link' })
    expect(store.canEdit('terms')).toBe(false)
  })
})

describe('RoomStore room:state', () => {
  it('takes room:state as the contract sends it and ignores a payload without its shape', () => {
    const { store, socket, join } = open({ me: { role: 'lender', name: 'Li Na' } })
    join()
    expect(store.phase).toBe('unknown')
    socket.push('room:state', roomState())
    expect(store.phase).toBe('negotiating')
    expect(store.baselineOpen).toBe(true)

    socket.push('room:state', roomState({ confirmations: [{ role: 'borrower', name: 'Zhang Wei', fullName: 'Zhang Wei', hash: 'h1', ts: 5 }] }))
    expect(store.confirmedRoles).toEqual(['borrower'])
    // A standing confirmation freezes the debt being restructured.
    expect(store.baselineOpen).toBe(false)

    socket.pushRaw('room:state', { phase: 'locked', confirmations: [], participants: [] }) // no currentHash
    expect(store.phase).toBe('negotiating')
    expect(store.state?.confirmations).toHaveLength(1)
  })

  it("names the other party's confirmation of the current content as the one an edit would clear", () => {
    const borrowerConfirmed = { role: 'borrower' as const, name: 'Zhang Wei', fullName: 'Zhang Wei', hash: 'h1', ts: 5 }
    const lender = open({ me: { role: 'lender', name: 'Li Na' } })
    lender.join()
    lender.socket.push('room:state', roomState({ confirmations: [borrowerConfirmed] }))
    expect(lender.store.othersConfirmation).toEqual(borrowerConfirmed)
    // A confirmation of an earlier version is already cleared: nothing is at stake.
    lender.socket.push('room:state', roomState({ currentHash: 'h2', confirmations: [borrowerConfirmed] }))
    expect(lender.store.othersConfirmation).toBeNull()
    lender.close()
    // One's own confirmation is not the other side's, and an observer clears nobody's by looking.
    for (const me of [{ role: 'borrower', name: 'Zhang Wei' }, { role: 'observer', name: 'Wang Fang' }] as const) {
      const r = open({ me })
      r.join()
      r.socket.push('room:state', roomState({ confirmations: [borrowerConfirmed] }))
      expect(r.store.othersConfirmation).toBeNull()
      r.close()
    }
  })

  it('locks: nothing can be edited any more and a write is not made', () => {
    const { store, client, socket, join } = open()
    join()
    socket.push('room:state', roomState())
    expect(store.canEdit('terms')).toBe(true)
    client.setTerms({ termMonths: 12 })
    expect(store.terms).toEqual({ termMonths: 12 })

    const both = (['borrower', 'lender'] as const).map((role, i) => ({ role, name: role, fullName: role, hash: 'h1', ts: 10 + i }))
    socket.push('room:state', roomState({ phase: 'locked', confirmations: both, agreementHash: 'a'.repeat(64), lockedAt: 12 }))
    expect(store.locked).toBe(true)
    expect(store.phase).toBe('locked')
    expect(store.canEdit('terms')).toBe(false)
    expect(store.canEdit('clauses')).toBe(false)
    client.setTerms({ termMonths: 24 })
    expect(store.terms).toEqual({ termMonths: 12 })
    expect(client.doc.getMap('terms').get('termMonths')).toBe(12)
  })

  it('says once that the room became read-only, and allows no edit while it is', () => {
    const { store, socket, join } = open()
    join()
    socket.push('room:state', roomState())
    expect(store.canEdit('terms')).toBe(true)
    socket.push('room:state', roomState({ readOnly: 'quota_exceeded: the room is over its size quota' }))
    expect(store.notice).toEqual({ kind: 'readOnly' })
    expect(store.canEdit('terms')).toBe(false)
    store.client.dismissNotice()
    socket.push('room:state', roomState({ readOnly: 'quota_exceeded: the room is over its size quota', currentHash: 'h2' }))
    expect(store.notice).toBeNull()
  })
})

describe('RoomStore chat', () => {
  it('resends a message caught by a drop with the same clientId, and shows it once', async () => {
    const { store, client, socket, join } = open()
    join()
    client.chat.send('  Could the rate come down a little?  ')
    const [first] = socket.requests('chat:send')
    expect(first?.payload.text).toBe('Could the rate come down a little?')
    expect(store.chat.map((i) => (i.kind === 'outgoing' ? i.outgoing.status : i.kind))).toEqual(['sending'])

    socket.drop()
    expect(store.chat.map((i) => (i.kind === 'outgoing' ? i.outgoing.status : i.kind))).toEqual(['waiting'])
    socket.serverConnect()
    const resent = socket.requests('chat:send')
    expect(resent).toHaveLength(2)
    expect(resent[1]?.payload).toEqual(first?.payload)

    const stored = chat({ id: 'm9', seq: 9, role: 'borrower', name: 'Zhang Wei', text: 'Could the rate come down a little?', clientId: first!.payload.clientId })
    resent[1]!.ack({ ok: true, message: stored, duplicate: false })
    await settle()
    socket.push('chat:message', stored) // the broadcast of the same message
    first!.timeout() // the lost first attempt gives up late
    await settle()
    expect(store.chat).toHaveLength(1)
    expect(store.chat[0]).toMatchObject({ kind: 'message', mine: true, message: { id: 'm9', text: 'Could the rate come down a little?' } })
  })

  it('keeps a refused message with the reason, and merges history with live lines without doubles', async () => {
    const { store, client, socket, join } = open()
    join()
    client.chat.send('x'.repeat(10))
    socket.requests('chat:send')[0]!.ack({ ok: false, error: 'rate_limited', message: 'too many messages' })
    await settle()
    expect(store.chat).toEqual([expect.objectContaining({ kind: 'outgoing', outgoing: expect.objectContaining({ status: 'failed', error: 'rate_limited' }) })])
    client.chat.discard((store.chat[0] as { outgoing: { clientId: string } }).outgoing.clientId)
    expect(store.chat).toEqual([])

    const joined: HistoryItem = { kind: 'event', seq: 1, ts: 1_700_000_000_000, type: 'joined', actor: { role: 'lender', name: 'Li Na' }, params: {} }
    const history: HistoryItem[] = [joined, chat({ id: 'm2', seq: 2 })]
    socket.push('chat:history', history)
    socket.push('chat:message', chat({ id: 'm2', seq: 2 }))
    socket.push('chat:history', history) // sent again on every join
    expect(store.chat.map((i) => i.key)).toEqual(['e:s1', 'm:m2'])
    expect(store.chat[1]).toMatchObject({ mine: false })
  })
})

describe('RoomStore errors', () => {
  it('turns a broken room, an ended session and a refused handshake into notices', () => {
    const { store, client, socket, join } = open()
    join()
    socket.push('room:error', { error: 'room_broken', message: 'reopening' })
    expect(store.notice).toEqual({ kind: 'broken' })
    client.dismissNotice()
    expect(store.notice).toBeNull()
    // A storage failure reloads the room too, but the links come back without a word.
    socket.push('room:error', { error: 'storage_failure', message: 'could not store' })
    expect(store.notice).toBeNull()

    socket.push('session:ended', { ok: false, error: 'token_expired', message: 'your invitation has expired; ask for a new link' })
    expect(store.notice).toEqual({ kind: 'auth', error: 'token_expired' })
    socket.drop()
    socket.refuse('revoked')
    expect(store.notice).toEqual({ kind: 'auth', error: 'revoked' })
    expect(store.status).toBe('reconnecting')
  })

  it('tries a handshake refused for another reason again, calmly, and not at all for a refused link', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { socket } = open()
    socket.refuse('rate_limited')
    expect(socket.connects).toBe(0)
    vi.advanceTimersByTime(499)
    expect(socket.connects).toBe(0)
    vi.advanceTimersByTime(1)
    expect(socket.connects).toBe(1)
    socket.refuse('rate_limited')
    vi.advanceTimersByTime(999)
    expect(socket.connects).toBe(1)
    vi.advanceTimersByTime(1)
    expect(socket.connects).toBe(2)
    socket.refuse('forbidden')
    vi.advanceTimersByTime(60_000)
    expect(socket.connects).toBe(2)
  })
})

describe('RoomStore document', () => {
  it('mirrors the synced document and computes the schedule from it', () => {
    const server = new Y.Doc()
    server.getMap('terms').set('principal', 1_200_000)
    server.getMap('terms').set('annualRatePct', '0')
    server.getMap('terms').set('termMonths', 12)
    server.getMap('terms').set('method', 'annuity')
    const { store, join } = open()
    expect(store.computed.ok).toBe(false)
    join(server)
    expect(store.synced).toBe(true)
    expect(store.terms).toEqual({ principal: 1_200_000, annualRatePct: '0', termMonths: 12, method: 'annuity' })
    expect(store.computed.ok && store.computed.result.regularInstalment).toBe(100_000)
    expect(store.localHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('says who changed a field remotely, not for our own typing, and starts over after a refused write', () => {
    const { store, client, ws, join, serverAwareness, serverUpdate } = open()
    join()
    const other = new Y.Doc()
    const theirs = new Awareness(other)
    theirs.setLocalState({ user: { name: 'Li Na', role: 'lender', color: '#0a7' }, editing: 'annualRatePct' })
    serverAwareness(theirs)
    expect(store.presence.map((p) => [p.name, p.self])).toEqual([
      ['Zhang Wei', true],
      ['Li Na', false],
    ])
    expect(store.editorsOf('annualRatePct').map((p) => p.name)).toEqual(['Li Na'])

    other.getMap('terms').set('annualRatePct', '4.2')
    serverUpdate(Y.encodeStateAsUpdate(other))
    expect(store.terms.annualRatePct).toBe('4.2')
    expect(store.remoteEdits.annualRatePct).toMatchObject({ name: 'Li Na', role: 'lender', color: '#0a7' })

    client.setTerms({ termMonths: 12 })
    expect(store.terms.termMonths).toBe(12)
    expect(store.remoteEdits.termMonths).toBeUndefined()

    expect(store.docVersion).toBe(1)
    ws().serverClose(4403, 'forbidden_write: profile is written by the borrower')
    expect(store.docVersion).toBe(2)
    expect(store.notice).toEqual({ kind: 'restarted', reason: 'forbidden_write: profile is written by the borrower' })
    expect(store.terms).toEqual({})
    expect(store.remoteEdits).toEqual({})
    theirs.destroy()
  })
})
