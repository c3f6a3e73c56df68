import { describe, expect, it } from 'vitest'
import { handContent } from '../../test/support/restructuring/example.ts'
import type { RoomContent } from '../document/roomDoc.ts'
import { checkContent, validateContent } from './validateContent.ts'

const plain: RoomContent = {
  terms: { principal: 1_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' },
  clauses: '',
  profile: {},
  baseline: {},
  waivers: {},
  commitments: {},
}

describe('validateContent', () => {
  it('accepts a new loan and a restructuring, answering the effective terms', () => {
    expect(validateContent(plain)).toEqual({ ok: true, errors: [] })
    const r = checkContent(handContent())
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.terms.principal).toBe(296_000)
    expect(r.value.restructuring?.breakdown.newPrincipal).toBe(296_000)
    expect(r.value.commitments.firstDueDate).toBe('2025-03-31')
  })

  it('lists every problem as a content path, in the order of the proposal form', () => {
    const content: RoomContent = {
      ...handContent(),
      terms: { annualRatePct: '0', termMonths: 0, method: 'annuity' },
      waivers: { fees: 1_500, feesReason: 'x' },
      commitments: { creditReporting: 'erased' },
    }
    // The terms are checked once the new principal exists (the waivers must be fixed first).
    expect(validateContent(content).errors).toEqual([
      '/waivers/fees: must be <= the baseline fees (1000)',
      '/commitments/creditReporting: must be one of restructured_current, restructured_flagged, no_change',
    ])
    expect(validateContent({ ...content, waivers: {} }).errors).toEqual([
      '/terms/termMonths: must be >= 1',
      '/commitments/creditReporting: must be one of restructured_current, restructured_flagged, no_change',
    ])
  })

  it('checks the commitments against the terms and the baseline', () => {
    const c = handContent()
    expect(validateContent({ ...c, commitments: { ...c.commitments, missedPaymentsBeforeLapse: 4 } }).errors).toEqual([
      '/commitments/missedPaymentsBeforeLapse: must be <= termMonths (3)',
    ])
    expect(validateContent({ ...c, commitments: { firstDueDate: '2025-02-28' } }).errors).toEqual([
      '/commitments/firstDueDate: must be after the baseline asOfDate (2025-02-28)',
    ])
    expect(validateContent({ ...plain, commitments: { missedPaymentsBeforeLapse: 2, lapseRestoresBaseline: true } }).errors).toEqual([
      '/commitments/lapseRestoresBaseline: needs a baseline to restore',
    ])
    expect(validateContent({ ...plain, commitments: { missedPaymentsBeforeLapse: 2, lapseRestoresBaseline: false } }).ok).toBe(true)
  })

  it('refuses a half-stated baseline and waivers without a baseline', () => {
    expect(validateContent({ ...plain, baseline: { daysPastDue: 30 } }).errors).toEqual(['/baseline/outstandingPrincipal: is required'])
    expect(validateContent({ ...plain, baseline: { outstandingPrincipal: 1_000_000 } }).errors).toEqual(['/baseline/accruedInterest: is required'])
    expect(validateContent({ ...plain, waivers: { fees: 5, feesReason: 'x' } }).errors).toEqual([
      '/waivers/fees: needs a baseline: the lender states the debt before anything is waived',
    ])
  })

  it('checks the effective terms: a fee must stay below the new principal', () => {
    const c = handContent()
    expect(validateContent({ ...c, terms: { ...c.terms, upfrontFee: 296_000 } }).errors).toEqual(['/terms/upfrontFee: must be < principal'])
    expect(validateContent({ ...c, terms: { ...c.terms, upfrontFee: 295_999 } }).ok).toBe(true)
  })
})
