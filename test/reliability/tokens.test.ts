// Tokens that end (issue #14 §6): a link that expires or is revoked while connected closes its
// connections on both transports; revoked links are refused everywhere while the new ones work;
// short secrets are refused at start; failed operator-key guesses share one budget for all addresses.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RoomClient, type Notice } from '../../client/src/lib/roomClient.ts'
import { startServer } from '../../server/app.ts'
import type { RoomEventLine } from '../../shared/protocol/chat.ts'
import type { Refusal } from '../../shared/protocol/errors.ts'
import { verifyChain, type ArchiveEvent } from '../../shared/protocol/eventLog.ts'
import type { CreateRoomResponse, RevokeInvitesResponse } from '../../shared/protocol/http.ts'
import {
  connectError,
  connectProvider,
  connectSocket,
  connected,
  emitAck,
  invite,
  rawYjs,
  startTestServer,
  waitFor,
  type TestProvider,
  type TestServer,
  type TestSocket,
} from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

interface Watched {
  socket: TestSocket
  ended: Refusal[]
  disconnects: string[]
  events: RoomEventLine[]
}

async function watchedSocket(server: TestServer, token: string): Promise<Watched> {
  const { socket } = connectSocket(server, token)
  const w: Watched = { socket, ended: [], disconnects: [], events: [] }
  socket.on('room:event', (e) => w.events.push(e))
  socket.on('session:ended', (r) => w.ended.push(r))
  socket.on('disconnect', (reason) => w.disconnects.push(reason))
  await connected(socket)
  return w
}

async function revoke(server: TestServer, roomId: string, body: unknown, key = server.operatorKey): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/api/rooms/${roomId}/invites/revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function getRoom(server: TestServer, roomId: string, token: string): Promise<{ status: number; error?: string }> {
  const res = await fetch(`${server.url}/api/rooms/${roomId}`, { headers: { Authorization: `Bearer ${token}` } })
  const body = (await res.json()) as { error?: string }
  return { status: res.status, ...(body.error ? { error: body.error } : {}) }
}

describe('a token that expires while connected', () => {
  let server: TestServer
  const suite = closeAfterAll()
  beforeAll(async () => {
    server = suite.track(await startTestServer())
  })

  it('closes the Yjs connection with 4401 token_expired and ends the socket.io socket with session:ended', async () => {
    const room = await server.createRoom({ title: 'Expiring' })
    // A JWT's exp is in whole seconds: this token lives 2 to 3 s.
    const short = (await server.tokens.issue({ room: room.roomId, role: 'borrower', name: 'Wang Fang' }, 3000)).token
    const lasting = connectProvider(server, room.roomId, invite(room, 'lender'))
    const doc = connectProvider(server, room.roomId, short)
    const sock = await watchedSocket(server, short)
    await Promise.all([doc.synced, lasting.synced])
    const connectedAt = Date.now()

    await waitFor(() => doc.closes.length > 0 && sock.disconnects.length > 0, 'both connections ended', 6000)
    expect(Date.now() - connectedAt).toBeGreaterThan(500)
    expect(doc.closes[0]!.code).toBe(4401)
    expect(doc.closes[0]!.reason).toBe('token_expired: your invitation has expired; ask for a new link')
    expect(sock.ended).toEqual([{ ok: false, error: 'token_expired', message: 'your invitation has expired; ask for a new link' }])
    expect(sock.disconnects).toEqual(['io server disconnect'])
    // Reconnecting with it is refused at the door; the other member's link goes on.
    expect((await rawYjs(server, room.roomId, short)).status).toBe(401)
    expect(lasting.closes).toEqual([])
    expect(lasting.provider.wsconnected).toBe(true)
    doc.destroy()
    lasting.destroy()
    sock.socket.close()
  }, 20_000)
})

describe('the browser client (client/src/lib/roomClient.ts) when its link ends', () => {
  let server: TestServer
  const suite = closeAfterAll()
  beforeAll(async () => {
    server = suite.track(await startTestServer())
  })

  async function openClient(roomId: string, token: string): Promise<{ client: RoomClient; notices: Notice[] }> {
    const client = new RoomClient({
      roomId,
      token,
      me: { role: 'borrower', name: 'Wang Fang' },
      origin: server.url,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    })
    const notices: Notice[] = []
    client.on((c) => {
      if (c === 'notice' && client.notice) notices.push(client.notice)
    })
    await waitFor(() => client.synced && client.socket.connected, 'client connected')
    return { client, notices }
  }

  it('stops both links and holds the reason to show, for an expiry and for a revocation', async () => {
    const room = await server.createRoom({ title: 'Client sees it' })
    const short = (await server.tokens.issue({ room: room.roomId, role: 'borrower', name: 'Wang Fang' }, 3000)).token
    const expiring = await openClient(room.roomId, short)
    const revoked = await openClient(room.roomId, invite(room, 'lender'))
    await waitFor(() => expiring.client.stopped !== null && !expiring.client.socket.connected, 'expired client stopped', 6000)
    expect(expiring.client.status).toBe('stopped')
    expect(expiring.client.stopped).toEqual({ code: 4401, reason: 'token_expired: your invitation has expired; ask for a new link' })
    expect(expiring.notices).toContainEqual({ kind: 'auth', error: 'token_expired' })

    expect(await revoke(server, room.roomId, { roles: ['lender'] })).toMatchObject({ status: 200 })
    await waitFor(() => revoked.client.stopped !== null && !revoked.client.socket.connected, 'revoked client stopped', 3000)
    expect(revoked.client.stopped?.reason).toMatch(/^revoked: /)
    expect(revoked.notices).toContainEqual({ kind: 'auth', error: 'revoked' })
    // Nothing keeps knocking: the document link does not reconnect, the socket stays down.
    const opens = server.yjs.connectionCount
    await new Promise((r) => setTimeout(r, 700))
    expect(server.yjs.connectionCount).toBe(opens)
    expect(revoked.client.socket.connected).toBe(false)
    expiring.client.destroy()
    revoked.client.destroy()
  }, 20_000)
})

describe('revoking a room’s invites', () => {
  let server: TestServer
  const suite = closeAfterAll()
  let a: CreateRoomResponse
  let b: CreateRoomResponse
  beforeAll(async () => {
    server = suite.track(await startTestServer())
    a = await server.createRoom({ title: 'Revoked room' })
    b = await server.createRoom({ title: 'Bystander room' })
  })

  it('closes every connection of the revoked roles at once, refuses the old links everywhere, and the new links work', async () => {
    const oldBorrower = invite(a, 'borrower')
    const oldLender = invite(a, 'lender')
    const docs: Record<string, TestProvider> = {
      borrower: connectProvider(server, a.roomId, oldBorrower),
      lender: connectProvider(server, a.roomId, oldLender),
      observer: connectProvider(server, a.roomId, invite(a, 'observer')),
      bystander: connectProvider(server, b.roomId, invite(b, 'borrower')),
    }
    const sockets = {
      borrower: await watchedSocket(server, oldBorrower),
      observer: await watchedSocket(server, invite(a, 'observer')),
      bystander: await watchedSocket(server, invite(b, 'borrower')),
    }
    await Promise.all(Object.values(docs).map((d) => d.synced))

    // Only the operator revokes; a bad body or an unknown room changes nothing.
    expect(await revoke(server, a.roomId, { roles: ['borrower'] }, oldLender)).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect(await revoke(server, a.roomId, { roles: ['borrower', 'mediator'] })).toMatchObject({ status: 400, body: { error: 'invalid_payload' } })
    expect(await revoke(server, a.roomId, { roles: [] })).toMatchObject({ status: 400, body: { error: 'invalid_payload' } })
    expect(await revoke(server, 'no-such-room', {})).toMatchObject({ status: 404, body: { error: 'not_found' } })
    expect(docs.borrower!.closes).toEqual([])

    const res = await revoke(server, a.roomId, { roles: ['borrower', 'lender'] })
    expect(res.status).toBe(200)
    const body = res.body as unknown as RevokeInvitesResponse
    expect(body.revoked).toEqual(['borrower', 'lender'])
    expect(Object.keys(body.invites).sort()).toEqual(['borrower', 'lender'])
    expect(body.invites.borrower!.url).toContain(`/room/${a.roomId}#token=`)

    await waitFor(() => docs.borrower!.closes.length > 0 && docs.lender!.closes.length > 0 && sockets.borrower.disconnects.length > 0, 'revoked connections closed', 3000)
    for (const role of ['borrower', 'lender']) {
      expect(docs[role]!.closes[0]!.code).toBe(4401)
      expect(docs[role]!.closes[0]!.reason).toMatch(/^revoked: /)
    }
    expect(sockets.borrower.ended).toMatchObject([{ error: 'revoked' }])
    expect(sockets.borrower.disconnects).toEqual(['io server disconnect'])
    // The observer of this room and everyone in the other room are untouched.
    await new Promise((r) => setTimeout(r, 200))
    expect(docs.observer!.closes).toEqual([])
    expect(docs.bystander!.closes).toEqual([])
    expect(sockets.observer.disconnects).toEqual([])
    expect(sockets.bystander.disconnects).toEqual([])
    // Those who stay see the line.
    await waitFor(() => sockets.observer.events.some((e) => e.type === 'revoked'), 'revoked line')
    expect(sockets.observer.events.find((e) => e.type === 'revoked')!.params).toMatchObject({ roles: ['borrower', 'lender'] })

    // The old links are refused at connect (Yjs upgrade, socket.io handshake) and over HTTP, with their own code.
    for (const old of [oldBorrower, oldLender]) {
      const up = await rawYjs(server, a.roomId, old)
      expect(up.status).toBe(401)
      expect(JSON.parse(up.body!)).toMatchObject({ error: 'revoked' })
      expect(await getRoom(server, a.roomId, old)).toEqual({ status: 401, error: 'revoked' })
      const { socket } = connectSocket(server, old)
      expect((await connectError(socket)).data).toMatchObject({ error: 'revoked' })
      socket.close()
    }
    // The new links work on every transport; the untouched observer link too.
    const fresh = connectProvider(server, a.roomId, body.invites.borrower!.token)
    await fresh.synced
    fresh.doc.getText('clauses').insert(0, 'after the revocation')
    await waitFor(() => server.registry.loaded(a.roomId)?.doc.getText('clauses').toString().includes('after the revocation') ?? false, 'new link writes')
    const freshSocket = await watchedSocket(server, body.invites.lender!.token)
    expect((await emitAck(freshSocket.socket, 'chat:send', { clientId: 'after-revoke', text: 'new link' })).ok).toBe(true)
    expect(await getRoom(server, a.roomId, body.invites.borrower!.token)).toEqual({ status: 200 })
    expect(await getRoom(server, a.roomId, invite(a, 'observer'))).toEqual({ status: 200 })
    expect(await getRoom(server, b.roomId, invite(b, 'borrower'))).toEqual({ status: 200 })

    // The room's log records it (who, which roles) and still verifies.
    const archive = (await (await fetch(`${server.url}/api/rooms/${a.roomId}/archive`, { headers: { Authorization: `Bearer ${server.operatorKey}` } })).json()) as {
      events: ArchiveEvent[]
    }
    const logged = archive.events.filter((e) => e.type === 'invites_revoked')
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatchObject({ actor: { role: 'system', name: 'operator' }, payload: { roles: ['borrower', 'lender'], generations: { borrower: 1, lender: 1, observer: 0 } } })
    expect(verifyChain(archive.events).ok).toBe(true)

    // No body: all three roles; the previous new links are revoked in turn.
    const all = await revoke(server, a.roomId, undefined)
    expect(all.status).toBe(200)
    expect((all.body as unknown as RevokeInvitesResponse).revoked).toEqual(['borrower', 'lender', 'observer'])
    await waitFor(() => fresh.closes.length > 0 && freshSocket.disconnects.length > 0 && docs.observer!.closes.length > 0, 'second revocation closed all', 3000)
    expect(await getRoom(server, a.roomId, body.invites.borrower!.token)).toEqual({ status: 401, error: 'revoked' })
    expect(docs.bystander!.closes).toEqual([])

    for (const d of [...Object.values(docs), fresh]) d.destroy()
    for (const s of [...Object.values(sockets), freshSocket]) s.socket.close()
  }, 30_000)

  it('keeps the revocation across a restart', async () => {
    const room = await server.createRoom({ title: 'Revoked before a restart' })
    const old = invite(room, 'observer')
    const res = await revoke(server, room.roomId, { roles: ['observer'] })
    const fresh = (res.body as unknown as RevokeInvitesResponse).invites.observer!.token
    server = await server.restart()
    expect(await getRoom(server, room.roomId, old)).toEqual({ status: 401, error: 'revoked' })
    expect(await getRoom(server, room.roomId, fresh)).toEqual({ status: 200 })
    expect(await getRoom(server, room.roomId, invite(room, 'borrower'))).toEqual({ status: 200 })
  })
})

describe('secrets shorter than 32 characters', () => {
  it('startServer refuses a short SECRET or OPERATOR_KEY with a clear error, and starts with long ones', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-secrets-'))
    const base = { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' }
    await expect(startServer({ ...base, secret: 'x'.repeat(31) })).rejects.toThrow(/^SECRET must be at least 32 characters \(got 31\)/)
    await expect(startServer({ ...base, operatorKey: 'short-key' })).rejects.toThrow(/^OPERATOR_KEY must be at least 32 characters \(got 9\)/)
    const s = await startServer({ ...base, secret: 's'.repeat(32), operatorKey: 'k'.repeat(32) })
    await s.close()
  })

  it('the server process prints the error and exits 1', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-secrets-'))
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SECRET: 'too-short', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe(
      'Negotiation room server did not start: SECRET must be at least 32 characters (got 9); unset it to have one generated, or make one with: openssl rand -base64 32',
    )
  }, 20_000)
})

describe('the global budget of failed operator-key authentications', () => {
  let server: TestServer
  const suite = closeAfterAll()
  beforeAll(async () => {
    server = suite.track(await startTestServer({ authFailuresPerMinute: 5, trustProxy: true }))
  })

  const asFrom = (address: string, key: string, p = '/api/rooms'): Promise<Response> =>
    fetch(`${server.url}${p}`, { headers: { Authorization: `Bearer ${key}`, 'X-Forwarded-For': address } })

  it('is shared by every address: once spent, even a fresh address with the right key gets 429 until it refills', async () => {
    const room = await server.createRoom({ title: 'Guessed at' })
    // Guesses from five addresses (a botnet rotating them): each is a plain 401.
    for (let i = 1; i <= 5; i++) expect((await asFrom(`203.0.113.${i}`, `guess-number-${i}-of-the-operator-key`)).status).toBe(401)
    // Room tokens are not guesses: they are judged as tokens and keep working.
    expect((await asFrom('203.0.113.50', invite(room, 'borrower'), `/api/rooms/${room.roomId}`)).status).toBe(200)
    // The budget is spent: a fresh address, a wrong or even the right key, on an operator or a room endpoint.
    for (const [address, key, p] of [
      ['198.51.100.7', 'another-guess-of-the-operator-key', '/api/rooms'],
      ['198.51.100.8', server.operatorKey, '/api/rooms'],
      ['198.51.100.9', server.operatorKey, `/api/rooms/${room.roomId}`],
    ] as const) {
      const res = await asFrom(address, key, p)
      expect(res.status, `${address} ${p}`).toBe(429)
      expect(await res.json()).toMatchObject({ error: 'rate_limited' })
      const retry = Number(res.headers.get('retry-after'))
      expect(retry).toBeGreaterThan(0)
      expect(retry).toBeLessThanOrEqual(60)
    }
    expect((await asFrom('203.0.113.51', invite(room, 'lender'), `/api/rooms/${room.roomId}`)).status).toBe(200)
  })
})
