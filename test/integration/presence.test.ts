// A reconnect storm against the real server: 300 connect/close cycles of one participant write at most
// one join and one leave, the chat history keeps its messages, and who is online is still shown at once.
import { beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { connectSocket, connected, emitAck, invite, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
let room: CreateRoomResponse
beforeAll(async () => {
  server = suite.track(await startTestServer({ presenceLeaveGraceMs: 300, presenceJoinWindowMs: 1000 }))
  room = await server.createRoom()
})

const presenceEvents = async (role: string): Promise<string[]> =>
  (await server.store.readEvents(room.roomId)).filter((e) => (e.type === 'join' || e.type === 'leave') && e.actor.role === role).map((e) => e.type)

describe('presence lines under a reconnect storm', () => {
  it('300 connect/close cycles of one participant write at most 2 presence events and leave the chat history to the chat', async () => {
    const watcher = connectSocket(server, invite(room, 'lender'))
    await connected(watcher.socket)
    try {
      for (let i = 0; i < 10; i++) expect(await emitAck(watcher.socket, 'chat:send', { clientId: `m${i}`, text: `message ${i}` })).toMatchObject({ ok: true })
      let sawOffline = 0
      for (let i = 0; i < 300; i++) {
        const { socket } = connectSocket(server, invite(room, 'borrower'))
        await connected(socket)
        const before = watcher.log.states.length
        socket.close()
        // room:state shows the borrower offline at once, each time (that is not the log).
        await waitFor(() => watcher.log.states.slice(before).some((s) => s.participants.some((p) => p.role === 'borrower' && !p.online)), 'offline shown')
        sawOffline++
      }
      expect(sawOffline).toBe(300)
      await waitFor(async () => (await presenceEvents('borrower')).length === 2, 'the folded leave', 5000)
      await new Promise((r) => setTimeout(r, 400))
      expect(await presenceEvents('borrower')).toEqual(['join', 'leave'])
      const lines = watcher.log.events.filter((e) => e.actor.role === 'borrower').map((e) => e.type)
      expect(lines).toEqual(['joined', 'left'])

      // A newcomer's history still holds every message.
      const late = connectSocket(server, invite(room, 'observer'))
      await connected(late.socket)
      await waitFor(() => late.log.history.length > 0, 'history')
      const history = late.log.history[0]!
      expect(history.filter((h) => h.kind === 'chat')).toHaveLength(10)
      expect(history.filter((h) => h.kind === 'event' && h.actor.role === 'borrower')).toHaveLength(2)
      late.socket.close()
    } finally {
      watcher.socket.close()
    }
  })
})
