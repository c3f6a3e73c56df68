// A RoomClient and its RoomStore wired to fakes instead of a server, for tests of the store and of the
// components that take one: a FakeClientSocket for socket.io, and a FakeWebSocket for the Yjs link fed
// the frames the server sends (server/transport/yjsMessages.ts).
import * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { RoomState } from '../../../shared/protocol/index.ts'
import { writeMap, type Scalar } from '../../../shared/document/roomDoc.ts'
import { RoomClient } from '../../../client/src/lib/roomClient.ts'
import type { Me, RoomFacts } from '../../../client/src/lib/roomInfo.ts'
import { RoomStore } from '../../../client/src/room/roomStore.svelte.ts'
import { FakeClientSocket } from './fakeClientSocket.ts'
import { FakeWebSocket } from './fakeWebSocket.ts'
import { awarenessMessage, syncStep2, syncUpdate } from '../../../server/transport/yjsMessages.ts'

export interface FakeRoom {
  client: RoomClient
  store: RoomStore
  socket: FakeClientSocket
  /** The Yjs websocket opened last (a restart opens a new one). */
  ws(): FakeWebSocket
  /** Both links up and the document synced (to `server`, else an empty room), as after a normal join. */
  join(server?: Y.Doc): void
  /** The server's sync step 2: its copy of the document (y-websocket then reports synced). */
  serverSync(server: Y.Doc): void
  /** A change another person made, relayed by the server. */
  serverUpdate(update: Uint8Array): void
  /** Another person's awareness (who they are, what they edit), relayed by the server. */
  serverAwareness(awareness: Awareness): void
  close(): void
}

export function openFakeRoom(opts: { me?: Me; info?: Partial<RoomFacts> } = {}): FakeRoom {
  FakeWebSocket.all = []
  const socket = new FakeClientSocket()
  const me = opts.me ?? { role: 'borrower', name: 'Zhang Wei' }
  const client = new RoomClient({
    roomId: 'r1',
    token: 'tok',
    me,
    origin: 'http://room.test',
    WebSocketPolyfill: FakeWebSocket as unknown as typeof WebSocket,
    socket: socket.asSocket(),
  })
  const info: RoomFacts = { roomId: 'r1', title: 'Plan', currency: 'CNY', original: null, observerLabel: 'mediator', names: {}, ...opts.info }
  const store = new RoomStore(client, info)
  const ws = () => {
    const last = FakeWebSocket.all[FakeWebSocket.all.length - 1]
    if (!last) throw new Error('no Yjs websocket was opened')
    return last
  }
  const serverSync = (server: Y.Doc) => ws().receive(syncStep2(Y.encodeStateAsUpdate(server)))
  return {
    client,
    store,
    socket,
    ws,
    join: (server) => {
      ws().open()
      serverSync(server ?? new Y.Doc())
      socket.serverConnect()
    },
    serverSync,
    serverUpdate: (update) => ws().receive(syncUpdate(update)),
    serverAwareness: (awareness) => ws().receive(awarenessMessage(awareness, [awareness.clientID])),
    close: () => client.destroy(),
  }
}

/** A room:state as the server sends it; two parties online, nobody confirmed. */
export function roomState(over: Partial<RoomState> = {}): RoomState {
  return {
    phase: 'negotiating',
    currentHash: 'h1',
    confirmations: [],
    participants: [
      { role: 'borrower', name: 'Zhang Wei', online: true },
      { role: 'lender', name: 'Li Na', online: true },
    ],
    ...over,
  }
}

/** The server's copy of a complete loan (12,000.00 over 12 months at 8.3 %), with these sections' values over it. */
export function loanDoc(over: { terms?: Record<string, Scalar>; commitments?: Record<string, Scalar> } = {}): Y.Doc {
  const doc = new Y.Doc()
  writeMap(doc, 'terms', { principal: 1_200_000, annualRatePct: '8.3', termMonths: 12, method: 'annuity', ...over.terms })
  if (over.commitments) writeMap(doc, 'commitments', over.commitments)
  return doc
}
