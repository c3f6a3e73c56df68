// A recorded negotiation for tests and the replay bench: two editors (borrower, lender) on their own
// Y.Docs change terms and type clauses, a third doc plays the server (applies, logs, relays), chat
// and presence events are interleaved. Deterministic for a given seed.
import { toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { canonicalJson } from '../../../shared/document/canonicalJson.ts'
import { contentHashOfDoc } from '../../../shared/content/contentHash.ts'
import { readContent, ROOT, writeMap, type Scalar } from '../../../shared/document/roomDoc.ts'
import { sha256Hex } from '../../../shared/document/sha256.ts'
import { GENESIS_HASH, eventHash, type ArchiveEvent } from '../../../shared/protocol/eventLog.ts'
import type { Actor } from '../../../shared/protocol/room.ts'

/** mulberry32: a small seeded PRNG, so a failing property or bench run can be repeated. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Appends hash-chained events exactly as the store does (payload bytes hashed as base64). */
export class LogWriter {
  readonly events: ArchiveEvent[] = []
  private prevHash = GENESIS_HASH

  constructor(private readonly sha256: (s: string) => string = sha256Hex) {}

  append(actor: Actor, type: string, payload: Uint8Array | Record<string, unknown>, ts: number): ArchiveEvent {
    const seq = this.events.length + 1
    const fields = { seq, ts, actor: { role: actor.role, name: actor.name }, type, payload }
    const hash = eventHash(this.prevHash, fields, this.sha256)
    const e: ArchiveEvent = {
      ...fields,
      payload: payload instanceof Uint8Array ? toBase64(payload) : payload,
      prevHash: this.prevHash,
      hash,
    }
    this.events.push(e)
    this.prevHash = hash
    return e
  }
}

export interface SessionOptions {
  /** Update events to produce after the initial terms (the log has more events: chat, presence…). */
  updates: number
  seed?: number
  /** One chat line per this many updates on average (0: none). */
  chatEvery?: number
  /** Probability that both editors change something before they hear of each other. */
  concurrency?: number
  /** Record the live server document's content (canonical JSON) after every seq. */
  record?: boolean
  /** End with both confirmations and a lock event carrying the content hash. */
  lock?: boolean
  startTs?: number
  sha256?: (s: string) => string
  /** Record the room id in the creation event, as rooms created since the binding do (else an older room's log). */
  roomId?: string
}

export interface RecordedSession {
  events: ArchiveEvent[]
  /** contentAt[seq] = canonicalJson(readContent(server doc)) after the event at seq (when `record`). */
  contentAt: string[]
  /** The editors' own documents at the end (in sync with the server). */
  borrower: Y.Doc
  lender: Y.Doc
  server: Y.Doc
  /** Seqs after which both editors' documents were in sync with the server, with their content then. */
  syncedAt: Map<number, { borrower: string; lender: string }>
  title: string
  currency: string
}

export const BORROWER: Actor = { role: 'borrower', name: '张伟' }
export const LENDER: Actor = { role: 'lender', name: 'Wang' }
export const OBSERVER: Actor = { role: 'observer', name: 'Mediator Li' }
export const OPERATOR: Actor = { role: 'system', name: 'operator' }

const WORDS = [
  'The', 'borrower', 'repays', 'monthly', 'by', 'bank', 'transfer;', 'late', 'fees', 'are', 'waived', 'for', 'March.',
  '借款人', '承诺', '按时', '还款。', 'grace', 'period', 'of', 'three', 'months', 'starting', 'April', '1st,', 'penalty',
  'interest', 'is', 'cancelled', 'if', 'the', 'schedule', 'is', 'kept.',
]
const RATES = ['4.90', '4.35', '4.50', '3.85', '5.10', '4.20']
const TERMS_MONTHS = [24, 36, 48, 60]
const METHODS = ['annuity', 'equal_principal', 'interest_only', 'annuity']
const CHAT = ['Could we stretch the term to 48 months?', '我们可以考虑免除罚息。', 'That rate works for us.', 'Please check clause 2.', 'OK, confirming soon.']

type Editor = { actor: Actor; doc: Y.Doc; cursor: number }

/** Records a session; every update event is what the server would have stored, in arrival order. */
export function recordSession(options: SessionOptions): RecordedSession {
  const rand = prng(options.seed ?? 1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const log = new LogWriter(options.sha256)
  const record = options.record ?? false
  const contentAt: string[] = ['']
  const syncedAt = new Map<number, { borrower: string; lender: string }>()
  const title = 'Restructuring of loan 2023-118'
  const currency = 'CNY'
  let ts = options.startTs ?? Date.UTC(2025, 2, 14, 6, 0, 0)
  const tick = (): number => (ts += 200 + Math.floor(rand() * 4_000))

  // Client ids decide how concurrent inserts are ordered: seeded, so the same seed gives the same log.
  const newDoc = (): Y.Doc => {
    const d = new Y.Doc()
    d.clientID = 1 + Math.floor(rand() * 0x7fffffff)
    return d
  }
  const server = newDoc()
  const snap = (): void => {
    if (record) contentAt[log.events.length] = canonicalJson(readContent(server))
  }
  const append = (actor: Actor, type: string, payload: Uint8Array | Record<string, unknown>): void => {
    log.append(actor, type, payload, tick())
    snap()
  }

  append(OPERATOR, 'create', {
    ...(options.roomId !== undefined ? { roomId: options.roomId } : {}),
    title,
    currency,
    invites: [
      { role: 'borrower', name: BORROWER.name },
      { role: 'lender', name: LENDER.name },
      { role: 'observer', name: OBSERVER.name, label: 'mediator' },
    ],
  })
  const init = newDoc()
  writeMap(init, ROOT.terms, { principal: 12_000_000, annualRatePct: '4.90', termMonths: 36, method: 'annuity' })
  const initial = Y.encodeStateAsUpdate(init)
  init.destroy()
  Y.applyUpdate(server, initial)
  append(OPERATOR, 'update', initial)

  const editors: Editor[] = [BORROWER, LENDER].map((actor) => {
    const doc = newDoc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
    return { actor, doc, cursor: 0 }
  })
  const [borrower, lender] = editors as [Editor, Editor]
  for (const a of [BORROWER, LENDER, OBSERVER]) append(a, 'join', {})

  /** One local change; returns the update it produced (null when it changed nothing). */
  const edit = (ed: Editor): Uint8Array | null => {
    let update: Uint8Array | null = null
    const capture = (u: Uint8Array): void => {
      update = update ? Y.mergeUpdates([update, u]) : u
    }
    ed.doc.on('update', capture)
    const text = ed.doc.getText(ROOT.clauses)
    const r = rand()
    ed.cursor = Math.min(ed.cursor, text.length)
    if (r < 0.7) {
      // Typing: one word or a few characters at the cursor, as a keystroke batch.
      const word = rand() < 0.5 ? `${pick(WORDS)} ` : pick(WORDS).slice(0, 1 + Math.floor(rand() * 3))
      text.insert(ed.cursor, word)
      ed.cursor += word.length
    } else if (r < 0.78 && text.length > 0) {
      const at = Math.floor(rand() * text.length)
      const n = Math.min(text.length - at, 1 + Math.floor(rand() * 6))
      text.delete(at, n)
      ed.cursor = at
    } else if (r < 0.8) {
      ed.cursor = Math.floor(rand() * (text.length + 1))
      text.insert(ed.cursor, '\n')
      ed.cursor += 1
    } else {
      const values: Record<string, Scalar> = {}
      const t = rand()
      if (t < 0.5) values['annualRatePct'] = pick(RATES)
      else if (t < 0.7) values['termMonths'] = pick(TERMS_MONTHS)
      else if (t < 0.85) values['principal'] = 10_000_000 + Math.floor(rand() * 40) * 100_000
      else if (ed.actor.role === 'borrower') writeMap(ed.doc, ROOT.profile, { monthlyIncome: 1_000_000 + Math.floor(rand() * 50) * 10_000, monthlyExpenses: 600_000 })
      else values['method'] = pick(METHODS)
      if (Object.keys(values).length > 0) writeMap(ed.doc, ROOT.terms, values)
    }
    ed.doc.off('update', capture)
    return update
  }

  /** The server takes an update: applies, logs, relays to the other editors. */
  const receive = (from: Editor, update: Uint8Array): void => {
    Y.applyUpdate(server, update)
    append(from.actor, 'update', update)
    for (const other of editors) if (other !== from) Y.applyUpdate(other.doc, update)
  }

  const chatEvery = options.chatEvery ?? 8
  let produced = 0
  while (produced < options.updates) {
    const concurrent = options.updates - produced >= 2 && rand() < (options.concurrency ?? 0.1)
    if (concurrent) {
      const a = edit(borrower)
      const b = edit(lender)
      const order: [Editor, Uint8Array | null][] = rand() < 0.5 ? [[borrower, a], [lender, b]] : [[lender, b], [borrower, a]]
      for (const [ed, u] of order) {
        if (u) {
          receive(ed, u)
          produced++
        }
      }
    } else {
      const ed = rand() < 0.5 ? borrower : lender
      const u = edit(ed)
      if (u) {
        receive(ed, u)
        produced++
      }
    }
    if (record) {
      syncedAt.set(log.events.length, {
        borrower: canonicalJson(readContent(borrower.doc)),
        lender: canonicalJson(readContent(lender.doc)),
      })
    }
    if (chatEvery > 0 && rand() < 1 / chatEvery) {
      const who = pick([BORROWER, LENDER, OBSERVER])
      append(who, 'chat', { id: `msg-${log.events.length + 1}`, clientId: `c-${log.events.length + 1}`, text: pick(CHAT) })
    }
  }

  if (options.lock) {
    const hash = contentHashOfDoc(server)
    append(BORROWER, 'confirm', { hash, fullName: '张伟' })
    append(LENDER, 'confirm', { hash, fullName: 'Wang Lei' })
    append(OPERATOR, 'lock', { contentHash: hash })
  }
  return { events: log.events, contentAt, borrower: borrower.doc, lender: lender.doc, server, syncedAt, title, currency }
}
