import { describe, expect, it } from 'vitest'
import { annuityInstalment, annuityRows } from './annuity.ts'
import { monthlyRate, parseRate } from './rate.ts'
import { computeSchedule } from './schedule.ts'
import type { PaymentRow } from './types.ts'

const rate = (pct: string) => monthlyRate(parseRate(pct))

describe('annuity (等额本息)', () => {
  it('1,000,000.00 CNY at 4.9 % over 360 months pays 5,307.27 a month', () => {
    // r = 0.049 / 12 = 0.00408333…, (1 + r)^360 = 4.336236886…,
    // A = 100,000,000 × r × 4.336236886 / 3.336236886 = 530,726.7206… fen → 530,727 (5,307.27).
    expect(annuityInstalment(100_000_000, rate('4.9'), 360)).toBe(530_727)
    const r = computeSchedule({ principal: 100_000_000, annualRatePct: '4.9', termMonths: 360, method: 'annuity' })
    expect(r.regularInstalment).toBe(530_727)
    // Month 1: interest = 100,000,000 × 0.049 / 12 = 408,333.33 → 408,333; principal = 530,727 − 408,333.
    expect(r.payments[0]).toEqual({ period: 1, payment: 530_727, principal: 122_394, interest: 408_333, balance: 99_877_606 })
    expect(r.payments).toHaveLength(360)
    expect(r.payments.at(-1)?.balance).toBe(0)
    // Fee-free: the APR is the nominal rate; EAR = (1 + 0.049/12)^12 − 1 = 5.0116 %.
    expect(r.aprPct).toBe('4.9000')
    expect(r.earPct).toBe('5.0116')
  })

  it('1,200.00 at 12 % over 3 months, row by row', () => {
    // r = 1 %: A = 120,000 × 0.01 × 1.01³ / (1.01³ − 1) = 120,000 × 0.010303010 / 0.030301 = 40,802.65 → 40,803.
    const rows: PaymentRow[] = []
    expect(annuityRows(rows, 120_000, rate('12'), 3)).toBe(40_803)
    expect(rows).toEqual([
      // interest 1 % of 120,000 = 1,200; principal 40,803 − 1,200 = 39,603
      { period: 1, payment: 40_803, principal: 39_603, interest: 1_200, balance: 80_397 },
      // interest 803.97 → 804
      { period: 2, payment: 40_803, principal: 39_999, interest: 804, balance: 40_398 },
      // interest 403.98 → 404; the last payment takes the whole balance: 40,398 + 404 = 40,802
      { period: 3, payment: 40_802, principal: 40_398, interest: 404, balance: 0 },
    ])
  })

  it('rate 0: principal / n rounded, the last payment absorbs the rest', () => {
    // 100,000 / 3 = 33,333.33 → 33,333; last = 100,000 − 2 × 33,333 = 33,334.
    const r = computeSchedule({ principal: 100_000, annualRatePct: '0', termMonths: 3, method: 'annuity' })
    expect(r.payments.map((p) => p.payment)).toEqual([33_333, 33_333, 33_334])
    expect(r.payments.every((p) => p.interest === 0)).toBe(true)
    expect(r.totalInterest).toBe(0)
    expect(r.aprPct).toBe('0.0000')
    expect(r.earPct).toBe('0.0000')
  })

  it('a rounded-up instalment that would repay early stops at zero instead of going negative', () => {
    // 3 fen over 4 months at 0 %: A = round(0.75) = 1. Months 1–3 repay 1 each, month 4 has nothing left.
    const r = computeSchedule({ principal: 3, annualRatePct: '0', termMonths: 4, method: 'annuity' })
    expect(r.payments.map((p) => [p.payment, p.balance])).toEqual([
      [1, 2],
      [1, 1],
      [1, 0],
      [0, 0],
    ])
    expect(r.regularInstalment).toBe(1)
  })

  it('1 month: principal plus one month of interest', () => {
    // 100,000 × 12 % / 12 = 1,000.
    const r = computeSchedule({ principal: 100_000, annualRatePct: '12', termMonths: 1, method: 'annuity' })
    expect(r.payments).toEqual([{ period: 1, payment: 101_000, principal: 100_000, interest: 1_000, balance: 0 }])
    expect(r.aprPct).toBe('12.0000')
  })

  it('600 months: 1,000,000.00 at 4.35 % pays 4,091.68', () => {
    // r = 0.0435 / 12, (1 + r)^600 = 8.767636867 → A = 409,167.990 fen → 409,168.
    const r = computeSchedule({ principal: 100_000_000, annualRatePct: '4.35', termMonths: 600, method: 'annuity' })
    expect(r.regularInstalment).toBe(409_168)
    expect(r.payments).toHaveLength(600)
    expect(r.payments.slice(0, -1).every((p) => p.payment === 409_168)).toBe(true)
    expect(r.payments.at(-1)?.balance).toBe(0)
    expect(r.aprPct).toBe('4.3500')
  })

  it('10^13 principal at 36 % is exact (products far beyond 2^53)', () => {
    // r = 3 %, 1.03^12 = 1.425760886846179: A = 10^13 × 0.03 × 1.4257608868 / 0.4257608868
    //   = 142576088684617894544784100000000000 / 141920295615392981815947 = 1,004,620,854,729.63 → …730.
    const r = computeSchedule({ principal: 10 ** 13, annualRatePct: '36', termMonths: 12, method: 'annuity' })
    expect(r.regularInstalment).toBe(1_004_620_854_730)
    // Month 1 interest: 3 % of 10^13 = 300,000,000,000 exactly.
    expect(r.payments[0]?.interest).toBe(300_000_000_000)
    expect(r.payments[0]?.principal).toBe(704_620_854_730)
    expect(r.payments.reduce((s, p) => s + p.principal, 0)).toBe(10 ** 13)
    expect(r.totalPaid).toBe(r.payments.reduce((s, p) => s + p.payment, 0))
    expect(r.aprPct).toBe('36.0000')
  })
})
