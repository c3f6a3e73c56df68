import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../document/canonicalJson.ts'
import { hashContent } from '../content/contentHash.ts'
import { readContent, ROOT, writeMap } from '../document/roomDoc.ts'
import { computeSchedule } from '../terms/index.ts'
import { DEFAULT_CHECKPOINT_EVERY, Replay, termChanges } from './Replay.ts'
import { describeChange } from './termChange.ts'
import { BORROWER, LENDER, LogWriter, OPERATOR, prng, recordSession } from '../../test/support/archive/session.ts'

const EMPTY = canonicalJson(readContent(new Y.Doc()))

function shuffled(n: number, seed: number): number[] {
  const rand = prng(seed)
  const xs = Array.from({ length: n }, (_, i) => i)
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j]!, xs[i]!]
  }
  return xs
}

describe('Replay', () => {
  const session = recordSession({ updates: 400, seed: 7, record: true, concurrency: 0.25, chatEvery: 5 })
  const last = session.events.length

  it('reproduces the live document at every seq, in any order of jumps', () => {
    const replay = Replay.build(session.events, { checkpointEvery: 16 })
    expect(replay.skipped).toEqual([])
    expect(replay.checkpointCount).toBeGreaterThan(20)
    for (const seq of shuffled(last + 1, 3)) {
      const expected = seq === 0 ? EMPTY : session.contentAt[seq]
      expect(canonicalJson(replay.contentAt(seq)), `seq ${seq}`).toBe(expected)
    }
    // Stepping forward one seq at a time (the replay view's "next") takes the cursor path.
    for (let seq = 0; seq <= last; seq++) {
      expect(canonicalJson(replay.contentAt(seq)), `seq ${seq}`).toBe(seq === 0 ? EMPTY : session.contentAt[seq])
    }
    replay.destroy()
  })

  it('gives a fresh document whose encoded state rebuilds the recorded content', () => {
    const replay = Replay.build(session.events, { checkpointEvery: 32 })
    for (const seq of shuffled(last + 1, 11)) {
      const doc = replay.docAt(seq)
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
      expect(canonicalJson(readContent(copy)), `seq ${seq}`).toBe(seq === 0 ? EMPTY : session.contentAt[seq])
      doc.destroy()
      copy.destroy()
    }
    // The end state is the server's, struct for struct.
    const end = replay.docAt(last)
    expect(Y.encodeStateVector(end)).toEqual(Y.encodeStateVector(session.server))
    end.destroy()
  })

  it("matches both editors' own documents wherever they were in sync", () => {
    const replay = Replay.build(session.events)
    expect(replay.checkpointEvery).toBe(DEFAULT_CHECKPOINT_EVERY)
    expect(session.syncedAt.size).toBeGreaterThan(100)
    for (const [seq, editors] of session.syncedAt) {
      const content = canonicalJson(replay.contentAt(seq))
      expect(content, `borrower at seq ${seq}`).toBe(editors.borrower)
      expect(content, `lender at seq ${seq}`).toBe(editors.lender)
    }
    expect(canonicalJson(replay.contentAt(last))).toBe(canonicalJson(readContent(session.borrower)))
  })

  it('returns the computed schedule, chat, history, participants, confirmations and phase as of a seq', () => {
    const locked = recordSession({ updates: 60, seed: 5, chatEvery: 3, lock: true })
    const replay = Replay.build(locked.events, { checkpointEvery: 8 })
    const n = locked.events.length
    const end = replay.at(n)
    expect(end.phase).toBe('locked')
    expect(end.confirmations.map((c) => c.role)).toEqual(['borrower', 'lender'])
    expect(end.confirmations[0]).toMatchObject({ name: '张伟', fullName: '张伟', hash: end.contentHash })
    expect(end.history.at(-1)).toMatchObject({ kind: 'event', type: 'locked', seq: n })
    expect(end.participants.map((p) => [p.role, p.online, p.label])).toEqual([
      ['borrower', true, undefined],
      ['lender', true, undefined],
      ['observer', true, 'mediator'],
    ])
    const chats = locked.events.filter((e) => e.type === 'chat')
    expect(chats.length).toBeGreaterThan(5)
    const mid = chats[3]!.seq
    const atMid = replay.at(mid)
    expect(atMid.chat.map((m) => m.seq)).toEqual(chats.slice(0, 4).map((e) => e.seq))
    expect(atMid.chat[3]).toMatchObject({ kind: 'chat', text: (chats[3]!.payload as { text: string }).text })
    expect(atMid.phase).toBe('negotiating')
    expect(atMid.confirmations).toEqual([])
    expect(atMid.event?.seq).toBe(mid)
    expect(atMid.contentErrors).toEqual([])
    expect(atMid.effectiveTerms).toMatchObject(atMid.content.terms)
    expect(atMid.computed).toEqual(computeSchedule(atMid.effectiveTerms!))
    expect(atMid.contentHash).toBe(hashContent(atMid.content))
    expect(replay.at(n - 1).confirmations.map((c) => c.role)).toEqual(['borrower', 'lender'])
    expect(replay.at(n - 1).phase).toBe('negotiating')

    const before = replay.at(0)
    expect(before).toMatchObject({ seq: 0, event: null, chat: [], history: [], phase: 'negotiating', computed: null })
    expect(before.contentErrors.join('\n')).toMatch(/principal/)
    expect(replay.at(10 ** 9).seq).toBe(n)
  })

  it('drops confirmations when the content changes after them', () => {
    const w = new LogWriter()
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    w.append(OPERATOR, 'create', { title: 't', currency: 'CNY', invites: [] }, 1)
    writeMap(doc, ROOT.terms, { principal: 1_000_000, annualRatePct: '4.90', termMonths: 12, method: 'annuity' })
    w.append(OPERATOR, 'update', updates[0]!, 2)
    w.append(BORROWER, 'confirm', { hash: 'a'.repeat(64), fullName: 'Zhang Wei' }, 3)
    writeMap(doc, ROOT.terms, { termMonths: 24 })
    w.append(LENDER, 'update', updates[1]!, 4)
    const replay = Replay.build(w.events)
    expect(replay.at(3).confirmations).toHaveLength(1)
    expect(replay.at(4).confirmations).toEqual([])
  })

  it('skips an update it cannot decode and says so', () => {
    const w = new LogWriter()
    w.append(OPERATOR, 'create', { title: 't', currency: 'CNY', invites: [] }, 1)
    w.append(LENDER, 'update', new Uint8Array([255, 255, 255, 255, 255]), 2)
    const replay = Replay.build(w.events)
    expect(replay.skipped).toEqual([{ seq: 2, reason: expect.stringMatching(/^the update cannot be applied/) }])
    expect(canonicalJson(replay.contentAt(2))).toBe(EMPTY)
  })
})

describe('termChanges', () => {
  it('names who changed which term from what to what, and counts clause edits', () => {
    const w = new LogWriter()
    const docs = { lender: new Y.Doc(), borrower: new Y.Doc() }
    const at = (hh: number, mm: number): number => Date.UTC(2025, 2, 14, hh, mm, 30)
    const sync = (from: Y.Doc, to: Y.Doc): Uint8Array => {
      const u = Y.encodeStateAsUpdate(from, Y.encodeStateVector(to))
      Y.applyUpdate(to, u)
      return u
    }
    w.append(OPERATOR, 'create', { title: 't', currency: 'CNY', invites: [] }, at(14, 0))
    writeMap(docs.lender, ROOT.terms, { principal: 12_000_000, annualRatePct: '4.90', termMonths: 36, method: 'annuity' })
    w.append(OPERATOR, 'update', sync(docs.lender, docs.borrower), at(14, 1))
    writeMap(docs.lender, ROOT.terms, { annualRatePct: '4.35' })
    w.append(LENDER, 'update', sync(docs.lender, docs.borrower), at(14, 2))
    w.append(BORROWER, 'chat', { id: 'm1', clientId: 'c1', text: 'ok' }, at(14, 3))
    docs.borrower.getText(ROOT.clauses).insert(0, 'No early repayment fee.')
    w.append(BORROWER, 'update', sync(docs.borrower, docs.lender), at(14, 4))
    docs.borrower.getText(ROOT.clauses).delete(0, 3)
    w.append(BORROWER, 'update', sync(docs.borrower, docs.lender), at(14, 5))
    writeMap(docs.borrower, ROOT.profile, { monthlyIncome: 1_250_000 })
    writeMap(docs.borrower, ROOT.terms, { graceMonths: 3 })
    w.append(BORROWER, 'update', sync(docs.borrower, docs.lender), at(14, 6))
    writeMap(docs.lender, ROOT.terms, { graceMonths: undefined })
    w.append(LENDER, 'update', sync(docs.lender, docs.borrower), at(14, 7))

    const changes = termChanges(w.events)
    const rate = changes.find((c) => c.root === 'terms' && c.key === 'annualRatePct' && c.seq === 3)
    expect(rate).toEqual({ seq: 3, ts: at(14, 2), actor: LENDER, root: 'terms', key: 'annualRatePct', from: '4.90', to: '4.35' })
    expect(describeChange(rate!, { timeZone: 'UTC' })).toBe('14:02 lender (Wang) changed annualRatePct 4.90 → 4.35')
    expect(changes.filter((c) => c.seq === 2)).toHaveLength(4)
    expect(changes.filter((c) => c.seq > 2)).toEqual([
      rate,
      { seq: 5, ts: at(14, 4), actor: BORROWER, root: 'clauses', inserted: 23, deleted: 0 },
      { seq: 6, ts: at(14, 5), actor: BORROWER, root: 'clauses', inserted: 0, deleted: 3 },
      expect.objectContaining({ seq: 7, root: 'profile', key: 'monthlyIncome', from: null, to: 1_250_000 }),
      expect.objectContaining({ seq: 7, root: 'terms', key: 'graceMonths', from: null, to: 3 }),
      { seq: 8, ts: at(14, 7), actor: LENDER, root: 'terms', key: 'graceMonths', from: 3, to: null },
    ])
    const lines = changes.filter((c) => c.seq > 3).map((c) => describeChange(c, { timeZone: 'UTC' }))
    expect(lines).toEqual([
      '14:04 borrower (张伟) edited clauses (+23 characters)',
      '14:05 borrower (张伟) edited clauses (−3 characters)',
      '14:06 borrower (张伟) set profile.monthlyIncome to 1250000',
      '14:06 borrower (张伟) set graceMonths to 3',
      '14:07 lender (Wang) removed graceMonths (was 3)',
    ])
  })

  it('agrees with diffing the replayed states of consecutive seqs', () => {
    const s = recordSession({ updates: 150, seed: 21, concurrency: 0.3 })
    const replay = Replay.build(s.events, { checkpointEvery: 10 })
    const changes = termChanges(s.events)
    const maps = ['terms', 'profile', 'baseline', 'waivers', 'commitments'] as const
    for (const seq of replay.updateEventSeqs) {
      const before = replay.contentAt(seq - 1)
      const after = replay.contentAt(seq)
      const expected: string[] = []
      for (const root of maps) {
        for (const key of new Set([...Object.keys(before[root]), ...Object.keys(after[root])])) {
          if (before[root][key] !== after[root][key]) expected.push(`${root}.${key}`)
        }
      }
      const got = changes.filter((c) => c.seq === seq)
      expect(got.filter((c) => c.root !== 'clauses').map((c) => `${c.root}.${'key' in c ? c.key : ''}`).sort(), `seq ${seq}`).toEqual(expected.sort())
      const clauses = got.find((c) => c.root === 'clauses')
      const delta = after.clauses.length - before.clauses.length
      if (before.clauses === after.clauses) expect(clauses).toBeUndefined()
      else expect(clauses && 'inserted' in clauses ? clauses.inserted - clauses.deleted : NaN, `seq ${seq}`).toBe(delta)
    }
  })
})
