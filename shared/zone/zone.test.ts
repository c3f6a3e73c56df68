// Worked examples of the zone engine: the grid, the rule on a realistic case, boundaries, and the gaps.
import { describe, expect, it } from 'vitest'
import { presentValue } from '../restructuring/recovery.ts'
import { buildRows } from '../terms/schedule.ts'
import { Discounter } from './evaluate.ts'
import { gridSize, rateSteps, zoneGrid } from './grid.ts'
import { roundSignificant } from './significant.ts'
import { viewFor } from './view.ts'
import { findZone } from './zone.ts'
import type { BorrowerLimits, LenderLimits, ZoneInput } from './types.ts'

const input: ZoneInput = { principal: 12_000_000, currentRatePct: '8', graceInterest: 'pay' }
const lender: LenderLimits = { minRecovery: 11_000_000, discountRatePct: '6', maxTermMonths: 60, minRatePct: '3', maxGraceMonths: 6 }
const borrower: BorrowerLimits = { maxMonthly: 260_000, maxTermMonths: 72, oneOffNow: 1_000_000 }

describe('the grid', () => {
  it('steps rates by 0.05 points from the lender minimum up to the current rate, which is always included', () => {
    expect(rateSteps('3', '3.12', 500)).toEqual([30_000, 30_500, 31_000, 31_200])
    expect(rateSteps('3', '3.1', 500)).toEqual([30_000, 30_500, 31_000])
    // A lender minimum above the current rate leaves that minimum alone.
    expect(rateSteps('5', '4', 500)).toEqual([50_000])
    expect(() => rateSteps('3.00001', '4', 500)).toThrow(RangeError)
  })

  it('counts method × term × grace × rate × one-off, with no grace on a bullet', () => {
    const grid = zoneGrid(input, { maxMonthly: 1, maxTermMonths: 3 }, { ...lender, maxGraceMonths: 1, minRatePct: '7.95' })
    // Terms 1..3; grace 0 at term 1, 0..1 after; bullet never; rates 7.95 and 8; no one-off.
    expect(gridSize(grid)).toBe((3 * (1 + 2 + 2) + 3) * 2)
  })

  it('rounds what a side is told to two significant figures, against that side', () => {
    expect(roundSignificant(243_417, 'up')).toBe(250_000)
    expect(roundSignificant(243_417, 'down')).toBe(240_000)
    expect(roundSignificant(250_000, 'up')).toBe(250_000)
    expect(roundSignificant(99, 'up')).toBe(99)
    expect(roundSignificant(1_000, 'down')).toBe(1_000)
  })
})

describe('present values', () => {
  it('equal restructuring\'s exact presentValue, exact halves included', () => {
    // 1 200 % a year is 100 % a month: each month halves a payment, so odd payments land on exact halves.
    const d = new Discounter('1200')
    for (const [payments, atStart] of [[[1], 0], [[3], 0], [[3, 5], 7], [[1, 1, 1], 2]] as const) {
      expect(d.presentValue(payments, atStart)).toBe(presentValue(payments, '1200', atStart))
    }
    const six = new Discounter('6')
    const level = new Array<number>(57).fill(231_054)
    expect(six.presentValue(level, 1_000_000)).toBe(presentValue(level, '6', 1_000_000))
    expect(six.level(231_054, 57, 1_000_000)).toBe(presentValue(level, '6', 1_000_000))
  })
})

describe('the proposal', () => {
  it('splits the surplus about equally on a realistic restructuring, within one rate step', () => {
    const r = findZone(input, borrower, lender)
    expect(r.feasible).toBe(true)
    if (!r.feasible) return
    const p = r.proposal
    expect(p.highestPayment).toBeLessThanOrEqual(borrower.maxMonthly)
    expect(p.presentValue).toBeGreaterThanOrEqual(lender.minRecovery)
    expect(p.borrowerSurplus + p.lenderSurplus).toBe(p.borrowerCapacity - lender.minRecovery)
    // One 0.05-point step moves this plan's PV by about 16,000 fen; the split is far closer than that.
    expect(Math.abs(p.borrowerSurplus - p.lenderSurplus)).toBeLessThan(1_000)
    expect(r.gridSize).toBe(253_914)
    expect(r.evaluated).toBeLessThan(r.gridSize / 20)
  })

  it('counts a last payment that absorbs rounding against the borrower\'s monthly limit', () => {
    // Find an annuity whose last payment is above its regular instalment, and offer exactly that instalment.
    let found: { principal: number; rate: string; term: number; regular: number } | null = null
    for (let principal = 100_001; found === null && principal < 100_500; principal++) {
      const { rows, regularInstalment } = buildRows({ principal, annualRatePct: '7', termMonths: 12, method: 'annuity' })
      if ((rows.at(-1)?.payment ?? 0) > regularInstalment) found = { principal, rate: '7', term: 12, regular: regularInstalment }
    }
    expect(found).not.toBeNull()
    if (found === null) return
    const only: ZoneInput = { principal: found.principal, currentRatePct: found.rate, methods: ['annuity'] }
    const l: LenderLimits = { minRecovery: 1, discountRatePct: '0', maxTermMonths: found.term, minRatePct: found.rate, maxGraceMonths: 0 }
    expect(findZone(only, { maxMonthly: found.regular, maxTermMonths: found.term }, l).feasible).toBe(false)
    expect(findZone(only, { maxMonthly: found.regular + 5, maxTermMonths: found.term }, l).feasible).toBe(true)
  })

  it('prefers the lowest rate when several rates give the same present value', () => {
    // One fen over one month earns no interest below 1 200 %: every rate ties, so the lender's minimum wins.
    const tiny: ZoneInput = { principal: 1, currentRatePct: '0.0501' }
    const l: LenderLimits = { minRecovery: 1, discountRatePct: '0', maxTermMonths: 1, minRatePct: '0', maxGraceMonths: 0 }
    const r = findZone(tiny, { maxMonthly: 1, maxTermMonths: 1 }, l)
    expect(r.feasible && r.proposal.terms.annualRatePct).toBe('0')
  })

  it('tells the borrower the plan and its highest payment, never a present value or surplus', () => {
    const r = findZone(input, borrower, lender)
    expect(Object.keys(viewFor(r, 'borrower')).sort()).toEqual(['highestPayment', 'oneOff', 'terms', 'zone'])
    expect(Object.keys(viewFor(r, 'lender')).sort()).toEqual(['highestPayment', 'lenderSurplus', 'oneOff', 'presentValue', 'terms', 'zone'])
  })
})

describe('no zone', () => {
  const tight: LenderLimits = { ...lender, minRecovery: 11_500_000, maxTermMonths: 48 }
  const b: BorrowerLimits = { maxMonthly: 230_000, maxTermMonths: 72, oneOffNow: 1_000_000 }

  it('answers each side with its own gap only', () => {
    const r = findZone(input, b, tight)
    expect(r.feasible).toBe(false)
    if (r.feasible) return
    // 48 months at 2,300.00 cannot repay 110,000.00 even at 3 %: the borrower needs more a month; a lower
    // recovery would not help the lender, a longer term would.
    expect(r.borrower).toEqual({ maxMonthlyAtLeast: 250_000, maxTermMonthsAtLeast: null })
    expect(r.lender.minRecoveryAtMost).toBeNull()
    expect(r.lender.maxTermMonthsAtLeast).toBeGreaterThan(48)
    expect(findZone(input, b, { ...tight, maxTermMonths: r.lender.maxTermMonthsAtLeast as number }).feasible).toBe(true)
    expect(viewFor(r, 'borrower')).toEqual({ zone: 'none', gap: r.borrower })
    expect(viewFor(r, 'lender')).toEqual({ zone: 'none', gap: r.lender })
  })
})
