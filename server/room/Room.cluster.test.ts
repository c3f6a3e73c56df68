// Two nodes' rooms over one store, talking through an in-process hub instead of Redis: the cluster
// logic of the room (seq order, gap catch-up, the lock decided by the database) without sockets.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import type { ChatMessage } from '../../shared/protocol/chat.ts'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import type { RoomState } from '../../shared/protocol/room.ts'
import { removeTemporaryKeys, temporaryServerKey } from '../../test/support/agreement/sampleAgreement.ts'
import type { LocalHub } from '../../test/support/cluster/LocalFanout.ts'
import { borrower, lender, LocalCluster, syncedClient } from '../../test/support/room/roomFixtures.ts'
import type { SqliteStore } from '../store/SqliteStore.ts'
import { toArchiveEvent } from '../store/Store.ts'
import type { Room } from './Room.ts'
import type { Lease, RoomRegistry } from './RoomRegistry.ts'

const key = temporaryServerKey()
afterAll(removeTemporaryKeys)

interface Node {
  registry: RoomRegistry
  lease: Lease
  room: Room
  chat: ChatMessage[]
  states: RoomState[]
}

const waitFor = async (cond: () => boolean, what: string): Promise<void> => {
  const end = Date.now() + 3000
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** The update a client in sync with `room` sends for `fn`. */
const edit = (room: Room, fn: (doc: Y.Doc) => void): Uint8Array => syncedClient(room).edit(fn)

describe('Room across nodes (one store, an in-process fan-out)', () => {
  let cluster: LocalCluster
  let store: SqliteStore
  let hub: LocalHub
  let roomId: string
  let nodes: Node[]

  async function node(id: string): Promise<Node> {
    const chat: ChatMessage[] = []
    const states: RoomState[] = []
    const { registry, lease } = await cluster.join(id, { chat: (_r, m) => chat.push(m), state: (_r, s) => states.push(s), watching: () => true }, { serverKey: key })
    return { registry, lease, room: lease.room, chat, states }
  }

  beforeEach(async () => {
    cluster = await LocalCluster.start()
    ;({ store, hub, roomId } = cluster)
    nodes = [await node('a'), await node('b')]
  })
  afterEach(() => cluster.close())

  it('each node applies the other’s commits in seq order: same document, same chat, once each', async () => {
    const [a, b] = nodes as [Node, Node]
    for (let i = 0; i < 20; i++) {
      const on = i % 2 === 0 ? a : b
      const r = on.room.applyUpdate(on === a ? borrower : lender, edit(on.room, (d) => d.getText('clauses').insert(0, `${i} `)))
      expect(r.ok).toBe(true)
      await on.room.sendChat(on === a ? borrower : lender, { clientId: `m${i}`, text: `line ${i}` })
    }
    await waitFor(() => a.chat.length === 20 && b.chat.length === 20, 'all chat on both nodes')
    await waitFor(() => a.room.doc.getText('clauses').toString() === b.room.doc.getText('clauses').toString(), 'same document')
    expect(a.chat.map((m) => m.seq)).toEqual(b.chat.map((m) => m.seq))
    expect(a.room.currentHash).toBe(b.room.currentHash)
    const log = (await store.readEvents(roomId)).map(toArchiveEvent)
    expect(await verifyChain(log)).toMatchObject({ ok: true })
  })

  it('fills what pub/sub lost from the store, before applying anything after it', async () => {
    const [a, b] = nodes as [Node, Node]
    let lost = 0
    hub.drop = (m) => m.kind === 'events' && m.events.some((e) => e.type === 'chat') && lost++ < 3
    for (let i = 0; i < 5; i++) await a.room.sendChat(borrower, { clientId: `x${i}`, text: `msg ${i}` })
    await waitFor(() => b.chat.length === 5, 'the lost messages read from the store')
    expect(b.chat.map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `msg ${i}`))
    expect(b.room.history().filter((h) => h.kind === 'chat')).toHaveLength(5)
  })

  it('a confirmation, its withdrawal and its clearing by an edit elsewhere are seen on both nodes', async () => {
    const [a, b] = nodes as [Node, Node]
    const hash = contentHashOfDoc(a.room.doc)
    expect(await a.room.confirm(borrower, { hash, fullName: 'Bo Zhang' })).toMatchObject({ ok: true })
    await waitFor(() => b.room.confirmations.length === 1, 'confirmation on b')
    expect(await a.room.withdraw(borrower)).toMatchObject({ ok: true })
    await waitFor(() => b.room.confirmations.length === 0, 'withdrawal on b')
    expect(await a.room.confirm(borrower, { hash, fullName: 'Bo Zhang' })).toMatchObject({ ok: true })
    await waitFor(() => b.room.confirmations.length === 1, 'confirmation again on b')
    // The lender edits on node b: the borrower's confirmation is cleared everywhere, with one 'cleared' event.
    const r = b.room.applyUpdate(lender, edit(b.room, (d) => d.getMap('terms').set('termMonths', 24)))
    if (!r.ok) throw new Error(r.message)
    await r.committed
    await waitFor(() => a.room.confirmations.length === 0 && a.room.currentHash === b.room.currentHash, 'cleared on a')
    expect(b.states.at(-1)?.confirmations).toEqual([])
    const types = (await store.readEvents(roomId)).map((e) => e.type)
    expect(types.filter((t) => t === 'cleared')).toHaveLength(1)
  })

  it('logs the clearing itself when the node that edited had not yet heard of the confirmation', async () => {
    const [a, b] = nodes as [Node, Node]
    const hash = contentHashOfDoc(a.room.doc)
    hub.drop = (m, to) => to === 'b' && m.kind === 'events'
    expect(await a.room.confirm(borrower, { hash, fullName: 'Bo Zhang' })).toMatchObject({ ok: true })
    const r = b.room.applyUpdate(lender, edit(b.room, (d) => d.getMap('terms').set('termMonths', 30)))
    if (!r.ok) throw new Error(r.message)
    await r.committed
    hub.drop = () => false
    await waitFor(() => a.room.confirmations.length === 0, 'stale confirmation dropped on a')
    await waitFor(() => b.chat.length === 0 && b.room.history().some((h) => h.kind === 'event' && h.type === 'cleared'), 'cleared line on b')
    const types = (await store.readEvents(roomId)).map((e) => e.type)
    expect(types.filter((t) => t === 'cleared')).toHaveLength(1)
    expect(b.room.confirmations).toEqual([])
    // Node a wrote it, and still says what the other node's edit changed.
    const cleared = (await store.readEvents(roomId)).find((e) => e.type === 'cleared')!
    expect((cleared.payload as { changes: unknown[] }).changes).toContainEqual(expect.objectContaining({ section: 'terms', key: 'termMonths', after: 30 }))
  })

  it('locks exactly once when both parties confirm at once on different nodes', async () => {
    const [a, b] = nodes as [Node, Node]
    const hash = contentHashOfDoc(a.room.doc)
    const acks = await Promise.all([a.room.confirm(borrower, { hash, fullName: 'Bo Zhang' }), b.room.confirm(lender, { hash, fullName: 'Li Na' })])
    expect(acks.map((x) => x.ok)).toEqual([true, true])
    await waitFor(() => a.room.phase === 'locked' && b.room.phase === 'locked', 'both locked')
    expect(a.room.agreementHash).toBe(b.room.agreementHash)
    const types = (await store.readEvents(roomId)).map((e) => e.type)
    expect(types.filter((t) => t === 'lock')).toHaveLength(1)
    expect(a.room.agreement?.confirmations.map((c) => c.role).sort()).toEqual(['borrower', 'lender'])
  })

  it('refuses a lock decided on a state another node has already changed, and locks on the next confirmation', async () => {
    const [a, b] = nodes as [Node, Node]
    const hash = contentHashOfDoc(a.room.doc)
    expect(await a.room.confirm(borrower, { hash, fullName: 'Bo Zhang' })).toMatchObject({ ok: true })
    await waitFor(() => b.room.confirmations.length === 1, 'borrower confirmation on node b')
    // Node a commits an edit, but node b does not hear of it before its lender confirms.
    hub.drop = (m, to) => to === 'b' && m.kind === 'events'
    const r = a.room.applyUpdate(borrower, edit(a.room, (d) => d.getMap('terms').set('termMonths', 18)))
    if (!r.ok) throw new Error(r.message)
    await r.committed
    const ack = await b.room.confirm(lender, { hash, fullName: 'Li Na' })
    expect(ack).toMatchObject({ ok: false, error: 'stale_hash' })
    hub.drop = () => false
    // Node b reverted its decision and read the edit from the store.
    await waitFor(() => b.room.doc.getMap('terms').get('termMonths') === 18, 'node b caught up')
    expect(b.room.phase).toBe('negotiating')
    expect(b.room.confirmations).toEqual([])
    expect((await store.readEvents(roomId)).map((e) => e.type)).not.toContain('lock')
    // The room goes on normally: both confirm the new content and it locks.
    const next = contentHashOfDoc(b.room.doc)
    expect(await a.room.confirm(borrower, { hash: next, fullName: 'Bo Zhang' })).toMatchObject({ ok: true })
    await waitFor(() => b.room.confirmations.length === 1, 'new borrower confirmation on b')
    expect(await b.room.confirm(lender, { hash: next, fullName: 'Li Na' })).toMatchObject({ ok: true, state: { phase: 'locked' } })
    await waitFor(() => a.room.phase === 'locked', 'node a sees the lock')
  })
})
