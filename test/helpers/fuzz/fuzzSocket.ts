// The socket.io events under fuzz: every role sends hostile payloads; each gets an ack with a clear error.
import { connectSocket, connected, emitAck, invite, type TestSocket } from '../server.ts'
import type { FuzzRun } from './FuzzRun.ts'
import { hostile } from './hostileJson.ts'
import { int, pick, rand } from './seededRandom.ts'

const SOCKET_EVENTS: [string, Record<string, unknown>][] = [
  ['chat:send', { clientId: 'c-1', text: 'hi' }],
  ['confirm', { hash: 'a'.repeat(64), fullName: 'Zhang Wei' }],
  ['confirm:withdraw', {}],
  ['rating:submit', { stars: 3, comment: 'ok' }],
]

export async function fuzzSocket(run: FuzzRun, cases: number): Promise<void> {
  const { server, victim, count, fail } = run
  const roles = ['borrower', 'lender', 'observer'] as const
  const sockets = await Promise.all(
    roles.map(async (role) => {
      const { socket } = connectSocket(server, invite(victim, role))
      await connected(socket)
      return socket
    }),
  )
  let next = 0
  const worker = async (socket: TestSocket): Promise<void> => {
    while (next < cases) {
      next++
      const [event, valid] = pick(SOCKET_EVENTS)
      const h = hostile(valid)
      count(`socket:${h.kind}`)
      if (rand() < 0.03) {
        // No ack callback, or an event nobody handles: nothing to answer, nothing may break.
        ;(socket.emit as (e: string, ...a: unknown[]) => void)(rand() < 0.5 ? event : `nope:${int(100)}`, h.value)
        continue
      }
      const ack = await Promise.race([
        emitAck(socket, event as 'chat:send', h.value),
        new Promise<null>((res) => setTimeout(() => res(null), 3000)),
      ])
      if (!ack) fail(`socket ${event} ${h.kind}: no ack within 3 s (connected=${socket.connected})`)
      else if (!ack.ok && (typeof ack.error !== 'string' || typeof ack.message !== 'string')) fail(`socket ${event} ${h.kind}: unclear ack ${JSON.stringify(ack).slice(0, 200)}`)
      else count(`socket ack ${ack.ok ? 'ok' : ack.error}`)
      if (!socket.connected) {
        fail(`socket ${event} ${h.kind}: disconnected`)
        return
      }
    }
  }
  await Promise.all(sockets.flatMap((s) => [worker(s), worker(s)]))
  for (const s of sockets) s.close()
}
