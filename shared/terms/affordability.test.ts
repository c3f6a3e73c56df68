import { describe, expect, it } from 'vitest'
import { affordability } from './affordability.ts'
import { computeSchedule } from './schedule.ts'

describe('affordability', () => {
  const result = computeSchedule({ principal: 100_000_000, annualRatePct: '4.9', termMonths: 360, method: 'annuity' }) // 530,727 a month

  it('computes the debt-service ratio and what is left each month', () => {
    const a = affordability({ monthlyIncome: 2_000_000, monthlyExpenses: 600_000, otherDebtPayments: 100_000 }, result)
    expect(a.instalment).toBe(530_727)
    expect(a.debtService).toBe(630_727)
    // 630,727 / 2,000,000 = 31.53635 % → "31.5%"
    expect(a.debtServiceRatio).toBeCloseTo(0.3153635, 10)
    expect(a.debtServiceRatioPct).toBe('31.5%')
    expect(a.disposableIncome).toBe(2_000_000 - 600_000 - 100_000 - 530_727)
    expect(a.flags).toEqual({ noIncome: false, highDebtService: false, negativeDisposable: false })
    expect(a.netWorth).toBeNull()
  })

  it('flags a ratio above 50 % exactly, and a negative disposable income', () => {
    // 530,727 + 0 over 1,061,454 is exactly 50 %: not above.
    const at = affordability({ monthlyIncome: 1_061_454, monthlyExpenses: 0, otherDebtPayments: 0 }, result)
    expect(at.debtServiceRatioPct).toBe('50.0%')
    expect(at.flags.highDebtService).toBe(false)
    const above = affordability({ monthlyIncome: 1_061_453, monthlyExpenses: 600_000, otherDebtPayments: 0 }, result)
    expect(above.flags.highDebtService).toBe(true)
    expect(above.flags.negativeDisposable).toBe(true)
    expect(above.disposableIncome).toBe(1_061_453 - 600_000 - 530_727)
  })

  it('rounds the display half up to one decimal', () => {
    // 1,005 / 2,000 = 50.25 % → "50.3%" (half up), and 1 / 3 = 33.33 % → "33.3%".
    expect(affordability({ monthlyIncome: 2_000, monthlyExpenses: 0, otherDebtPayments: 5 }, { regularInstalment: 1_000 }).debtServiceRatioPct).toBe('50.3%')
    expect(affordability({ monthlyIncome: 3, monthlyExpenses: 0, otherDebtPayments: 0 }, { regularInstalment: 1 }).debtServiceRatioPct).toBe('33.3%')
  })

  it('gives no ratio without income, and flags it', () => {
    const a = affordability({ monthlyIncome: 0, monthlyExpenses: 100, otherDebtPayments: 0, assets: 5_000, liabilities: 7_000 }, result)
    expect(a.debtServiceRatio).toBeNull()
    expect(a.debtServiceRatioPct).toBeNull()
    expect(a.flags).toEqual({ noIncome: true, highDebtService: true, negativeDisposable: true })
    expect(a.netWorth).toBe(-2_000)
  })
})
