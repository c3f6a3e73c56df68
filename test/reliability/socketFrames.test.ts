// socket.io frames (issue #14 §6): frames up to maxPayload reach their event, each event answers
// `too_large` with its own limit above what it can need, and the connection stays open.
import { beforeAll, describe, expect, it } from 'vitest'
import { CHAT_SEND_MAX_BYTES, CONFIRM_MAX_BYTES, RATING_MAX_BYTES } from '../../shared/schema/protocol.schema.ts'
import { connectSocket, connected, invite, startTestServer, type TestServer, type TestSocket } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

const MAX_PAYLOAD = 256 * 1024

let server: TestServer
const suite = closeAfterAll()
beforeAll(async () => {
  // A low transport cap: the same code path as the 1 MiB default without shipping megabytes.
  server = suite.track(await startTestServer({ maxPayload: MAX_PAYLOAD }))
})

type AckOrDrop = { ok: boolean; error?: string; limit?: number; [k: string]: unknown } | { dropped: string }

/** The ack, or how the connection ended if it ended first. */
function emit(socket: TestSocket, event: string, payload: unknown, ms = 5000): Promise<AckOrDrop> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ dropped: 'no ack' }), ms)
    socket.once('disconnect', (reason) => {
      clearTimeout(timer)
      resolve({ dropped: reason })
    })
    ;(socket.emit as (e: string, ...a: unknown[]) => void)(event, payload, (a: AckOrDrop) => {
      clearTimeout(timer)
      resolve(a)
    })
  })
}

async function member(role: 'borrower' | 'lender' = 'borrower'): Promise<TestSocket> {
  const room = await server.createRoom()
  const { socket } = connectSocket(server, invite(room, role))
  await connected(socket)
  return socket
}

describe('socket.io frame and payload sizes', () => {
  it('a 100 KiB chat message is answered too_large with the limit; the socket stays and the next chat works', async () => {
    const socket = await member()
    try {
      const ack = await emit(socket, 'chat:send', { clientId: 'big-1', text: 'x'.repeat(100 * 1024) })
      expect(ack).toMatchObject({ ok: false, error: 'too_large', limit: CHAT_SEND_MAX_BYTES, message: expect.stringMatching(/at most 32768/) })
      expect(socket.connected).toBe(true)
      const next = await emit(socket, 'chat:send', { clientId: 'small-1', text: 'hello' })
      expect(next).toMatchObject({ ok: true, message: { text: 'hello' } })
    } finally {
      socket.close()
    }
  })

  it('a frame just under maxPayload reaches its event (answered, not cut); one over it ends the connection', async () => {
    const socket = await member()
    try {
      const near = await emit(socket, 'chat:send', { clientId: 'near-1', text: 'y'.repeat(MAX_PAYLOAD - 1024) })
      expect(near).toMatchObject({ ok: false, error: 'too_large', limit: CHAT_SEND_MAX_BYTES })
      expect(socket.connected).toBe(true)
      // The largest valid chat message passes its own limit.
      const longest = await emit(socket, 'chat:send', { clientId: 'max-1', text: '\u0001'.repeat(4000) })
      expect(longest).toMatchObject({ ok: true })
      const over = await emit(socket, 'chat:send', { clientId: 'over-1', text: 'z'.repeat(MAX_PAYLOAD + 1024) })
      expect(over).toHaveProperty('dropped')
    } finally {
      socket.close()
    }
  })

  it('every event has its own limit: rating and confirm answer too_large with theirs', async () => {
    const socket = await member('lender')
    try {
      const rating = await emit(socket, 'rating:submit', { stars: 3, comment: 'c'.repeat(20 * 1024) })
      expect(rating).toMatchObject({ ok: false, error: 'too_large', limit: RATING_MAX_BYTES })
      const confirm = await emit(socket, 'confirm', { hash: '0'.repeat(64), fullName: 'n'.repeat(5 * 1024) })
      expect(confirm).toMatchObject({ ok: false, error: 'too_large', limit: CONFIRM_MAX_BYTES })
      // Under the limit, the schema still speaks.
      const invalid = await emit(socket, 'confirm', { hash: '0'.repeat(64), fullName: 'n'.repeat(300) })
      expect(invalid).toMatchObject({ ok: false, error: 'invalid_payload' })
      expect(socket.connected).toBe(true)
    } finally {
      socket.close()
    }
  })
})
