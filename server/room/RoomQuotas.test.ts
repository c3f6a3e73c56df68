import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { inspectUpdate } from './inspectUpdate.ts'
import { ROOT_KINDS } from './Room.ts'
import { DEFAULT_QUOTAS, RoomQuotas, type QuotaLimits } from './RoomQuotas.ts'

const LOW: QuotaLimits = { maxDocBytes: 20_000, maxClausesChars: 1_000, maxUpdateBytes: 8_000, maxAttachments: 2, maxAttachmentBytes: 1_000 }

function roomDoc(): Y.Doc {
  const doc = new Y.Doc()
  for (const [name, kind] of ROOT_KINDS) {
    if (kind === 'map') doc.getMap(name)
    else doc.getText(name)
  }
  return doc
}

/** The update an edit on a copy of `doc` produces (what a client would send). */
function edit(doc: Y.Doc, fn: (d: Y.Doc) => void): Uint8Array {
  const copy = roomDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  fn(copy)
  return Y.encodeStateAsUpdate(copy, before)
}

/** Checks an update the way Room.applyUpdate does, and applies it when accepted. */
function offer(quotas: RoomQuotas, doc: Y.Doc, update: Uint8Array): ReturnType<RoomQuotas['checkUpdate']> {
  const inspection = inspectUpdate(doc, ROOT_KINDS, update)
  if (inspection.kind !== 'changes') throw new Error(`expected changes, got ${inspection.kind}`)
  const refusal = quotas.checkUpdate(update, inspection.growth)
  if (refusal) return refusal
  let effective: Uint8Array | null = null
  const capture = (u: Uint8Array): void => {
    effective = u
  }
  doc.on('update', capture)
  Y.applyUpdate(doc, update)
  doc.off('update', capture)
  if (effective) quotas.accepted(effective)
  return null
}

describe('inspectUpdate growth', () => {
  it('counts inserted characters per root and their bytes, without applying anything', () => {
    const doc = roomDoc()
    const u = edit(doc, (d) => {
      d.getText('clauses').insert(0, 'héllo')
      d.getMap('terms').set('method', 'annuity')
    })
    const i = inspectUpdate(doc, ROOT_KINDS, u)
    expect(i.kind).toBe('changes')
    if (i.kind !== 'changes') return
    expect(i.growth.insertedChars.get('clauses')).toBe(5)
    expect(i.growth.insertedChars.get('terms')).toBeUndefined()
    expect(i.growth.insertedBytes).toBeGreaterThanOrEqual(6 + 7)
    expect(doc.getText('clauses').length).toBe(0)
  })
})

describe('RoomQuotas', () => {
  it('has defaults far above a real negotiation and far below V8 string limits', () => {
    expect(DEFAULT_QUOTAS.maxClausesChars).toBeGreaterThanOrEqual(1_000_000)
    expect(DEFAULT_QUOTAS.maxDocBytes).toBeLessThan(100 * 1024 * 1024)
  })

  it('accepts clauses up to the limit and refuses the insert that would pass it', () => {
    const doc = roomDoc()
    const q = new RoomQuotas(LOW, doc)
    expect(offer(q, doc, edit(doc, (d) => d.getText('clauses').insert(0, 'a'.repeat(600))))).toBeNull()
    expect(offer(q, doc, edit(doc, (d) => d.getText('clauses').insert(0, 'b'.repeat(400))))).toBeNull()
    const r = offer(q, doc, edit(doc, (d) => d.getText('clauses').insert(0, 'c')))
    expect(r).toMatchObject({ ok: false, error: 'quota_exceeded' })
    expect(r!.message).toMatch(/too long.*1001.*1000/)
    expect(doc.getText('clauses').length).toBe(1000)
  })

  it('lets a deletion through when the clauses are at the limit', () => {
    const doc = roomDoc()
    const q = new RoomQuotas(LOW, doc)
    expect(offer(q, doc, edit(doc, (d) => d.getText('clauses').insert(0, 'a'.repeat(1000))))).toBeNull()
    expect(offer(q, doc, edit(doc, (d) => d.getText('clauses').delete(0, 10)))).toBeNull()
    expect(doc.getText('clauses').length).toBe(990)
  })

  it('refuses one update larger than the update limit', () => {
    const doc = roomDoc()
    const q = new RoomQuotas({ ...LOW, maxClausesChars: 100_000 }, doc)
    const r = offer(q, doc, edit(doc, (d) => d.getText('clauses').insert(0, 'x'.repeat(9_000))))
    expect(r).toMatchObject({ ok: false, error: 'quota_exceeded' })
    expect(r!.message).toMatch(/one change/)
  })

  it('refuses what would grow the document past its limit (map values count too), measuring again only then', () => {
    const doc = roomDoc()
    const q = new RoomQuotas({ ...LOW, maxDocBytes: 10_000 }, doc)
    for (let i = 0; i < 4; i++) expect(offer(q, doc, edit(doc, (d) => d.getMap('terms').set(`k${i}`, 'v'.repeat(2_000))))).toBeNull()
    const r = offer(q, doc, edit(doc, (d) => d.getMap('terms').set('k9', 'v'.repeat(2_000))))
    expect(r).toMatchObject({ ok: false, error: 'quota_exceeded' })
    expect(r!.message).toMatch(/document would pass/)
    // Overwriting frees the old value (garbage-collected): once measured again, the room has room again.
    expect(offer(q, doc, edit(doc, (d) => d.getMap('terms').set('k0', 'short')))).toBeNull()
    expect(offer(q, doc, edit(doc, (d) => d.getMap('terms').set('k9', 'v'.repeat(2_000))))).toBeNull()
    expect(Y.encodeStateAsUpdate(doc).length).toBeLessThanOrEqual(10_000)
  })

  it('opens a room that is over a quota on load read-only, with the reason', () => {
    const doc = roomDoc()
    doc.getText('clauses').insert(0, 'z'.repeat(1_500))
    const q = new RoomQuotas(LOW, doc)
    expect(q.overOnLoad).toMatch(/over its size limit \(clauses: 1500 of 1000 characters\) and is read-only/)
    const r = offer(q, doc, edit(doc, (d) => d.getMap('terms').set('termMonths', 24)))
    expect(r).toMatchObject({ ok: false, error: 'quota_exceeded', message: q.overOnLoad })
    expect(new RoomQuotas(DEFAULT_QUOTAS, doc).overOnLoad).toBeNull()
  })

  it('counts attachments and their bytes, stored and in flight', () => {
    const q = new RoomQuotas(LOW, roomDoc())
    expect(q.checkAttachment([], 1_000)).toBeNull()
    expect(q.checkAttachment([{ size: 600 }], 401)).toMatchObject({ ok: false, error: 'quota_exceeded' })
    expect(q.checkAttachment([{ size: 600 }], 400)).toBeNull()
    expect(q.checkAttachment([{ size: 1 }, { size: 1 }], 1)!.message).toMatch(/2 attachments/)
  })
})
