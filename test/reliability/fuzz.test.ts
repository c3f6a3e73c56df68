// Hostile input: ≥10,000 seeded cases against the Yjs endpoint, the socket.io events and the HTTP
// bodies. The server stays up, a bystander room is untouched (document, log, live clients), memory
// stays bounded, and every sender gets a clear error. FUZZ_SEED=<n> reproduces a run.
import v8 from 'node:v8'
import vm from 'node:vm'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { fuzzHttp } from '../helpers/fuzz/fuzzHttp.ts'
import type { FuzzRun } from '../helpers/fuzz/FuzzRun.ts'
import { fuzzSocket } from '../helpers/fuzz/fuzzSocket.ts'
import { fuzzYjs } from '../helpers/fuzz/fuzzYjs.ts'
import { SEED } from '../helpers/fuzz/seededRandom.ts'
import { frame, MAX_PAYLOAD } from '../helpers/fuzz/yjsFrames.ts'
import { joinAs, lock } from '../helpers/negotiation.ts'
import { closed, connectProvider, connectSocket, connected, emitAck, invite, rawYjs, startTestServer, waitFor, type TestProvider, type TestServer, type TestSocket } from '../helpers/server.ts'

const YJS_CASES = Number(process.env.FUZZ_YJS ?? 4000)
const SOCKET_CASES = Number(process.env.FUZZ_SOCKET ?? 3000)
const HTTP_CASES = Number(process.env.FUZZ_HTTP ?? 3000)
/** Heap growth allowed after everything is closed and collected. */
const HEAP_GROWTH_LIMIT = 64 * 1024 * 1024

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

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

    const run: FuzzRun = { server, victim, signed, count, fail }
    await Promise.all([fuzzYjs(run, YJS_CASES), fuzzSocket(run, SOCKET_CASES), fuzzHttp(run, HTTP_CASES)])
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
