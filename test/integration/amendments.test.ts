// Amendments opened at once (server/room/openAmendment.ts): however the requests interleave, a locked room gets
// one amendment room, and every party who asked is sent to it; a new one opens only once that one is locked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { AmendResponse, CreateRoomResponse, RoomInfo } from '../../shared/protocol/http.ts'
import type { Role } from '../../shared/protocol/room.ts'
import { ControlledStore } from '../helpers/controlledStore.ts'
import { joinAndLock, type Party } from '../helpers/negotiation.ts'
import { invite, startTestServer, type TestServer } from '../helpers/server.ts'

let server: TestServer
let store: ControlledStore
const parties: Party[] = []

interface Answer {
  status: number
  body: AmendResponse
}

async function amend(roomId: string, token: string): Promise<Answer> {
  const res = await fetch(`${server.url}/api/rooms/${roomId}/amend`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: '{}',
  })
  return { status: res.status, body: (await res.json()) as AmendResponse }
}

/**
 * The requests, sent together. The old room's 'amend' event is held back meanwhile, so the first amendment is
 * still being opened when every other request reaches openAmendment, whichever comes first.
 */
async function amendAtOnce(roomId: string, tokens: string[]): Promise<Answer[]> {
  const hold = store.hold()
  const answers = Promise.all(tokens.map((t) => amend(roomId, t)))
  await new Promise((r) => setTimeout(r, 300))
  hold.release()
  return answers
}

/** A room both parties confirmed: locked, with a signed agreement. */
async function lockedRoom(): Promise<CreateRoomResponse> {
  const room = await server.createRoom({ names: { borrower: '张伟', lender: 'City Bank', observer: 'Ms Mediator' } })
  await lockParties(room)
  return room
}

async function lockParties(room: CreateRoomResponse): Promise<void> {
  await joinAndLock(server, room, parties)
}

async function amendEvents(roomId: string): Promise<{ role: Role; roomId: unknown }[]> {
  return (await server.store.readEvents(roomId)).filter((e) => e.type === 'amend').map((e) => ({ role: e.actor.role as Role, roomId: (e.payload as { roomId: unknown }).roomId }))
}

async function info(roomId: string, token: string): Promise<RoomInfo> {
  return (await (await fetch(`${server.url}/api/rooms/${roomId}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as RoomInfo
}

/** Exactly one answer created the room (201, existing: false); every other one is sent to it (200, existing: true). */
function oneCreated(answers: Answer[]): AmendResponse {
  const created = answers.filter((a) => a.status === 201)
  expect(created).toHaveLength(1)
  const room = created[0]!.body
  expect(room.existing).toBe(false)
  for (const a of answers) {
    if (a === created[0]) continue
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ roomId: room.roomId, amendmentOf: room.amendmentOf, existing: true })
  }
  return room
}

beforeAll(async () => {
  store = new ControlledStore(new SqliteStore(':memory:'))
  server = await startTestServer({ store })
})

afterAll(async () => {
  for (const p of parties) p.close()
  await server.close()
})

describe('concurrent POST /api/rooms/:id/amend', () => {
  it('opens one room for two parties asking at once; the other is answered that room', async () => {
    const room = await lockedRoom()
    const answers = await amendAtOnce(room.roomId, [invite(room, 'borrower'), invite(room, 'lender')])
    const created = oneCreated(answers)
    expect(created.amendmentOf).toBe(room.roomId)
    // Both answers carry working invites to the one new room.
    for (const a of answers) {
      expect(a.body.invites.borrower.url).toMatch(new RegExp(`/room/${created.roomId}#token=`))
      expect(await info(created.roomId, a.body.invites.lender.token)).toMatchObject({ amendmentOf: room.roomId, phase: 'negotiating' })
    }
    // The old room logged one amendment, by whoever won, and lists only it.
    const winner = answers.findIndex((a) => a.status === 201) === 0 ? 'borrower' : 'lender'
    expect(await amendEvents(room.roomId)).toEqual([{ role: winner, roomId: created.roomId }])
    expect(await info(room.roomId, invite(room, 'observer'))).toMatchObject({ phase: 'locked', amendments: [created.roomId] })
    const list = (await (await fetch(`${server.url}/api/rooms`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })).json()) as { rooms: { amendmentOf?: string }[] }
    expect(list.rooms.filter((r) => r.amendmentOf === room.roomId)).toHaveLength(1)
  })

  it('opens one room for many requests at once (both parties and the operator), and answers it again afterwards', async () => {
    const room = await lockedRoom()
    const tokens = [invite(room, 'borrower'), invite(room, 'lender'), server.operatorKey, invite(room, 'lender'), invite(room, 'borrower'), server.operatorKey]
    const created = oneCreated(await amendAtOnce(room.roomId, tokens))
    expect(await amendEvents(room.roomId)).toEqual([{ role: expect.any(String), roomId: created.roomId }])
    // Once no request is running, the open amendment is found in the room's list.
    const later = await amend(room.roomId, invite(room, 'lender'))
    expect(later).toMatchObject({ status: 200, body: { roomId: created.roomId, existing: true } })
    expect(await amendEvents(room.roomId)).toHaveLength(1)
  })

  it('opens a second amendment only once the first is locked, and again only one for concurrent requests', async () => {
    const room = await lockedRoom()
    const first = oneCreated(await amendAtOnce(room.roomId, [invite(room, 'borrower'), invite(room, 'lender')]))
    await lockParties(first)
    expect(await info(first.roomId, first.invites.lender.token)).toMatchObject({ phase: 'locked' })
    const second = oneCreated(await amendAtOnce(room.roomId, [invite(room, 'lender'), invite(room, 'borrower')]))
    expect(second.roomId).not.toBe(first.roomId)
    expect((await amendEvents(room.roomId)).map((e) => e.roomId)).toEqual([first.roomId, second.roomId])
    expect(await info(room.roomId, invite(room, 'observer'))).toMatchObject({ amendments: [first.roomId, second.roomId] })
  })
})
