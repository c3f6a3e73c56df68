// Load generator for test/bench/server.bench.ts, run as a forked process: real y-websocket@3
// providers, 2 editors + 1 observer per room. Both editors of a room live in this process, so
// the latency from an edit to its arrival at the other editor is measured on one clock.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export interface BenchRoom {
  roomId: string
  /** Tokens per role; absent for the reference server. */
  tokens?: { borrower: string; lender: string; observer: string }
  /** With several server processes: which one each role connects to (else the setup's url). */
  urls?: { borrower: string; lender: string; observer: string }
}

export type ToClients =
  | { type: 'setup'; url: string; rooms: BenchRoom[]; editsPerSecond: number }
  | { type: 'start'; warmupMs: number; measureMs: number; drainMs: number }

export type FromClients =
  | { type: 'ready'; connected: number; setupMs: number }
  | {
      type: 'result'
      latencies: number[]
      edits: number
      undelivered: number
      received: number
      closes: number
      /** Event-loop delay as monitorEventLoopDelay reports it: probe intervals, so at least loopDelayProbeMs. */
      loopDelayP99Ms: number
      loopDelayMaxMs: number
      loopDelayProbeMs: number
      cpuMs: number
    }

interface Editor {
  doc: Y.Doc
  provider: WebsocketProvider
  /** [clock after the edit, time of the edit] of edits not yet seen by the other editor */
  pending: [number, number][]
}

const LOOP_PROBE_MS = 5

// Every provider registers a process 'exit' handler.
process.setMaxListeners(0)

const send = (m: FromClients): void => {
  process.send!(m)
}

let url = ''
let editsPerSecond = 2
const editors: [Editor, Editor][] = []
const observers: WebsocketProvider[] = []
let closes = 0
let received = 0
let recording = false
const latencies: number[] = []
let edits = 0

function provider(room: BenchRoom, role: 'borrower' | 'lender' | 'observer', doc: Y.Doc): WebsocketProvider {
  const base = room.urls?.[role] ?? url
  const p = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/yjs`, room.roomId, doc, {
    params: room.tokens ? { token: room.tokens[role] } : {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  })
  p.on('connection-close', () => {
    closes++
  })
  return p
}

function synced(p: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    if (p.synced) return resolve()
    p.on('sync', (s: boolean) => s && resolve())
  })
}

async function setup(rooms: BenchRoom[]): Promise<void> {
  const t0 = performance.now()
  const waits: Promise<void>[] = []
  for (const room of rooms) {
    const pair = (['borrower', 'lender'] as const).map((role) => {
      const doc = new Y.Doc()
      return { doc, provider: provider(room, role, doc), pending: [] } as Editor
    }) as [Editor, Editor]
    for (const [me, other] of [pair, [pair[1], pair[0]]] as [Editor, Editor][]) {
      me.doc.on('update', (_u: Uint8Array, origin: unknown) => {
        if (origin !== me.provider) return
        received++
        const reached = Y.getState(me.doc.store, other.doc.clientID)
        const now = performance.now()
        while (other.pending.length > 0 && other.pending[0]![0] <= reached) {
          const [, t] = other.pending.shift()!
          if (recording) latencies.push(now - t)
        }
      })
    }
    editors.push(pair)
    const obsDoc = new Y.Doc()
    const obs = provider(room, 'observer', obsDoc)
    obsDoc.on('update', () => {
      received++
    })
    observers.push(obs)
    waits.push(synced(pair[0].provider), synced(pair[1].provider), synced(obs))
    // Do not open every socket in the same tick: a burst of 600 handshakes is a different benchmark.
    if (editors.length % 20 === 0) await new Promise((r) => setTimeout(r, 20))
  }
  await Promise.all(waits)
  send({ type: 'ready', connected: editors.length * 3, setupMs: Math.round(performance.now() - t0) })
}

function edit(e: Editor): void {
  const t = performance.now()
  if (Math.random() < 0.5) {
    e.doc.getMap('terms').set('termMonths', 6 + Math.floor(Math.random() * 354))
  } else {
    const text = e.doc.getText('clauses')
    e.doc.transact(() => {
      if (text.length > 400) text.delete(0, 50)
      text.insert(text.length, String.fromCharCode(97 + Math.floor(Math.random() * 26)))
    })
  }
  e.pending.push([Y.getState(e.doc.store, e.doc.clientID), t])
  edits++
}

async function run(warmupMs: number, measureMs: number, drainMs: number): Promise<void> {
  const period = 1000 / editsPerSecond
  const timers: NodeJS.Timeout[] = []
  for (const pair of editors) {
    for (const e of pair) {
      // Random phase so the edits are spread over the second, as people type.
      const start = setTimeout(() => {
        edit(e)
        timers.push(setInterval(() => edit(e), period))
      }, Math.random() * period)
      timers.push(start)
    }
  }
  await new Promise((r) => setTimeout(r, warmupMs))
  recording = true
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_PROBE_MS })
  loopDelay.enable()
  const cpu0 = process.cpuUsage()
  const editsAtStart = edits
  const receivedAtStart = received
  await new Promise((r) => setTimeout(r, measureMs))
  for (const t of timers) clearInterval(t)
  const measuredEdits = edits - editsAtStart
  const measuredReceived = received - receivedAtStart
  loopDelay.disable()
  const cpu = process.cpuUsage(cpu0)
  await new Promise((r) => setTimeout(r, drainMs))
  recording = false
  let undelivered = 0
  for (const pair of editors) for (const e of pair) undelivered += e.pending.length
  send({
    type: 'result',
    latencies,
    edits: measuredEdits,
    undelivered,
    received: measuredReceived,
    closes,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
    loopDelayProbeMs: LOOP_PROBE_MS,
    cpuMs: (cpu.user + cpu.system) / 1000,
  })
  for (const pair of editors) for (const e of pair) e.provider.destroy()
  for (const o of observers) o.destroy()
  setTimeout(() => process.exit(0), 100)
}

process.on('message', (m: ToClients) => {
  if (m.type === 'setup') {
    url = m.url
    editsPerSecond = m.editsPerSecond
    void setup(m.rooms)
  } else if (m.type === 'start') {
    void run(m.warmupMs, m.measureMs, m.drainMs)
  }
})
