// Hostile input: ≥10,000 seeded cases against the Yjs endpoint, the socket.io events and the HTTP
// bodies. The server stays up, a bystander room is untouched (document, log, live clients), memory
// stays bounded, and every sender gets a clear error. FUZZ_SEED=<n> reproduces a run.
import v8 from 'node:v8'
import vm from 'node:vm'
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { joinAs, lock } from '../helpers/negotiation.ts'
import { closed, connectProvider, connectSocket, connected, emitAck, invite, rawYjs, startTestServer, waitFor, type TestProvider, type TestServer, type TestSocket } from '../helpers/server.ts'

const SEED = Number(process.env.FUZZ_SEED ?? 20261123)
const YJS_CASES = Number(process.env.FUZZ_YJS ?? 4000)
const SOCKET_CASES = Number(process.env.FUZZ_SOCKET ?? 3000)
const HTTP_CASES = Number(process.env.FUZZ_HTTP ?? 3000)
const MAX_PAYLOAD = 256 * 1024
/** Heap growth allowed after everything is closed and collected. */
const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

/** mulberry32: a tiny seeded PRNG; every case derives from SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const rand = prng(SEED)
const int = (n: number): number => Math.floor(rand() * n)
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256))
const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder()
  write(e)
  return encoding.toUint8Array(e)
}

// ---- Yjs frames ----
type YjsCase = { kind: string; data: Uint8Array | string }

function realUpdate(): Uint8Array {
  const d = new Y.Doc()
  d.getText('clauses').insert(0, `fuzz ${int(1e6)}`)
  const u = Y.encodeStateAsUpdate(d)
  d.destroy()
  return u
}

function awarenessFlood(): Uint8Array {
  const d = new Y.Doc()
  const a = new Awareness(d)
  const ids: number[] = []
  const n = 1 + int(200)
  for (let i = 0; i < n; i++) {
    const id = 1 + int(2 ** 31)
    ;(a as unknown as { states: Map<number, unknown>; meta: Map<number, { clock: number; lastUpdated: number }> }).states.set(id, { user: { name: 'x'.repeat(int(500)) }, cursor: int(1e6) })
    ;(a as unknown as { meta: Map<number, { clock: number; lastUpdated: number }> }).meta.set(id, { clock: int(100), lastUpdated: Date.now() })
    ids.push(id)
  }
  const u = encodeAwarenessUpdate(a, ids)
  a.destroy()
  d.destroy()
  return frame((e) => {
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint8Array(e, u)
  })
}

function yjsCase(): YjsCase {
  switch (int(11)) {
    case 0:
      return { kind: 'random bytes', data: bytes(int(300)) }
    case 1:
      return { kind: 'truncated varint', data: Uint8Array.from({ length: 1 + int(12) }, () => 0x80 | int(128)) }
    case 2: {
      const big = pick([2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, MAX_PAYLOAD * 4, 1e9])
      return {
        kind: 'huge length prefix',
        data: frame((e) => {
          encoding.writeVarUint(e, pick([0, 1]))
          if (rand() < 0.5) encoding.writeVarUint(e, pick([0, 1, 2]))
          encoding.writeVarUint(e, big)
          encoding.writeUint8Array(e, bytes(int(64)))
        }),
      }
    }
    case 3:
      return {
        kind: 'framed garbage update',
        data: frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, pick([1, 2]))
          encoding.writeVarUint8Array(e, bytes(int(400)))
        }),
      }
    case 4: {
      const u = realUpdate()
      const m = u.slice(0, Math.max(1, int(u.length + 1)))
      for (let i = 0; i < 1 + int(4); i++) m[int(m.length)] = int(256)
      return {
        kind: 'mutated real update',
        data: frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, 2)
          encoding.writeVarUint8Array(e, m)
        }),
      }
    }
    case 5:
      return {
        kind: 'garbage state vector',
        data: frame((e) => {
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint(e, 0)
          encoding.writeVarUint8Array(e, bytes(int(40)))
        }),
      }
    case 6:
      return { kind: 'awareness flood', data: awarenessFlood() }
    case 7:
      return {
        kind: 'garbage awareness',
        data: frame((e) => {
          encoding.writeVarUint(e, 1)
          encoding.writeVarUint8Array(e, bytes(int(200)))
        }),
      }
    case 8:
      return { kind: 'unknown type', data: frame((e) => encoding.writeVarUint(e, 4 + int(1000))) }
    case 9:
      return { kind: 'text frame', data: 'x'.repeat(int(100)) }
    default:
      return rand() < 0.1 ? { kind: 'oversized', data: new Uint8Array(MAX_PAYLOAD + 1 + int(1000)) } : { kind: 'sync step 3+', data: Uint8Array.of(0, 3 + int(50), 0) }
  }
}

// ---- JSON payloads ----
const anything = fc.sample(fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: false, withDate: false, withMap: false, withSet: false, withTypedArray: false, withSparseArray: true }), { seed: SEED, numRuns: 500 })

function deep(depth: number): unknown {
  let v: unknown = 'bottom'
  for (let i = 0; i < depth; i++) v = rand() < 0.5 ? [v] : { a: v }
  return v
}

/** A hostile value for a payload whose valid shape is `valid`. */
function hostile(valid: Record<string, unknown>): { kind: string; value: unknown } {
  const keys = Object.keys(valid)
  switch (int(9)) {
    case 0:
      return { kind: 'anything', value: pick(anything) }
    case 1: {
      const v: Record<string, unknown> = { ...valid }
      v[pick(keys)] = pick<unknown>([42, -1, 1.5, null, true, [], {}, ['x'], 'x', '', NaN, { toString: 'x' }])
      return { kind: 'wrong type', value: v }
    }
    case 2: {
      const v: Record<string, unknown> = { ...valid }
      delete v[pick(keys)]
      return { kind: 'missing field', value: v }
    }
    case 3: {
      const v: Record<string, unknown> = { ...valid }
      v[pick(keys)] = 'A'.repeat(1000 + int(50_000))
      return { kind: 'giant string', value: v }
    }
    case 4:
      return { kind: '__proto__ key', value: JSON.parse(`{"__proto__":{"polluted":"yes","isAdmin":true}${keys.length ? ',' : ''}${JSON.stringify(valid).slice(1)}`) }
    case 5:
      return { kind: 'constructor key', value: { ...valid, constructor: { prototype: { polluted: 'yes' } } } }
    case 6:
      return { kind: 'deep nesting', value: { ...valid, [pick(keys)]: deep(200 + int(2000)) } }
    case 7:
      return { kind: 'extra field', value: { ...valid, [`x${int(100)}`]: int(10) } }
    default:
      return { kind: 'non-object', value: pick([null, 0, 'text', [], [valid], true]) }
  }
}

// ---- the run ----
let server: TestServer
let victim: CreateRoomResponse
let bystander: CreateRoomResponse
/** A locked room: amend and rating read their bodies only there. */
let signed: CreateRoomResponse
let watchers: { providers: TestProvider[]; sockets: TestSocket[]; disconnects: number }
const failures: string[] = []
const tally = new Map<string, number>()
const count = (k: string): void => void tally.set(k, (tally.get(k) ?? 0) + 1)

function fail(msg: string): void {
  if (failures.length < 50) failures.push(msg)
}

beforeAll(async () => {
  console.log(`FUZZ_SEED=${SEED} (yjs ${YJS_CASES}, socket ${SOCKET_CASES}, http ${HTTP_CASES})`)
  // Limits off: the fuzz should reach validation, not the rate limiter (tested in hardening.test.ts).
  server = await startTestServer({ maxPayload: MAX_PAYLOAD, socketRate: 1e6, socketBurst: 1e6, httpRate: 0, authFailuresPerMinute: 0, yjsUpdateRate: 0, yjsBytesRate: 0, yjsMessageRate: 0 })
  victim = await server.createRoom({ title: 'Victim' })
  bystander = await server.createRoom({ title: 'Bystander' })
  signed = await server.createRoom({ title: 'Signed' })
  const sb = await joinAs(server, signed, 'borrower')
  const sl = await joinAs(server, signed, 'lender')
  const locked = await lock(sb, sl)
  expect(locked.ok).toBe(true)
  sb.close()
  sl.close()
  const b = connectProvider(server, bystander.roomId, invite(bystander, 'borrower'))
  const l = connectProvider(server, bystander.roomId, invite(bystander, 'lender'))
  await Promise.all([b.synced, l.synced])
  b.doc.getText('clauses').insert(0, 'bystander clause')
  await waitFor(() => l.doc.getText('clauses').toString() === 'bystander clause', 'bystander sync')
  const s1 = connectSocket(server, invite(bystander, 'observer'))
  await connected(s1.socket)
  const ack = await emitAck(s1.socket, 'chat:send', { clientId: 'bystander-1', text: 'hello' })
  expect(ack.ok).toBe(true)
  watchers = { providers: [b, l], sockets: [s1.socket], disconnects: 0 }
  s1.socket.on('disconnect', () => watchers.disconnects++)
}, 60_000)

afterAll(async () => {
  for (const p of watchers?.providers ?? []) p.destroy()
  for (const s of watchers?.sockets ?? []) s.close()
  await server?.close()
  console.log(`fuzz cases by kind: ${JSON.stringify(Object.fromEntries([...tally].sort()))}`)
})

const ALLOWED_CLOSES = new Set<number>([CLOSE.invalidMessage, CLOSE.tooLarge, CLOSE.forbiddenWrite])

async function fuzzYjs(cases: number): Promise<void> {
  const token = invite(victim, 'borrower')
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cases) {
      const r = await rawYjs(server, victim.roomId, token)
      if (!r.ws) {
        fail(`yjs upgrade refused: ${r.status} ${r.body}`)
        return
      }
      const ws = r.ws
      const done = closed(ws)
      let open = true
      void done.then(() => (open = false))
      // Several frames per connection until the server closes it.
      const sent: string[] = []
      while (open && next < cases && sent.length < 20) {
        const c = yjsCase()
        next++
        count(`yjs:${c.kind}`)
        sent.push(c.kind)
        ws.send(c.data)
        await new Promise((res) => setImmediate(res))
      }
      if (open) {
        // Still open: it accepted everything (awareness, real updates); we hang up ourselves.
        const wait = await Promise.race([done, new Promise<null>((res) => setTimeout(() => res(null), 30))])
        if (wait) checkClose(wait, sent)
        else {
          ws.close()
          await done
        }
      } else checkClose(await done, sent)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}

function checkClose(c: { code: number; reason: string }, sent: string[]): void {
  if (!ALLOWED_CLOSES.has(c.code) || c.reason === '') fail(`yjs close ${c.code} "${c.reason}" after ${sent.join(', ')}`)
  else count(`yjs close ${c.code}`)
}

const SOCKET_EVENTS: [string, Record<string, unknown>][] = [
  ['chat:send', { clientId: 'c-1', text: 'hi' }],
  ['confirm', { hash: 'a'.repeat(64), fullName: 'Zhang Wei' }],
  ['confirm:withdraw', {}],
  ['rating:submit', { stars: 3, comment: 'ok' }],
]

async function fuzzSocket(cases: number): Promise<void> {
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

async function fuzzHttp(cases: number): Promise<void> {
  const borrower = invite(victim, 'borrower')
  const targets: { path: string; auth: string; valid: Record<string, unknown> }[] = [
    { path: '/api/rooms', auth: server.operatorKey, valid: { title: 't', currency: 'CNY', terms: { principal: 100000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' } } },
    { path: `/api/rooms/${victim.roomId}/rating`, auth: borrower, valid: { stars: 4 } },
    { path: `/api/rooms/${victim.roomId}/amend`, auth: borrower, valid: {} },
    { path: `/api/rooms/${signed.roomId}/amend`, auth: invite(signed, 'lender'), valid: { terms: { principal: 100000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' } } },
    { path: `/api/rooms/${signed.roomId}/rating`, auth: invite(signed, 'borrower'), valid: { stars: 5, comment: 'fine' } },
  ]
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cases) {
      next++
      let kind: string
      let res: Response
      const r = rand()
      if (r < 0.15) {
        // Hostile credentials and ids on reads.
        const token = pick(['', 'Bearer', `Bearer ${'x'.repeat(int(10_000))}`, `Bearer ${Buffer.from(bytes(40)).toString('base64url')}`, `Bearer eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ room: victim.roomId, role: 'lender', name: 'x', iss: 'negotiation-room' })).toString('base64url')}.`, `Basic ${server.operatorKey}`])
        const id = pick([victim.roomId, encodeURIComponent(String.fromCharCode(...bytes(10))), '..%2F..%2Fetc', 'x'.repeat(300), '%00', '__proto__', 'constructor'])
        kind = 'hostile auth/id'
        res = await fetch(`${server.url}/api/rooms/${id}${pick(['', '/archive', '/agreement', '/attachments', '/dispute-bundle'])}`, { headers: token ? { Authorization: token } : {} })
      } else if (r < 0.22) {
        // Attachment uploads: random bytes, lying content types, hostile file names.
        kind = 'hostile upload'
        const name = pick(['a.pdf', '../../etc/passwd', '%E0%A4%A', 'x'.repeat(5000), '\u0000.pdf', '<script>.png', ''])
        const body = rand() < 0.2 ? Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(bytes(int(2000)))]) : Buffer.from(bytes(int(3000)))
        res = await fetch(`${server.url}/api/rooms/${victim.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${borrower}`, 'Content-Type': pick(['application/pdf', 'image/png', 'image/jpeg', 'text/html', 'application/json']), 'X-File-Name': encodeURIComponent(name).slice(0, 6000) }, body })
      } else if (r < 0.3) {
        const t = pick(targets)
        kind = pick(['invalid json', 'wrong content-type', 'truncated json'])
        const body = kind === 'invalid json' ? String.fromCharCode(...bytes(50)) : kind === 'truncated json' ? JSON.stringify(t.valid).slice(0, 1 + int(10)) : JSON.stringify(t.valid)
        res = await fetch(`${server.url}${t.path}`, { method: 'POST', headers: { Authorization: `Bearer ${t.auth}`, 'Content-Type': kind === 'wrong content-type' ? pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) : 'application/json' }, body })
      } else {
        const t = pick(targets)
        const h = hostile(t.valid)
        kind = h.kind
        const body = h.kind === 'giant string' && rand() < 0.2 ? JSON.stringify({ ...t.valid, title: 'B'.repeat(300_000) }) : JSON.stringify(h.value) ?? 'null'
        res = await fetch(`${server.url}${t.path}`, { method: 'POST', headers: { Authorization: `Bearer ${t.auth}`, 'Content-Type': 'application/json' }, body })
      }
      count(`http:${kind}`)
      const text = await res.text()
      if (res.status >= 500) fail(`http ${kind}: ${res.status} ${text.slice(0, 200)}`)
      else if (res.status >= 400) {
        let body: { error?: unknown; message?: unknown } = {}
        try {
          body = JSON.parse(text) as typeof body
        } catch {
          /* not JSON */
        }
        if (typeof body.error !== 'string' || typeof body.message !== 'string') fail(`http ${kind}: ${res.status} without {error,message}: ${text.slice(0, 200)}`)
        else count(`http ${res.status} ${body.error}`)
      } else count(`http ${res.status}`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
}

describe('hostile input fuzz', () => {
  it(`survives ${YJS_CASES + SOCKET_CASES + HTTP_CASES} seeded cases (FUZZ_SEED=${SEED})`, async () => {
    const started = Date.now()
    const events = async (id: string): Promise<{ n: number; last: string }> => {
      const e = await server.store.readEvents(id)
      return { n: e.length, last: e.at(-1)?.hash ?? '' }
    }
    const bystanderDoc = (): string => JSON.stringify(server.registry.loaded(bystander.roomId)!.doc.toJSON())
    const before = { doc: bystanderDoc(), events: await events(bystander.roomId), history: server.registry.loaded(bystander.roomId)!.history().length }
    gc()
    const heapBefore = process.memoryUsage().heapUsed
    const rssBefore = process.memoryUsage().rss

    await Promise.all([fuzzYjs(YJS_CASES), fuzzSocket(SOCKET_CASES), fuzzHttp(HTTP_CASES)])
    const total = [...tally].filter(([k]) => /^(yjs|socket|http):/.test(k)).reduce((a, [, n]) => a + n, 0)

    // The server is up and answers.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    // No prototype was polluted.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    // The bystander room is untouched and its clients are still connected.
    expect(bystanderDoc()).toBe(before.doc)
    expect(await events(bystander.roomId)).toEqual(before.events)
    expect(server.registry.loaded(bystander.roomId)!.history().length).toBe(before.history)
    for (const p of watchers.providers) {
      expect(p.provider.wsconnected).toBe(true)
      expect(p.closes).toEqual([])
    }
    expect(watchers.sockets.every((s) => s.connected)).toBe(true)
    expect(watchers.disconnects).toBe(0)
    // Live sync in the bystander room still works.
    watchers.providers[0]!.doc.getText('clauses').insert(0, 'after ')
    await waitFor(() => watchers.providers[1]!.doc.getText('clauses').toString().startsWith('after '), 'bystander sync after fuzz')
    // The attackers' awareness states are gone with them.
    await waitFor(() => (server.registry.loaded(victim.roomId)?.awareness.getStates().size ?? 0) === 0, 'victim awareness cleared', 5000)
    // Memory is bounded once the attackers are gone.
    await new Promise((r) => setTimeout(r, 200))
    gc()
    const heapAfter = process.memoryUsage().heapUsed
    const rssAfter = process.memoryUsage().rss
    const seconds = (Date.now() - started) / 1000
    console.log(
      `fuzz: ${total} cases in ${seconds.toFixed(1)} s; heap ${(heapBefore / 2 ** 20).toFixed(1)} → ${(heapAfter / 2 ** 20).toFixed(1)} MiB, rss ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
    )
    expect(failures).toEqual([])
    expect(total).toBeGreaterThanOrEqual(YJS_CASES + SOCKET_CASES + HTTP_CASES)
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_LIMIT)
    expect(seconds).toBeLessThan(120)
  }, 180_000)

  it('an awareness flood (thousands of made-up clients) is closed with 4400 and leaves nothing behind', async () => {
    const r = await rawYjs(server, victim.roomId, invite(victim, 'lender'))
    const ws = r.ws!
    const done = closed(ws)
    gc()
    const heapBefore = process.memoryUsage().heapUsed
    let next = 1_000_000
    for (let m = 0; m < 200 && ws.readyState === WebSocket.OPEN; m++) {
      const d = new Y.Doc()
      const a = new Awareness(d)
      const states = (a as unknown as { states: Map<number, unknown>; meta: Map<number, { clock: number; lastUpdated: number }> })
      const ids: number[] = []
      for (let i = 0; i < 100; i++) {
        states.states.set(next, { user: { name: 'x'.repeat(1000) } })
        states.meta.set(next, { clock: 1, lastUpdated: Date.now() })
        ids.push(next++)
      }
      ws.send(frame((e) => {
        encoding.writeVarUint(e, 1)
        encoding.writeVarUint8Array(e, encodeAwarenessUpdate(a, ids))
      }))
      a.destroy()
      d.destroy()
    }
    const c = await done
    expect(c.code).toBe(CLOSE.invalidMessage)
    expect(c.reason).toMatch(/^awareness_flood/)
    await waitFor(() => (server.registry.loaded(victim.roomId)?.awareness.getStates().size ?? 0) === 0, 'flood states removed')
    gc()
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024)
    // A real client (one awareness client) still works in that room.
    const p = connectProvider(server, victim.roomId, invite(victim, 'borrower'))
    await p.synced
    p.provider.awareness.setLocalStateField('user', { name: 'ok' })
    await waitFor(() => (server.registry.loaded(victim.roomId)?.awareness.getStates().size ?? 0) === 1, 'real awareness')
    expect(p.closes).toEqual([])
    p.destroy()
  }, 60_000)
})
