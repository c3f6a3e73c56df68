import { describe, expect, it } from 'vitest'
import { HAND_BASELINE, HAND_WAIVERS } from '../../test/support/restructuring/example.ts'
import { validateCreateRoom } from './createRoom.ts'

const TERMS = { principal: 1_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' }
const PLAN = { annualRatePct: '0', termMonths: 3, method: 'annuity' }
const COMMITMENTS = { firstDueDate: '2025-03-31', noCollectionCalls: true, noHomeVisits: true, creditReporting: 'restructured_current' }

function error(body: Record<string, unknown>): string | null {
  const r = validateCreateRoom({ title: 'T', currency: 'CNY', ...body })
  return r.ok ? null : r.error
}

describe('validateCreateRoom', () => {
  it('a room without a baseline: terms as before, principal required', () => {
    const r = validateCreateRoom({ title: 'T', currency: 'CNY', terms: { ...TERMS, graceMonths: 2 } })
    expect(r).toEqual({ ok: true, value: { title: 'T', currency: 'CNY', terms: { ...TERMS, graceMonths: 2, graceInterest: 'capitalize' } } })
    expect(error({ terms: PLAN })).toBe('/terms/principal: is required')
  })

  it('a restructuring room: baseline, waivers and commitments kept; the principal is computed, never typed', () => {
    const r = validateCreateRoom({ title: 'T', currency: 'CNY', terms: { ...PLAN, principal: 5 }, baseline: HAND_BASELINE, waivers: HAND_WAIVERS, commitments: COMMITMENTS })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.terms).toEqual(PLAN)
    expect(r.value.baseline).toEqual(HAND_BASELINE)
    expect(r.value.waivers).toEqual(HAND_WAIVERS)
    expect(r.value.commitments).toEqual(COMMITMENTS)
    expect(validateCreateRoom({ title: 'T', currency: 'CNY', terms: PLAN, baseline: HAND_BASELINE }).ok).toBe(true)
  })

  it('takes an optional lending institution, never a blank one', () => {
    const r = validateCreateRoom({ title: 'T', currency: 'CNY', terms: TERMS, lenderInstitution: '示例银行' })
    expect(r.ok && r.value.lenderInstitution).toBe('示例银行')
    expect(error({ terms: TERMS, lenderInstitution: '  ' })).toBe('/lenderInstitution: must not be blank')
    expect(error({ terms: TERMS, lenderInstitution: 'x'.repeat(121) })).toMatch(/^\/lenderInstitution: /)
  })

  it('names the first problem by its path in the request', () => {
    const { asOfDate: _drop, ...noDate } = HAND_BASELINE
    expect(error({ terms: PLAN, baseline: noDate })).toBe('/baseline/asOfDate: is required')
    expect(error({ terms: PLAN, baseline: {} })).toBe('/baseline/outstandingPrincipal: is required')
    expect(error({ terms: PLAN, baseline: { ...HAND_BASELINE, fees: -1 } })).toBe('/baseline/fees: must be >= 0')
    expect(error({ terms: PLAN, baseline: HAND_BASELINE, waivers: { fees: 1_001, feesReason: 'x' } })).toBe(
      '/waivers/fees: must be <= the baseline fees (1000)',
    )
    expect(error({ terms: PLAN, baseline: HAND_BASELINE, waivers: { fees: 1_000 } })).toBe('/waivers/feesReason: is required when fees is waived')
    expect(error({ terms: { ...PLAN, termMonths: 0 }, baseline: HAND_BASELINE })).toMatch(/^\/terms\/termMonths: /)
    expect(error({ terms: PLAN, baseline: HAND_BASELINE, commitments: { firstDueDate: '2025-01-01' } })).toBe(
      '/commitments/firstDueDate: must be after the baseline asOfDate (2025-02-28)',
    )
    expect(error({ terms: PLAN, baseline: HAND_BASELINE, commitments: { creditReporting: 'erase' } })).toMatch(/^\/commitments\/creditReporting: /)
    expect(error({ terms: TERMS, waivers: { fees: 1, feesReason: 'x' } })).toMatch(/^\/waivers\/fees: needs a baseline/)
    expect(error({ terms: TERMS, commitments: { lapseRestoresBaseline: true, missedPaymentsBeforeLapse: 2 } })).toBe(
      '/commitments/lapseRestoresBaseline: needs a baseline to restore',
    )
    expect(error({ terms: PLAN, baseline: 'x' })).toBe('/baseline: must be object')
  })
})
