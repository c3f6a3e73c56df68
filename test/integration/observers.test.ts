// Issue 18, several observers: each invite has a label and a side; the operator adds and revokes any, a party only
// on its own side, an observer none; revoking one observer closes exactly its connections (both transports), the
// other observers and the room's first observer (POST /api/rooms `invites.observer`) keep theirs.
import { beforeAll, describe, expect, it } from 'vitest'
import type { Refusal } from '../../shared/protocol/errors.ts'
import { verifyChain, type ArchiveEvent } from '../../shared/protocol/eventLog.ts'
import type { AddObserverResponse, CreateRoomResponse, ObserverListResponse } from '../../shared/protocol/http.ts'
import type { RoomState } from '../../shared/protocol/room.ts'
import { connectError, connectProvider, connectSocket, connected, emitAck, invite, rawYjs, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
let room: CreateRoomResponse

beforeAll(async () => {
  server = suite.track(await startTestServer())
  room = await server.createRoom({ title: 'Observers', observerLabel: 'mediator', names: { observer: 'Li Na' } })
})

async function call(method: string, path: string, auth: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/api/rooms/${room.roomId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function add(auth: string, body: unknown): Promise<AddObserverResponse> {
  const res = await call('POST', '/observers', auth, body)
  expect(res.status).toBe(201)
  return res.body as unknown as AddObserverResponse
}

async function watched(token: string): Promise<{ ended: Refusal[]; disconnects: string[]; states: RoomState[]; socket: ReturnType<typeof connectSocket>['socket'] }> {
  const { socket, log } = connectSocket(server, token)
  const w = { ended: [] as Refusal[], disconnects: [] as string[], states: log.states, socket }
  socket.on('session:ended', (r) => w.ended.push(r))
  socket.on('disconnect', (reason) => w.disconnects.push(reason))
  await connected(socket)
  return w
}

describe('observer invites', () => {
  it('keeps the first observer as before and lists it as the neutral first observer', async () => {
    expect(Object.keys(room.invites).sort()).toEqual(['borrower', 'lender', 'observer'])
    const list = await call('GET', '/observers', server.operatorKey)
    expect(list.status).toBe(200)
    expect((list.body as unknown as ObserverListResponse).observers).toEqual([
      expect.objectContaining({ id: 'observer', label: 'mediator', side: 'neutral', name: 'Li Na', addedBy: 'operator' }),
    ])
    expect((await call('GET', '', invite(room, 'observer'))).body).toMatchObject({ you: { role: 'observer', name: 'Li Na', label: 'mediator' } })
  })

  it('authorizes by side: a borrower adds its own advisor only, an observer adds nothing, the operator adds anyone', async () => {
    expect(await call('POST', '/observers', invite(room, 'borrower'), { label: 'lawyer', side: 'lender' })).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await call('POST', '/observers', invite(room, 'borrower'), { label: 'mediator', side: 'neutral' })).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await call('POST', '/observers', invite(room, 'observer'), { label: 'advisor', side: 'neutral' })).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await call('POST', '/observers', server.operatorKey, { label: 'pilot', side: 'neutral' })).toMatchObject({ status: 400, body: { error: 'invalid_payload' } })
    expect(await call('POST', '/observers', server.operatorKey, { label: 'auditor', side: 'neutral', name: '  ' })).toMatchObject({ status: 400, body: { error: 'invalid_payload' } })
    expect(await call('POST', '/observers', 'not-a-token', { label: 'auditor', side: 'neutral' })).toMatchObject({ status: 401 })
    const listed = (await call('GET', '/observers', server.operatorKey)).body as unknown as ObserverListResponse
    expect(listed.observers).toHaveLength(1)
  })

  it('adds two observers with their labels and sides; revoking one closes only its connections', async () => {
    const advisor = await add(invite(room, 'borrower'), { label: 'advisor', side: 'borrower', name: 'Wang Fang' })
    expect(advisor.observer).toMatchObject({ label: 'advisor', side: 'borrower', name: 'Wang Fang', addedBy: 'borrower' })
    expect(advisor.invite.url).toBe(`${server.url}/room/${room.roomId}#token=${advisor.invite.token}`)
    const auditor = await add(server.operatorKey, { label: 'auditor', side: 'lender' })
    expect(auditor.observer).toMatchObject({ label: 'auditor', side: 'lender', name: 'Auditor', addedBy: 'operator' })

    // Everyone connects on both transports: the two new observers, the first observer, a party.
    const docs = {
      advisor: connectProvider(server, room.roomId, advisor.invite.token),
      auditor: connectProvider(server, room.roomId, auditor.invite.token),
      first: connectProvider(server, room.roomId, invite(room, 'observer')),
    }
    await Promise.all(Object.values(docs).map((d) => d.synced))
    const sockets = { advisor: await watched(advisor.invite.token), auditor: await watched(auditor.invite.token), first: await watched(invite(room, 'observer')) }
    const lender = await watched(invite(room, 'lender'))

    // room:state names each observer with its label and side.
    await waitFor(() => (lender.states.at(-1)?.participants.filter((p) => p.role === 'observer' && p.online).length ?? 0) === 3, 'three observers online')
    const observers = lender.states.at(-1)!.participants.filter((p) => p.role === 'observer')
    expect(observers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Wang Fang', label: 'advisor', side: 'borrower' }),
        expect.objectContaining({ name: 'Auditor', label: 'auditor', side: 'lender' }),
        expect.objectContaining({ name: 'Li Na', label: 'mediator' }),
      ]),
    )
    expect(observers.find((p) => p.name === 'Li Na')!.side).toBeUndefined()

    // The observers still cannot write, but they chat.
    expect((await emitAck(sockets.advisor.socket, 'chat:send', { clientId: 'adv-1', text: 'I advise the borrower' })).ok).toBe(true)
    // A pause is a party's or a neutral's: the borrower's advisor asks its party instead.
    expect(await emitAck(sockets.advisor.socket, 'pause:call', { minutes: 5 })).toMatchObject({ ok: false, error: 'forbidden' })
    expect(lender.states.at(-1)?.pause).toBeUndefined()

    // The lender may not revoke the borrower's advisor; an observer may not revoke anyone.
    expect(await call('DELETE', `/observers/${advisor.observer.id}`, invite(room, 'lender'))).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await call('DELETE', `/observers/${auditor.observer.id}`, advisor.invite.token)).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await call('DELETE', '/observers/o_nothing', server.operatorKey)).toMatchObject({ status: 404, body: { error: 'not_found' } })

    // The borrower revokes its advisor: only the advisor's connections end, at once, with the revocation's code.
    expect(await call('DELETE', `/observers/${advisor.observer.id}`, invite(room, 'borrower'))).toMatchObject({ status: 200, body: { revoked: advisor.observer.id } })
    await waitFor(() => docs.advisor.closes.length > 0 && sockets.advisor.disconnects.length > 0, 'advisor connections closed', 3000)
    expect(docs.advisor.closes[0]!.code).toBe(4401)
    expect(docs.advisor.closes[0]!.reason).toMatch(/^revoked: /)
    expect(sockets.advisor.ended).toMatchObject([{ error: 'revoked' }])
    expect(sockets.advisor.disconnects).toEqual(['io server disconnect'])
    await new Promise((r) => setTimeout(r, 200))
    for (const stays of ['auditor', 'first'] as const) {
      expect(docs[stays].closes).toEqual([])
      expect(sockets[stays].disconnects).toEqual([])
    }
    expect(docs.auditor.provider.wsconnected).toBe(true)

    // The revoked link is refused everywhere; the other observers' links still open the room.
    expect(JSON.parse((await rawYjs(server, room.roomId, advisor.invite.token)).body!)).toMatchObject({ error: 'revoked' })
    expect(await call('GET', '', advisor.invite.token)).toMatchObject({ status: 401, body: { error: 'revoked' } })
    const again = connectSocket(server, advisor.invite.token).socket
    expect((await connectError(again)).data).toMatchObject({ error: 'revoked' })
    again.close()
    expect((await call('GET', '', auditor.invite.token)).status).toBe(200)
    expect((await call('GET', '', invite(room, 'observer'))).status).toBe(200)
    expect(((await call('GET', '/observers', invite(room, 'lender'))).body as unknown as ObserverListResponse).observers.map((o) => o.id)).toEqual([
      'observer',
      auditor.observer.id,
    ])
    expect(await call('DELETE', `/observers/${advisor.observer.id}`, server.operatorKey)).toMatchObject({ status: 404 })

    // The log holds both additions and the revocation, and verifies.
    const archive = (await (await fetch(`${server.url}/api/rooms/${room.roomId}/archive`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })).json()) as {
      events: ArchiveEvent[]
    }
    expect(archive.events.filter((e) => e.type === 'observer_added').map((e) => e.actor.role)).toEqual(['borrower', 'system'])
    expect(archive.events.find((e) => e.type === 'observer_revoked')).toMatchObject({ actor: { role: 'borrower' }, payload: { observerId: advisor.observer.id, label: 'advisor', side: 'borrower' } })
    expect(verifyChain(archive.events).ok).toBe(true)

    for (const d of Object.values(docs)) d.destroy()
    for (const s of [...Object.values(sockets), lender]) s.socket.close()
  }, 20_000)

  it('numbers an observer whose name someone in the room already has', async () => {
    const twin = await add(server.operatorKey, { label: 'mediator', side: 'neutral', name: 'Li Na' })
    expect(twin.observer.name).toBe('Li Na 2')
    expect((await call('DELETE', `/observers/${twin.observer.id}`, server.operatorKey)).status).toBe(200)
  })

  it('revokes the first observer alone without touching the added ones', async () => {
    const counsel = await add(invite(room, 'lender'), { label: 'lawyer', side: 'lender', name: 'Zhao Lei' })
    const first = connectProvider(server, room.roomId, invite(room, 'observer'))
    const kept = connectProvider(server, room.roomId, counsel.invite.token)
    await Promise.all([first.synced, kept.synced])
    expect((await call('DELETE', '/observers/observer', server.operatorKey)).status).toBe(200)
    await waitFor(() => first.closes.length > 0, 'first observer closed', 3000)
    expect(first.closes[0]!.code).toBe(4401)
    await new Promise((r) => setTimeout(r, 200))
    expect(kept.closes).toEqual([])
    expect(await call('GET', '', invite(room, 'observer'))).toMatchObject({ status: 401, body: { error: 'revoked' } })
    first.destroy()
    kept.destroy()
  }, 20_000)
})
