// A revocation made on one server process closes the revoked connections on the others: the room's
// `invites_revoked` log event reaches every node that has the room loaded (here two registries over one
// store and the in-process fan-out, as Room.cluster.test.ts), and each node's TokenWatch ends them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Role } from '../../shared/protocol/room.ts'
import { TokenWatch, revocationListener, type TokenEnd } from '../auth/TokenWatch.ts'
import type { VerifiedToken } from '../auth/tokens.ts'
import { LocalCluster } from '../../test/support/room/roomFixtures.ts'
import type { SqliteStore } from '../store/SqliteStore.ts'
import { OPERATOR_ACTOR } from './createRoom.ts'
import type { Lease, RoomRegistry } from './RoomRegistry.ts'

interface Node {
  registry: RoomRegistry
  watch: TokenWatch
  lease: Lease
  ended: string[]
}

describe('revoking invites across server processes', () => {
  let cluster: LocalCluster
  let store: SqliteStore
  let roomId: string
  let nodes: Node[]

  async function node(id: string): Promise<Node> {
    const watch = new TokenWatch()
    const { registry, lease } = await cluster.join(id, revocationListener(watch))
    const n: Node = { registry, watch, lease, ended: [] }
    const connect = (role: Role, generation = 0): void => {
      const token: VerifiedToken = { room: roomId, role, name: role, expiresAt: Date.now() + 3600_000, generation }
      watch.watch(token, (why: TokenEnd) => n.ended.push(`${id}:${role}:${why.error}`))
    }
    connect('borrower')
    connect('lender')
    connect('observer')
    // A second observer with its own invite (POST /api/rooms/:id/observers): revoked alone, by its id.
    watch.watch({ room: roomId, role: 'observer', name: 'advisor', observerId: 'o_adv', side: 'borrower', expiresAt: Date.now() + 3600_000, generation: 0 }, (why) =>
      n.ended.push(`${id}:o_adv:${why.error}`),
    )
    return n
  }

  beforeEach(async () => {
    cluster = await LocalCluster.start()
    ;({ store, roomId } = cluster)
    nodes = [await node('a'), await node('b')]
  })
  afterEach(async () => {
    for (const n of nodes) n.watch.close()
    await cluster.close()
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

  it('one observer\'s revocation written on one node ends that observer alone on the other', async () => {
    const [a, b] = nodes as [Node, Node]
    await a.lease.room.recordObserver(OPERATOR_ACTOR, 'observer_revoked', { observerId: 'o_adv', label: 'advisor', side: 'borrower', name: 'advisor' })
    const end = Date.now() + 3000
    while ((a.ended.length === 0 || b.ended.length === 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 5))
    expect(a.ended).toEqual(['a:o_adv:revoked'])
    expect(b.ended).toEqual(['b:o_adv:revoked'])
  })
})
