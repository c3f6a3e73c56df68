// Hardening: security headers, and no secret or token in any log line during a whole session
// (the real logger at trace level, captured).
import fs from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/log.ts'
import { Tokens } from '../../server/auth/tokens.ts'
import { minimalPdf } from '../helpers/evidenceFiles.ts'
import { joinAs, lock } from '../helpers/negotiation.ts'
import { closed, connectProvider, connectSocket, connectError, emitAck, invite, rawYjs, startTestServer, waitFor, type TestServer } from '../helpers/server.ts'
import { closeAfterAll } from '../helpers/teardown.ts'

describe('security headers', () => {
  let server: TestServer
  const suite = closeAfterAll()
  beforeAll(async () => {
    server = suite.track(await startTestServer())
  })

  it('helmet headers are on API answers, errors and the client', async () => {
    for (const p of ['/api/public-key', '/api/rooms', '/api/nope', '/healthz', '/']) {
      const res = await fetch(`${server.url}${p}`)
      const h = res.headers
      expect(h.get('content-security-policy'), p).toContain("default-src 'self'")
      expect(h.get('x-content-type-options'), p).toBe('nosniff')
      expect(h.get('x-frame-options'), p).toBe('SAMEORIGIN')
      expect(h.get('strict-transport-security'), p).toMatch(/max-age=\d+/)
      expect(h.get('referrer-policy'), p).toBe('no-referrer')
      expect(h.get('cross-origin-opener-policy'), p).toBe('same-origin')
      expect(h.get('x-powered-by'), p).toBeNull()
      if (p.startsWith('/api')) expect(h.get('cache-control'), p).toBe('no-store')
    }
  })
})

describe('no secret or token in any log line', () => {
  it('a whole session at trace level logs none of the operator key, the token secret or any token', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
        done()
      },
    })
    const logger = createLogger('trace', sink)
    const server = await startTestServer({ logger })
    try {
      const room = await server.createRoom({ title: 'Logged room' })
      const other = await server.createRoom({ title: 'Other' })
      const tokens = [...Object.values(room.invites), ...Object.values(other.invites)].map((i) => i.token)
      const expired = (await server.tokens.issue({ room: room.roomId, role: 'lender', name: 'Late' }, -60_000)).token
      const forged = (await new Tokens('forger', 60_000).issue({ room: room.roomId, role: 'lender', name: 'M' })).token
      tokens.push(expired, forged)

      // Everything a session does, including the failures that get logged.
      const b = await joinAs(server, room, 'borrower')
      const l = await joinAs(server, room, 'lender')
      const o = connectProvider(server, room.roomId, invite(room, 'observer'))
      await o.synced
      await emitAck(b.socket, 'chat:send', { clientId: 'log-1', text: `my token is ${invite(room, 'borrower')}` })
      await emitAck(l.socket, 'confirm', { hash: '0'.repeat(64), fullName: 'Li Na' })
      await emitAck(l.socket, 'chat:send', { clientId: 'bad id with spaces', text: 'x' })
      o.doc.getText('clauses').insert(0, 'observer tries')
      // A forbidden write: the lender writes the borrower's profile (closed with 4403, logged).
      const bad = connectProvider(server, room.roomId, invite(room, 'lender'))
      await bad.synced
      bad.doc.getMap('profile').set('monthlyIncome', 1)
      await waitFor(() => bad.closes.length > 0, 'forbidden write closed')
      bad.destroy()
      for (const t of [expired, forged, invite(other, 'borrower'), server.operatorKey]) {
        const r = await rawYjs(server, room.roomId, t)
        r.ws?.close()
        await fetch(`${server.url}/api/rooms/${room.roomId}?token=${encodeURIComponent(t)}`, { headers: { Authorization: `Bearer ${t}` } })
        const { socket } = connectSocket(server, t)
        await connectError(socket).catch(() => {})
        socket.close()
      }
      const raw = await rawYjs(server, room.roomId, invite(room, 'borrower'))
      raw.ws!.send(Uint8Array.of(0, 2, 200, 1))
      await closed(raw.ws!)
      await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { Authorization: `Bearer ${server.operatorKey}`, 'Content-Type': 'application/json' }, body: '{"title":' })
      await fetch(`${server.url}/api/rooms/${room.roomId}/attachments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${invite(room, 'borrower')}`, 'Content-Type': 'application/pdf', 'X-File-Name': 'a.pdf' },
        body: Buffer.from(minimalPdf('log')),
      })
      await fetch(`${server.url}/api/rooms/${room.roomId}/archive`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
      const ack = await lock(b, l)
      expect(ack.ok).toBe(true)
      await fetch(`${server.url}/api/rooms/${room.roomId}/agreement`, { headers: { Authorization: `Bearer ${invite(room, 'lender')}` } })
      b.close()
      l.close()
      o.destroy()
      await waitFor(() => server.yjs.connectionCount === 0, 'connections closed')

      const secret = fs.readFileSync(path.join(server.dataDir, 'token.secret'), 'utf8').trim()
      const signingKey = fs.readFileSync(path.join(server.dataDir, 'signing-key.pem'), 'utf8')
      const keyBody = signingKey.split('\n').filter((x) => x && !x.startsWith('-----')).join('')
      await server.close()
      logger.flush()
      await new Promise((r) => setTimeout(r, 50))

      expect(lines.length).toBeGreaterThan(20)
      const secrets: [string, string][] = [
        ['operator key', server.operatorKey],
        ['token secret', secret],
        ['signing key', keyBody.slice(0, 40)],
        ...tokens.map((t, i): [string, string] => [`token ${i}`, t]),
        // A token's signature alone is as bad as the whole token.
        ...tokens.map((t, i): [string, string] => [`token ${i} signature`, t.split('.')[2]!]),
      ]
      const leaks: string[] = []
      for (const line of lines) {
        for (const [what, value] of secrets) if (value && line.includes(value)) leaks.push(`${what} in: ${line.slice(0, 300)}`)
        if (/eyJhbGciOi/.test(line)) leaks.push(`a JWT in: ${line.slice(0, 300)}`)
      }
      console.log(`log capture: ${lines.length} lines checked against ${secrets.length} secrets`)
      expect(leaks).toEqual([])
    } finally {
      await server.close()
    }
  }, 60_000)
})

describe('origin check on the websockets', () => {
  let server: TestServer
  const suite = closeAfterAll()
  beforeAll(async () => {
    server = suite.track(await startTestServer({ allowedOrigins: ['https://partner.example'] }))
  })

  async function yjsWith(origin: string | undefined, token: string, roomId: string): Promise<number> {
    const { default: WebSocket } = await import('ws')
    const ws = new WebSocket(`${server.wsUrl}/yjs/${roomId}?token=${encodeURIComponent(token)}`, origin ? { origin } : {})
    return new Promise((resolve) => {
      ws.once('open', () => {
        ws.close()
        resolve(101)
      })
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.once('error', () => {})
    })
  }

  async function socketWith(origin: string | undefined, token: string): Promise<string> {
    const { io } = await import('socket.io-client')
    const socket = io(server.url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, ...(origin ? { extraHeaders: { Origin: origin } } : {}) })
    return new Promise((resolve) => {
      socket.once('connect', () => {
        socket.close()
        resolve('connected')
      })
      socket.once('connect_error', (err) => {
        socket.close()
        resolve(`refused: ${err.message}`)
      })
    })
  }

  it('allows no Origin, the same origin and ALLOWED_ORIGINS; refuses a foreign one (Yjs and socket.io)', async () => {
    const room = await server.createRoom()
    const token = invite(room, 'borrower')
    const cases: [string | undefined, boolean][] = [
      [undefined, true],
      [server.url, true],
      [server.url.replace('127.0.0.1', 'localhost'), false],
      ['https://partner.example', true],
      ['https://evil.example', false],
      ['null', false],
      ['not a url', false],
    ]
    for (const [origin, allowed] of cases) {
      expect(await yjsWith(origin, token, room.roomId), `yjs ${origin}`).toBe(allowed ? 101 : 403)
      const s = await socketWith(origin, token)
      if (allowed) expect(s, `socket.io ${origin}`).toBe('connected')
      else expect(s, `socket.io ${origin}`).toMatch(/^refused/)
    }
  })
})

describe('rate limits', () => {
  it('HTTP: a budget per address answers 429 JSON with Retry-After once the burst is spent', async () => {
    const server = await startTestServer({ httpRate: 5, httpBurst: 10 })
    try {
      const statuses: number[] = []
      let limited: Response | null = null
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`${server.url}/api/public-key`)
        statuses.push(res.status)
        if (res.status === 429 && !limited) limited = res
        else await res.arrayBuffer()
      }
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true)
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15)
      // The burst's window (10 / 5 per s = 2 s) is what is left to wait.
      const retryAfter = Number(limited!.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      expect(retryAfter).toBeLessThanOrEqual(2)
      expect(await limited!.json()).toMatchObject({ error: 'rate_limited', message: expect.any(String) })
      // Health checks are outside /api and never limited; the budget comes back after Retry-After.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
      await new Promise((r) => setTimeout(r, retryAfter * 1000))
      expect((await fetch(`${server.url}/api/public-key`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('socket.io: commands beyond the per-connection burst get a rate_limited ack, and the connection stays', async () => {
    const server = await startTestServer({ socketRate: 5, socketBurst: 10 })
    try {
      const room = await server.createRoom()
      const { socket } = connectSocket(server, invite(room, 'borrower'))
      await new Promise<void>((r) => socket.once('connect', () => r()))
      const acks = await Promise.all(Array.from({ length: 30 }, (_, i) => emitAck(socket, 'chat:send', { clientId: `rl-${i}`, text: 'flood' })))
      expect(acks.filter((a) => a.ok).length).toBe(10)
      expect(acks.filter((a) => a.error === 'rate_limited').length).toBe(20)
      expect(socket.connected).toBe(true)
      socket.close()
    } finally {
      await server.close()
    }
  })
})
