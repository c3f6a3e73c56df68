// HTTP API and authorization across all three transports.
import { beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse, RoomInfo, RoomList } from '../../shared/protocol/http.ts'
import {
  TERMS,
  connectError,
  connectSocket,
  connected,
  invite,
  rawYjs,
  startTestServer,
  type TestServer,
} from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
let a: CreateRoomResponse
let b: CreateRoomResponse

async function get(path: string, bearer?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function post(body: string, bearer?: string, type = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': type }
  if (bearer) headers.Authorization = `Bearer ${bearer}`
  const res = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers, body })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  server = suite.track(await startTestServer({ publicUrl: 'https://rooms.example.org/' }))
  a = await server.createRoom({ title: 'Room A', names: { borrower: 'Wang Fang', lender: 'City Bank' }, observerLabel: 'mediator' })
  b = await server.createRoom({ title: 'Room B' })
})

describe('POST /api/rooms', () => {
  it('answers 201 with three invites whose URLs carry the token in the fragment', () => {
    expect(a.roomId).toMatch(/^[A-Za-z0-9_-]+$/)
    for (const role of ['borrower', 'lender', 'observer'] as const) {
      const inv = a.invites[role]
      expect(inv.token.split('.')).toHaveLength(3)
      expect(inv.url).toBe(`https://rooms.example.org/room/${a.roomId}#token=${inv.token}`)
    }
  })

  it('refuses without the operator key, with a room token, and with a wrong key; nothing is written', async () => {
    const before = (await server.store.listRooms()).length
    const body = JSON.stringify({ title: 'x', currency: 'CNY', terms: TERMS })
    expect(await post(body)).toMatchObject({ status: 401, body: { error: 'unauthorized' } })
    expect(await post(body, 'not-the-key')).toMatchObject({ status: 401, body: { error: 'unauthorized' } })
    expect(await post(body, invite(a, 'borrower'))).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect((await server.store.listRooms()).length).toBe(before)
  })

  it('refuses invalid JSON and schema violations with invalid_payload and a path; nothing is written', async () => {
    const before = (await server.store.listRooms()).length
    const key = server.operatorKey
    const cases: [string, RegExp][] = [
      ['{"title": ', /not valid JSON/],
      [JSON.stringify({ currency: 'CNY', terms: TERMS }), /^\/title: is required/],
      [JSON.stringify({ title: 'x', currency: 'yuan', terms: TERMS }), /^\/currency: /],
      [JSON.stringify({ title: 'x', currency: 'CNY', terms: { ...TERMS, principal: 0 } }), /^\/terms\/principal: /],
      [JSON.stringify({ title: 'x', currency: 'CNY', terms: { ...TERMS, method: 'magic' } }), /^\/terms\/method: /],
      [JSON.stringify({ title: 'x', currency: 'CNY', terms: TERMS, extra: 1 }), /^\/extra: is not allowed/],
      [JSON.stringify({ title: 'x', currency: 'CNY', terms: TERMS, original: { principal: 5 } }), /^\/original\/annualRatePct: is required/],
      [JSON.stringify({ title: 'x', currency: 'CNY', terms: TERMS, observerLabel: 'judge' }), /^\/observerLabel: /],
      [JSON.stringify([1, 2]), /^\/: /],
    ]
    for (const [body, message] of cases) {
      const r = await post(body, key)
      expect(r.status, body).toBe(400)
      expect(r.body.error, body).toBe('invalid_payload')
      expect(r.body.message, body).toMatch(message)
    }
    const notJson = await post('title=x', key, 'application/x-www-form-urlencoded')
    expect(notJson).toMatchObject({ status: 400, body: { error: 'invalid_payload' } })
    expect((await server.store.listRooms()).length).toBe(before)
  })
})

describe('GET /api/rooms and /api/rooms/:id', () => {
  it('lists rooms for the operator only', async () => {
    const list = await get('/api/rooms', server.operatorKey)
    expect(list.status).toBe(200)
    const rooms = (list.body as unknown as RoomList).rooms
    expect(rooms.map((r) => r.roomId)).toEqual(expect.arrayContaining([a.roomId, b.roomId]))
    expect(rooms.find((r) => r.roomId === a.roomId)).toMatchObject({ title: 'Room A', phase: 'negotiating', currency: 'CNY' })
    expect(await get('/api/rooms', invite(a, 'lender'))).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await get('/api/rooms')).toMatchObject({ status: 401 })
  })

  it('answers any token of the room (and the operator) with the room state', async () => {
    const r = await get(`/api/rooms/${a.roomId}`, invite(a, 'observer'))
    expect(r.status).toBe(200)
    const info = r.body as unknown as RoomInfo
    expect(info).toMatchObject({ roomId: a.roomId, title: 'Room A', currency: 'CNY', phase: 'negotiating', confirmations: [] })
    expect(info.currentHash).toMatch(/^[0-9a-f]{64}$/)
    expect(info.you).toEqual({ role: 'observer', name: 'Mediator', label: 'mediator' })
    expect(info.names).toEqual({ borrower: 'Wang Fang', lender: 'City Bank', observer: 'Mediator' })
    expect(info.observerLabel).toBe('mediator')
    const borrower = await get(`/api/rooms/${a.roomId}`, invite(a, 'borrower'))
    expect((borrower.body as unknown as RoomInfo).you).toEqual({ role: 'borrower', name: 'Wang Fang' })
    expect((await get(`/api/rooms/${a.roomId}`, server.operatorKey)).status).toBe(200)
  })

  it('a token of room A opens nothing of room B', async () => {
    expect(await get(`/api/rooms/${b.roomId}`, invite(a, 'borrower'))).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await get(`/api/rooms/${b.roomId}`)).toMatchObject({ status: 401, body: { error: 'unauthorized' } })
    expect(await get(`/api/rooms/${b.roomId}`, 'garbage.token.here')).toMatchObject({ status: 401 })
    expect(await get('/api/rooms/nope', server.operatorKey)).toMatchObject({ status: 404, body: { error: 'not_found' } })

    const upgrade = await rawYjs(server, b.roomId, invite(a, 'borrower'))
    expect(upgrade.status).toBe(403)
    expect(JSON.parse(upgrade.body!)).toMatchObject({ error: 'forbidden' })
    expect((await rawYjs(server, b.roomId, null)).status).toBe(401)
    expect((await rawYjs(server, b.roomId, 'bad')).status).toBe(401)

    const { socket } = connectSocket(server, invite(a, 'borrower'), { roomId: b.roomId })
    const err = await connectError(socket)
    expect(err.message).toMatch(/^forbidden: /)
    expect(err.data).toMatchObject({ error: 'forbidden' })
    socket.close()
  })

  it('refuses expired tokens everywhere', async () => {
    const { token } = await server.tokens.issue({ room: a.roomId, role: 'borrower', name: 'Late' }, -60_000)
    expect(await get(`/api/rooms/${a.roomId}`, token)).toMatchObject({ status: 401, body: { error: 'unauthorized', message: 'token has expired' } })
    expect((await rawYjs(server, a.roomId, token)).status).toBe(401)
    const { socket } = connectSocket(server, token)
    expect((await connectError(socket)).message).toMatch(/^unauthorized: token has expired/)
    socket.close()
  })

  it('refuses a token signed with another secret, and a token for a room that does not exist', async () => {
    const other = await startTestServer()
    try {
      const foreign = await other.createRoom()
      const forged = invite(foreign, 'borrower')
      expect((await get(`/api/rooms/${foreign.roomId}`, forged)).status).toBe(401)
      const { token } = await server.tokens.issue({ room: 'noSuchRoom', role: 'lender', name: 'x' })
      expect((await rawYjs(server, 'noSuchRoom', token)).status).toBe(404)
      const { socket } = connectSocket(server, token)
      expect((await connectError(socket)).message).toMatch(/^not_found/)
      socket.close()
    } finally {
      await other.close()
    }
  })

  it('lets a valid socket.io handshake in', async () => {
    const { socket } = connectSocket(server, invite(b, 'lender'), { roomId: b.roomId })
    await connected(socket)
    socket.close()
  })
})

describe('the rest', () => {
  it('GET /healthz answers ok', async () => {
    const r = await get('/healthz')
    expect(r).toMatchObject({ status: 200, body: { ok: true } })
  })

  it('serves a page for the app routes even without a build, and 404 JSON for unknown API paths', async () => {
    for (const p of ['/', '/lobby', `/room/${a.roomId}`, '/replay/x']) {
      const res = await fetch(`${server.url}${p}`)
      expect(res.status, p).toBe(200)
      expect(res.headers.get('content-type'), p).toMatch(/text\/html/)
    }
    expect(await get('/api/nothing')).toMatchObject({ status: 404, body: { error: 'not_found' } })
  })
})
