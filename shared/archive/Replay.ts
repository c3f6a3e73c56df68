// Rebuilds a room at any seq from its archived event log (DESIGN.md "Archive and replay").
// Isomorphic: the replay view runs it in the browser. A jump restores the nearest checkpoint
// (Y.encodeStateAsUpdate every K updates) into a fresh Y.Doc and applies at most K − 1 updates.
import * as Y from 'yjs'
import { checkContent } from '../content/validateContent.ts'
import { hashContent } from '../content/contentHash.ts'
import { readContent, ROOT, type RoomContent, type Scalar } from '../document/roomDoc.ts'
import { EVENT_LINE_TYPES, type ChatMessage, type HistoryItem, type RoomEventLine } from '../protocol/chat.ts'
import type { ArchiveEvent } from '../protocol/eventLog.ts'
import type { Confirmation, ObserverLabel, Participant, PartyRole, Phase, Role } from '../protocol/room.ts'
import { isObject } from '../schema/isObject.ts'
import { computeSchedule } from '../terms/index.ts'
import type { ScheduleResult, Terms } from '../terms/types.ts'
import type { ClausesChange, KeyChange, MapRoot, TermChange } from './termChange.ts'
import { carriesUpdate, decodeUpdateText, newRoomDoc, updateTextOf } from './updatePayload.ts'

export const DEFAULT_CHECKPOINT_EVERY = 256

export interface ReplayOptions {
  /** Updates between checkpoints (K); Infinity keeps none (for a one-pass scan such as termChanges). */
  checkpointEvery?: number
}

/** The room as it stood once every event with seq ≤ `seq` had happened. */
export interface ReplayState {
  seq: number
  /** The event at `seq` (null at seq 0, before anything). */
  event: ArchiveEvent | null
  content: RoomContent
  /** hashContent(content): what a confirmation at this point would bind to. */
  contentHash: string
  /** The terms the schedule is computed from (in a restructuring room: with the new principal), or null. */
  effectiveTerms: Terms | null
  /** The schedule the room showed, or null while the content does not validate (contentErrors says why). */
  computed: ScheduleResult | null
  /** "/terms/termMonths: must be >= 1", … as checkContent reports them; empty when the content is valid. */
  contentErrors: string[]
  chat: ChatMessage[]
  /** Chat and system lines (joined, confirmed, locked, …) in seq order, as chat:history shows them. */
  history: HistoryItem[]
  phase: Phase
  confirmations: Confirmation[]
  participants: Participant[]
}

/** An event whose update could not be used (the archive should be verified first). */
export interface SkippedEvent {
  seq: number
  reason: string
}

interface Checkpoint {
  /** How many updates the state includes. */
  applied: number
  state: Uint8Array | null
}

interface SideState {
  seq: number
  phase: Phase
  confirmations: Confirmation[]
  participants: Participant[]
}

const MAP_ROOTS: readonly MapRoot[] = [ROOT.terms, ROOT.profile, ROOT.baseline, ROOT.waivers, ROOT.commitments]

/** How many of the ascending `seqs` are ≤ seq. */
function countUpTo(seqs: readonly number[], seq: number): number {
  let lo = 0
  let hi = seqs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (seqs[mid]! <= seq) lo = mid + 1
    else hi = mid
  }
  return lo
}

function scalarOrNull(v: unknown): Scalar | null {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null
}

function toChat(e: ArchiveEvent): ChatMessage | null {
  const p = e.payload
  if (!isObject(p) || typeof p['text'] !== 'string') return null
  return {
    kind: 'chat',
    id: typeof p['id'] === 'string' ? p['id'] : `seq-${e.seq}`,
    seq: e.seq,
    ts: e.ts,
    role: e.actor.role,
    name: e.actor.name,
    text: p['text'],
    clientId: typeof p['clientId'] === 'string' ? p['clientId'] : '',
  }
}

function toLine(e: ArchiveEvent): RoomEventLine | null {
  const type = EVENT_LINE_TYPES[e.type]
  if (!type) return null
  return { kind: 'event', seq: e.seq, ts: e.ts, type, actor: e.actor, params: isObject(e.payload) ? e.payload : {} }
}

/** Characters a transaction added to (and still shows in) `text`, and characters it removed that were there before. */
function textEditCounts(doc: Y.Doc, tr: Y.Transaction, text: Y.Text): { inserted: number; deleted: number } {
  let inserted = 0
  let deleted = 0
  tr.afterState.forEach((clock, client) => {
    const before = tr.beforeState.get(client) ?? 0
    if (clock <= before) return
    const structs = doc.store.clients.get(client) ?? []
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i]!
      if (s.id.clock >= clock) break
      if (s instanceof Y.Item && s.parent === text && !s.deleted && s.countable) inserted += s.length
    }
  })
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (s instanceof Y.Item && s.parent === text && s.countable && s.id.clock < (tr.beforeState.get(s.id.client) ?? 0)) deleted += s.length
  })
  return { inserted, deleted }
}

const isParty = (role: string): role is PartyRole => role === 'borrower' || role === 'lender'
const isRole = (role: string): role is Role => isParty(role) || role === 'observer'

export class Replay {
  readonly events: readonly ArchiveEvent[]
  /** Every term, profile, baseline, waiver, commitment and clauses change, in seq order. */
  readonly changes: readonly TermChange[]
  readonly skipped: readonly SkippedEvent[]
  readonly checkpointEvery: number
  readonly lastSeq: number

  private readonly updateSeqs: number[] = []
  private readonly updates: Uint8Array[] = []
  private readonly checkpoints: Checkpoint[] = [{ applied: 0, state: null }]
  private readonly chat: ChatMessage[] = []
  private readonly history: HistoryItem[] = []
  private readonly sides: SideState[] = []
  private chatSeqs: number[] = []
  private historySeqs: number[] = []
  private sideSeqs: number[] = []
  private cursor: { doc: Y.Doc; applied: number } | null = null

  private constructor(events: readonly ArchiveEvent[], checkpointEvery: number) {
    this.events = events
    this.checkpointEvery = checkpointEvery
    this.lastSeq = events.length > 0 ? events[events.length - 1]!.seq : 0
    const changes: TermChange[] = []
    const skipped: SkippedEvent[] = []
    this.changes = changes
    this.skipped = skipped
    this.index(changes, skipped)
  }

  /** Decodes every update once, records the changes and keeps a checkpoint every K updates. */
  static build(events: readonly ArchiveEvent[], options: ReplayOptions = {}): Replay {
    const k = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY
    if (!(k >= 1)) throw new Error('checkpointEvery must be at least 1')
    return new Replay(events, k)
  }

  private index(changes: TermChange[], skipped: SkippedEvent[]): void {
    const doc = newRoomDoc()
    let current: ArchiveEvent | null = null
    for (const root of MAP_ROOTS) {
      const map = doc.getMap(root)
      map.observe((event) => {
        event.keys.forEach((change, key) => {
          const from = change.action === 'add' ? null : scalarOrNull(change.oldValue)
          const to = map.has(key) ? scalarOrNull(map.get(key)) : null
          if (from === to || !current) return
          const c: KeyChange = { seq: current.seq, ts: current.ts, actor: current.actor, root, key, from, to }
          changes.push(c)
        })
      })
    }
    // Counted from the transaction's own structs: YTextEvent.delta walks the whole text on every update.
    const text = doc.getText(ROOT.clauses)
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!current || !tr.changed.has(text as unknown as Y.AbstractType<Y.YEvent<Y.Text>>)) return
      const { inserted, deleted } = textEditCounts(doc, tr, text)
      if (inserted === 0 && deleted === 0) return
      const c: ClausesChange = { seq: current.seq, ts: current.ts, actor: current.actor, root: 'clauses', inserted, deleted }
      changes.push(c)
    })

    let phase: Phase = 'negotiating'
    let confirmations: Confirmation[] = []
    const participants = new Map<string, Participant>()
    const labels = new Map<string, ObserverLabel>()
    const side = (seq: number): void => {
      this.sides.push({ seq, phase, confirmations: confirmations.map((c) => ({ ...c })), participants: [...participants.values()].map((p) => ({ ...p })) })
    }

    for (const e of this.events) {
      current = e
      if (carriesUpdate(e)) {
        const decoded = decodeUpdateText(updateTextOf(e), { structure: false })
        if (!decoded.ok) skipped.push({ seq: e.seq, reason: decoded.reason })
        else {
          try {
            Y.applyUpdate(doc, decoded.bytes)
            this.updateSeqs.push(e.seq)
            this.updates.push(decoded.bytes)
            if (this.updates.length % this.checkpointEvery === 0) {
              this.checkpoints.push({ applied: this.updates.length, state: Y.encodeStateAsUpdate(doc) })
            }
          } catch (err) {
            skipped.push({ seq: e.seq, reason: `the update cannot be applied (${(err as Error).message})` })
          }
          // DESIGN.md: any change of content clears both confirmations.
          if (e.type === 'update' && confirmations.length > 0) {
            confirmations = []
            side(e.seq)
          }
        }
      }
      const p = isObject(e.payload) ? e.payload : {}
      switch (e.type) {
        case 'create':
          if (Array.isArray(p['invites'])) {
            for (const i of p['invites'] as unknown[]) {
              if (isObject(i) && typeof i['role'] === 'string' && typeof i['name'] === 'string' && typeof i['label'] === 'string') {
                labels.set(`${i['role']}\u0000${i['name']}`, i['label'] as ObserverLabel)
              }
            }
          }
          break
        case 'chat': {
          const m = toChat(e)
          if (m) this.chat.push(m)
          break
        }
        case 'join':
        case 'leave': {
          if (!isRole(e.actor.role)) break
          const key = `${e.actor.role}\u0000${e.actor.name}`
          const label = labels.get(key)
          participants.set(key, { role: e.actor.role, name: e.actor.name, ...(label ? { label } : {}), online: e.type === 'join' })
          side(e.seq)
          break
        }
        case 'confirm': {
          const role = e.actor.role
          if (!isParty(role)) break
          const c: Confirmation = {
            role,
            name: e.actor.name,
            fullName: typeof p['fullName'] === 'string' ? p['fullName'] : e.actor.name,
            hash: typeof p['hash'] === 'string' ? p['hash'] : '',
            ts: e.ts,
          }
          confirmations = [...confirmations.filter((x) => x.role !== role), c]
          side(e.seq)
          break
        }
        case 'withdraw':
          confirmations = confirmations.filter((x) => x.role !== e.actor.role)
          side(e.seq)
          break
        case 'cleared':
          confirmations = []
          side(e.seq)
          break
        case 'lock':
          phase = 'locked'
          side(e.seq)
          break
      }
      const item = e.type === 'chat' ? toChat(e) : toLine(e)
      if (item) this.history.push(item)
    }
    current = null
    doc.destroy()
    this.chatSeqs = this.chat.map((m) => m.seq)
    this.historySeqs = this.history.map((m) => m.seq)
    this.sideSeqs = this.sides.map((x) => x.seq)
  }

  /** How many updates are in the document at `seq`. */
  private appliedAt(seq: number): number {
    return countUpTo(this.updateSeqs, seq)
  }

  private nearestCheckpoint(applied: number): Checkpoint {
    const i = Math.min(Math.floor(applied / this.checkpointEvery), this.checkpoints.length - 1)
    return this.checkpoints[i]!
  }

  private restore(cp: Checkpoint, applied: number): Y.Doc {
    const doc = newRoomDoc()
    if (cp.state) Y.applyUpdate(doc, cp.state)
    this.applyRange(doc, cp.applied, applied)
    return doc
  }

  private applyRange(doc: Y.Doc, from: number, to: number): void {
    if (to <= from) return
    doc.transact(() => {
      for (let i = from; i < to; i++) Y.applyUpdate(doc, this.updates[i]!)
    })
  }

  /** The working document at `applied` updates: moves the cursor forward when that is cheaper than a restore. */
  private docWith(applied: number): Y.Doc {
    const cp = this.nearestCheckpoint(applied)
    const c = this.cursor
    if (c && c.applied <= applied && applied - c.applied <= applied - cp.applied) {
      this.applyRange(c.doc, c.applied, applied)
      c.applied = applied
      return c.doc
    }
    c?.doc.destroy()
    const doc = this.restore(cp, applied)
    this.cursor = { doc, applied }
    return doc
  }

  /** A fresh document as of `seq`; the caller owns it (destroy it when done). */
  docAt(seq: number): Y.Doc {
    const applied = this.appliedAt(seq)
    return this.restore(this.nearestCheckpoint(applied), applied)
  }

  /** The document's content as of `seq`. */
  contentAt(seq: number): RoomContent {
    return readContent(this.docWith(this.appliedAt(seq)))
  }

  /** Everything the replay view shows at `seq` (clamped to 0 … lastSeq). */
  at(seq: number): ReplayState {
    const s = Math.max(0, Math.min(Math.floor(seq), this.lastSeq))
    const content = this.contentAt(s)
    const checked = checkContent(content)
    const effectiveTerms = checked.ok ? checked.value.terms : null
    const sideIndex = countUpTo(this.sideSeqs, s)
    const side = sideIndex > 0 ? this.sides[sideIndex - 1]! : null
    return {
      seq: s,
      event: this.eventAt(s),
      content,
      contentHash: hashContent(content),
      effectiveTerms,
      computed: effectiveTerms ? computeSchedule(effectiveTerms) : null,
      contentErrors: checked.errors,
      chat: this.chat.slice(0, countUpTo(this.chatSeqs, s)),
      history: this.history.slice(0, countUpTo(this.historySeqs, s)),
      phase: side?.phase ?? 'negotiating',
      confirmations: side ? side.confirmations.map((c) => ({ ...c })) : [],
      participants: side ? side.participants.map((p) => ({ ...p })) : [],
    }
  }

  /** The event with this seq, or null. */
  eventAt(seq: number): ArchiveEvent | null {
    const guess = this.events[seq - 1]
    if (guess && guess.seq === seq) return guess
    return this.events.find((e) => e.seq === seq) ?? null
  }

  /** Seqs of the events that changed the document (the timeline's marks). */
  get updateEventSeqs(): readonly number[] {
    return this.updateSeqs
  }

  get checkpointCount(): number {
    return this.checkpoints.length - 1
  }

  /** Frees the working document. */
  destroy(): void {
    this.cursor?.doc.destroy()
    this.cursor = null
  }
}

/** Who changed which term, clause or figure when, derived update by update (one pass, no checkpoints). */
export function termChanges(events: readonly ArchiveEvent[]): TermChange[] {
  return [...Replay.build(events, { checkpointEvery: Infinity }).changes]
}
