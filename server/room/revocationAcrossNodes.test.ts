// A revocation made on one server process closes the revoked connections on the others: the room's
// `invites_revoked` log event reaches every node that has the room loaded (here two registries over one
// store and the in-process fan-out, as Room.cluster.test.ts), and each node's TokenWatch ends them.
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Role } from '../../shared/protocol/room.ts'
import { TokenWatch, revocationListener, type TokenEnd } from '../auth/TokenWatch.ts'
import type { VerifiedToken } from '../auth/tokens.ts'
import { LocalHub } from '../../test/support/cluster/LocalFanout.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { createRoom, OPERATOR_ACTOR } from './createRoom.ts'
import { RoomRegistry, type Lease } from './RoomRegistry.ts'

const log = pino({ level: 'silent' })
const terms = { principal: 1_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' as const }

interface Node {
  registry: RoomRegistry
  watch: TokenWatch
  lease: Lease
  ended: string[]
}

describe('revoking invites across server processes', () => {
  let store: SqliteStore
  let hub: LocalHub
  let roomId: string
  let nodes: Node[]

  async function node(id: string): Promise<Node> {
    let registry: RoomRegistry | null = null
    const fanout = hub.join(id, (rid, m) => registry?.handle(rid, m))
    registry = new RoomRegistry({ store, log, idleMs: 60_000, snapshotEvery: 1000, stateDebounceMs: 5, cluster: fanout })
    const watch = new TokenWatch()
    registry.subscribe(revocationListener(watch))
    const lease = (await registry.acquire(roomId))!
    const n: Node = { registry, watch, lease, ended: [] }
    const connect = (role: Role, generation = 0): void => {
      const token: VerifiedToken = { room: roomId, role, name: role, expiresAt: Date.now() + 3600_000, generation }
      watch.watch(token, (why: TokenEnd) => n.ended.push(`${id}:${role}:${why.error}`))
    }
    connect('borrower')
    connect('lender')
    connect('observer')
    return n
  }

  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    hub = new LocalHub()
    roomId = (await createRoom(store, { title: 'T', currency: 'CNY', terms, invites: [{ role: 'borrower', name: 'Bo' }, { role: 'lender', name: 'Li' }] })).id
    nodes = [await node('a'), await node('b')]
  })
  afterEach(async () => {
    for (const n of nodes) {
      n.watch.close()
      n.lease.release()
      await n.registry.close()
    }
    await store.close()
  })

  it('the log line written on one node ends the revoked connections on the other', async () => {
    const [a, b] = nodes as [Node, Node]
    const generations = (await store.revokeInvites(roomId, ['borrower']))!
    await a.lease.room.recordRevocation(OPERATOR_ACTOR, { roles: ['borrower'], generations })
    const end = Date.now() + 3000
    while (b.ended.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5))
    expect(a.ended).toEqual(['a:borrower:revoked'])
    expect(b.ended).toEqual(['b:borrower:revoked'])
    expect(b.lease.room.history().some((h) => h.kind === 'event' && h.type === 'revoked')).toBe(true)
  })
})
