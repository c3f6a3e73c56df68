// Test helpers for the confirmation flow: a party (Yjs provider + socket.io client), the settled hash, and a
// room driven to its lock over the real transports.
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import type { Role } from '../../shared/protocol/room.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import {
  connectProvider,
  connectSocket,
  connected,
  emitAck,
  invite,
  waitFor,
  type Endpoint,
  type SocketLog,
  type TestProvider,
  type TestSocket,
} from './server.ts'

export interface Party {
  role: Role
  provider: TestProvider
  socket: TestSocket
  log: SocketLog
  close(): void
}

/** Both transports of one participant, synced and joined. */
export function joinAs(server: Endpoint, room: CreateRoomResponse, role: Role): Promise<Party> {
  return joinWithToken(server, room.roomId, role, invite(room, role))
}

/** Both transports opened with any token of the room (an invite's, or a staff member's seat token). */
export async function joinWithToken(server: Endpoint, roomId: string, role: Role, token: string): Promise<Party> {
  const provider = connectProvider(server, roomId, token)
  const { socket, log } = connectSocket(server, token)
  await Promise.all([provider.synced, connected(socket)])
  await waitFor(() => log.states.length > 0, 'room:state on join')
  return {
    role,
    provider,
    socket,
    log,
    close: () => {
      socket.close()
      provider.destroy()
    },
  }
}

/** The hash this party's document has once the server's room:state agrees with it (what the UI confirms). */
export async function settledHash(p: Party, timeoutMs = 5000): Promise<string> {
  let local = ''
  await waitFor(
    () => {
      local = contentHashOfDoc(p.provider.doc)
      return p.log.states.at(-1)?.currentHash === local
    },
    `${p.role} and the server agree on the hash`,
    timeoutMs,
  )
  return local
}

export type AckBody = Awaited<ReturnType<typeof emitAck>>

export function confirm(p: Party, hash: string, fullName: string, extra: Record<string, unknown> = {}): Promise<AckBody> {
  return emitAck(p.socket, 'confirm', { hash, fullName, ...extra })
}

/** Both parties confirm the settled content; resolves with the lender's (locking) ack. */
export async function lock(borrower: Party, lender: Party): Promise<AckBody> {
  const hash = await settledHash(borrower)
  await settledHash(lender)
  const first = await confirm(borrower, hash, 'Zhang Wei')
  if (!first.ok) throw new Error(`borrower confirm: ${JSON.stringify(first)}`)
  return confirm(lender, hash, 'Li Na')
}

/**
 * Borrower and lender join (added to `parties` for the suite's teardown), `prepare` writes what they are to
 * agree on, and both confirm: the room is locked when this resolves, or it throws with the refusal.
 */
export async function joinAndLock(server: Endpoint, room: CreateRoomResponse, parties: Party[], prepare?: (borrower: Party, lender: Party) => void): Promise<void> {
  const b = await joinAs(server, room, 'borrower')
  const l = await joinAs(server, room, 'lender')
  parties.push(b, l)
  prepare?.(b, l)
  const ack = await lock(b, l)
  if (!ack.ok) throw new Error(`lock failed: ${JSON.stringify(ack)}`)
}
