// The first due date a room starts with when none is given: the date arithmetic, and createRoom writing it (or keeping
// a given one) so that the content stays valid, in a plain loan and in a restructuring room.
import { describe, expect, it } from 'vitest'
import { validateContent } from '../../shared/content/validateContent.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { HAND_BASELINE } from '../../test/support/restructuring/example.ts'
import { bothParties, nothingHeard, openRoom, sampleTerms } from '../../test/support/room/roomFixtures.ts'
import { SqliteStore } from '../store/SqliteStore.ts'
import { createRoom } from './createRoom.ts'
import { defaultFirstDueDate, utcDay } from './defaultFirstDueDate.ts'

describe('defaultFirstDueDate', () => {
  it('is one month after the creation day, the day kept or clamped to the month end', () => {
    expect(defaultFirstDueDate('2026-12-06')).toBe('2027-01-06')
    expect(defaultFirstDueDate('2025-01-31')).toBe('2025-02-28')
    expect(defaultFirstDueDate('2024-01-31')).toBe('2024-02-29')
    expect(defaultFirstDueDate('2025-03-31')).toBe('2025-04-30')
  })

  it('counts from the baseline asOfDate in a restructuring room, whatever the creation day', () => {
    expect(defaultFirstDueDate('2026-12-06', '2025-02-28')).toBe('2025-03-28')
  })

  it('takes the UTC day of the creation time', () => {
    expect(utcDay(Date.UTC(2026, 0, 31, 23, 59))).toBe('2026-01-31')
  })
})

describe('createRoom and the first due date', () => {
  const now = Date.UTC(2026, 0, 31, 10)

  async function contentOf(input: Partial<Parameters<typeof createRoom>[1]>) {
    const store = new SqliteStore(':memory:')
    try {
      const rec = await createRoom(store, { title: 'T', currency: 'CNY', terms: sampleTerms, invites: bothParties, now, ...input })
      const room = await openRoom(store, rec.id, nothingHeard())
      const content = readContent(room.doc)
      room.dispose()
      return content
    } finally {
      await store.close()
    }
  }

  it('defaults it to one month after creation when none is given, and the content stays valid', async () => {
    const content = await contentOf({})
    expect(content.commitments).toEqual({ firstDueDate: '2026-02-28' })
    expect(validateContent(content)).toEqual({ ok: true, errors: [] })
  })

  it('keeps a given one and the other commitments', async () => {
    const content = await contentOf({ prefill: { commitments: { firstDueDate: '2026-05-15', noHomeVisits: true } } })
    expect(content.commitments).toEqual({ firstDueDate: '2026-05-15', noHomeVisits: true })
  })

  it('defaults a restructuring room to one month after the baseline asOfDate, which checkContent accepts', async () => {
    const { principal: _computed, ...terms } = sampleTerms
    const content = await contentOf({ terms, prefill: { baseline: { ...HAND_BASELINE }, commitments: { noCollectionCalls: true } } })
    expect(content.commitments).toEqual({ noCollectionCalls: true, firstDueDate: defaultFirstDueDate('2026-01-31', HAND_BASELINE.asOfDate) })
    expect(content.commitments.firstDueDate! > HAND_BASELINE.asOfDate).toBe(true)
    expect(validateContent(content)).toEqual({ ok: true, errors: [] })
  })
})
