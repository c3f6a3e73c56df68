import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { handContent } from '../../test/support/restructuring/example.ts'
import { computeSchedule } from '../terms/index.ts'
import { canonicalJson } from '../document/canonicalJson.ts'
import { contentHashOfDoc, hashContent, withComputedTotals } from './contentHash.ts'
import { readContent, writeMap, type RoomContent } from '../document/roomDoc.ts'
import { sha256Hex } from '../document/sha256.ts'

const plain: RoomContent = {
  terms: { principal: 1_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' },
  clauses: 'x',
  profile: { monthlyIncome: 500_000 },
  baseline: {},
  waivers: {},
  commitments: {},
}

describe('hashContent', () => {
  it('hashes a new loan exactly as before the restructuring model (content + the four totals)', () => {
    const r = computeSchedule({ principal: 1_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' })
    const before = { ...plain, computed: { totalInterest: r.totalInterest, totalPaid: r.totalPaid, aprPct: r.aprPct, earPct: r.earPct } }
    expect(hashContent(plain)).toBe(sha256Hex(canonicalJson(before)))
  })

  it('computes the totals of the effective terms and includes the breakdown in a restructuring room', () => {
    const content = handContent()
    const hashed = withComputedTotals(content)
    const r = computeSchedule({ principal: 296_000, annualRatePct: '0', termMonths: 3, method: 'annuity' })
    expect(hashed.computed).toEqual({
      totalInterest: r.totalInterest,
      totalPaid: 296_000,
      aprPct: r.aprPct,
      earPct: r.earPct,
      breakdown: {
        outstandingPrincipal: 290_000,
        accruedInterest: 6_000,
        penaltyInterest: 3_000,
        fees: 1_000,
        totalOwed: 300_000,
        waivers: { accruedInterest: 0, penaltyInterest: 3_000, fees: 1_000, total: 4_000 },
        newPrincipal: 296_000,
      },
    })
    // A typed principal is part of the content but not of the figures.
    expect(withComputedTotals({ ...content, terms: { ...content.terms, principal: 1 } }).computed).toEqual(hashed.computed)
  })

  it('carries computed: null while the content is not valid', () => {
    expect(withComputedTotals({ ...plain, commitments: { noHomeVisits: 'yes' } }).computed).toBeNull()
    expect(withComputedTotals({ ...handContent(), waivers: { fees: 1_001, feesReason: 'x' } }).computed).toBeNull()
  })

  it('changes with every baseline, waiver and commitment value', () => {
    const base = handContent()
    const seen = new Set([hashContent(base)])
    const variants: Array<(c: RoomContent) => void> = [
      (c) => (c.baseline['fees'] = 1_001),
      (c) => (c.baseline['daysPastDue'] = 76),
      (c) => (c.baseline['asOfDate'] = '2025-02-27'),
      (c) => (c.baseline['originalAnnualRatePct'] = '12.5'),
      (c) => (c.baseline['originalMethod'] = 'equal_principal'),
      (c) => (c.baseline['originalRemainingMonths'] = 4),
      (c) => (c.waivers['fees'] = 999),
      (c) => (c.waivers['feesReason'] = 'Late fees waived'),
      (c) => (c.commitments['noCollectionCalls'] = false),
      (c) => (c.commitments['noHomeVisits'] = false),
      (c) => (c.commitments['creditReporting'] = 'no_change'),
      (c) => (c.commitments['missedPaymentsBeforeLapse'] = 3),
      (c) => (c.commitments['lapseRestoresBaseline'] = false),
      (c) => (c.commitments['firstDueDate'] = '2025-04-01'),
    ]
    for (const change of variants) {
      const c = structuredClone(base)
      change(c)
      const h = hashContent(c)
      expect(seen.has(h), canonicalJson(c)).toBe(false)
      seen.add(h)
    }
  })

  it('is the same from a document as from its content', () => {
    const doc = new Y.Doc()
    const c = handContent()
    writeMap(doc, 'terms', c.terms)
    writeMap(doc, 'baseline', c.baseline)
    writeMap(doc, 'waivers', c.waivers)
    writeMap(doc, 'commitments', c.commitments)
    writeMap(doc, 'profile', c.profile)
    expect(readContent(doc)).toEqual(c)
    expect(contentHashOfDoc(doc)).toBe(hashContent(c))
  })
})
