import { describe, expect, it } from 'vitest'
import { computeSchedule } from '../terms/schedule.ts'
import type { Terms } from '../terms/types.ts'
import { contractDateOf, DEFAULT_DISCLOSURE_RULES, disclosuresFor, protectionCeiling, type DisclosureRules } from './disclosures.ts'
import { DEFAULT_LPR_TABLE, lprOn, parseLprTable } from './lprTable.ts'

const loan: Terms = { principal: 10_000_000, annualRatePct: '12.5', termMonths: 12, method: 'annuity' }

describe('the judicial protection ceiling (4 × one-year LPR at the contract date)', () => {
  it('takes the LPR in force on the contract date', () => {
    expect(protectionCeiling(DEFAULT_DISCLOSURE_RULES, '2025-05-19')).toEqual({ ceilingPct: '12.4000', lpr: { effective: '2024-10-21', ratePct: '3.10' } })
    expect(protectionCeiling(DEFAULT_DISCLOSURE_RULES, '2025-05-20')).toEqual({ ceilingPct: '12.0000', lpr: { effective: '2025-05-20', ratePct: '3.00' } })
    expect(protectionCeiling(DEFAULT_DISCLOSURE_RULES, '2024-07-21')?.ceilingPct).toBe('13.8000')
    expect(protectionCeiling(DEFAULT_DISCLOSURE_RULES, '2019-01-01')).toBeNull()
  })

  it('warns when the APR is above the ceiling, and not at or below it', () => {
    // 12.5 % nominal annuity: APR 12.5 % — above 4 × 3.00 (12 %), below 4 × 3.45 (13.8 %).
    expect(disclosuresFor(loan, '2026-01-10')).toEqual([
      { code: 'apr_above_ceiling', aprPct: '12.5000', ceilingPct: '12.0000', ceilingMultiple: '4', lprPct: '3.00', lprEffective: '2025-05-20', contractDate: '2026-01-10' },
    ])
    expect(disclosuresFor(loan, '2024-01-10')).toEqual([])
    expect(disclosuresFor({ ...loan, annualRatePct: '12' }, '2026-01-10')).toEqual([])
  })

  it('counts the fee: a rate under the ceiling with a fee that lifts the APR over it is warned', () => {
    const withFee = { ...loan, annualRatePct: '11', upfrontFee: 200_000 }
    const codes = disclosuresFor(withFee, '2026-01-10').map((d) => d.code)
    expect(Number(computeSchedule(withFee).aprPct)).toBeGreaterThan(12)
    expect(codes).toEqual(['apr_above_ceiling', 'upfront_fee'])
  })

  it('follows a configured table and multiple', () => {
    const rules: DisclosureRules = { ...DEFAULT_DISCLOSURE_RULES, lpr: [{ effective: '2026-01-01', ratePct: '3.2' }], ceilingMultiple: '3.5' }
    expect(protectionCeiling(rules, '2026-02-01')?.ceilingPct).toBe('11.2000')
    expect(disclosuresFor({ ...loan, annualRatePct: '11.5' }, '2026-02-01', rules).map((d) => d.code)).toEqual(['apr_above_ceiling'])
  })
})

describe('the upfront fee warning', () => {
  it('gives the APR with and without the fee', () => {
    const terms: Terms = { principal: 100_000_000, annualRatePct: '4.35', termMonths: 36, method: 'annuity', upfrontFee: 1_200_000 }
    const [d] = disclosuresFor(terms, '2026-01-10')
    expect(d).toEqual({ code: 'upfront_fee', upfrontFee: 1_200_000, aprPct: computeSchedule(terms).aprPct, aprWithoutFeePct: '4.3500' })
    expect(Number(computeSchedule(terms).aprPct)).toBeGreaterThan(5)
  })

  it('is silent without a fee, and when the rules turn it off', () => {
    expect(disclosuresFor({ ...loan, annualRatePct: '4', upfrontFee: 0 }, '2026-01-10')).toEqual([])
    expect(disclosuresFor({ ...loan, annualRatePct: '4', upfrontFee: 5 }, '2026-01-10', { ...DEFAULT_DISCLOSURE_RULES, warnUpfrontFee: false })).toEqual([])
  })
})

describe('the LPR table', () => {
  it('parses configuration and sorts it; refuses bad entries', () => {
    const r = parseLprTable('[{"effective":"2026-02-20","ratePct":"2.90"},{"effective":"2025-05-20","ratePct":"3.00"}]')
    expect(r).toEqual({ ok: true, table: [{ effective: '2025-05-20', ratePct: '3.00' }, { effective: '2026-02-20', ratePct: '2.90' }] })
    expect(parseLprTable('nope').ok).toBe(false)
    expect(parseLprTable([]).ok).toBe(false)
    expect(parseLprTable([{ effective: '2025/05/20', ratePct: '3.00' }])).toEqual({ ok: false, reason: '[0].effective: expected YYYY-MM-DD' })
    expect(parseLprTable([{ effective: '2025-05-20', ratePct: 3 }]).ok).toBe(false)
  })

  it('the default table is sorted and ends with 3.00 % from 2025-05-20', () => {
    expect(parseLprTable(DEFAULT_LPR_TABLE)).toEqual({ ok: true, table: [...DEFAULT_LPR_TABLE] })
    expect(lprOn(DEFAULT_LPR_TABLE, '2030-01-01')).toEqual({ effective: '2025-05-20', ratePct: '3.00' })
  })

  it('dates a contract in Beijing time', () => {
    expect(contractDateOf(Date.parse('2025-05-19T16:30:00Z'))).toBe('2025-05-20')
    expect(contractDateOf(Date.parse('2025-05-19T16:30:00Z'), 'UTC')).toBe('2025-05-19')
  })
})
