import { describe, expect, it } from 'vitest'
import { validateBorrowerLimits, validateLenderLimits } from './zoneLimits.schema.ts'

const errorOf = (r: { ok: true } | { ok: false; error: string }) => (r.ok ? 'ok' : r.error)
const lender = { minRecovery: 11_000_000, discountRatePct: '6', maxTermMonths: 60, minRatePct: '3.5', maxGraceMonths: 6 }

describe('zone limits', () => {
  it('accepts a borrower with or without a one-off, and a lender with every limit', () => {
    expect(errorOf(validateBorrowerLimits({ maxMonthly: 260_000, maxTermMonths: 72 }))).toBe('ok')
    expect(errorOf(validateBorrowerLimits({ maxMonthly: 260_000, maxTermMonths: 72, oneOffNow: 0 }))).toBe('ok')
    expect(errorOf(validateLenderLimits(lender))).toBe('ok')
  })

  it.each([
    [{ maxMonthly: 0, maxTermMonths: 12 }, '/maxMonthly: must be >= 1'],
    [{ maxMonthly: 2.5, maxTermMonths: 12 }, '/maxMonthly: must be integer'],
    [{ maxMonthly: 100, maxTermMonths: 601 }, '/maxTermMonths: must be <= 600'],
    [{ maxMonthly: 100 }, '/maxTermMonths: is required'],
    [{ maxMonthly: 100, maxTermMonths: 12, oneOffNow: -1 }, '/oneOffNow: must be >= 0'],
    [{ maxMonthly: 100, maxTermMonths: 12, minRecovery: 5 }, '/minRecovery: is not allowed'],
  ])('refuses the borrower limits %j with %s', (x, error) => {
    expect(errorOf(validateBorrowerLimits(x))).toBe(error)
  })

  it.each([
    [{ ...lender, discountRatePct: 6 }, '/discountRatePct: must be string'],
    [{ ...lender, minRatePct: '3.12345' }, '/minRatePct: must be a decimal string from 0 to 100 with at most 4 decimals'],
    [{ ...lender, maxGraceMonths: -1 }, '/maxGraceMonths: must be >= 0'],
    [{ ...lender, minRecovery: 1.5 }, '/minRecovery: must be integer'],
    [{ ...lender, maxMonthly: 1 }, '/maxMonthly: is not allowed'],
  ])('refuses the lender limits %j with %s', (x, error) => {
    expect(errorOf(validateLenderLimits(x))).toBe(error)
  })
})
