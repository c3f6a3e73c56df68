import { describe, expect, it } from 'vitest'
import { validateBaseline } from './baseline.schema.ts'
import { HAND_BASELINE } from '../../test/support/restructuring/example.ts'

const valid = HAND_BASELINE

function errorOf(x: unknown): string {
  const r = validateBaseline(x)
  return r.ok ? 'ok' : r.error
}

describe('validateBaseline', () => {
  it('accepts a complete baseline and returns a copy', () => {
    const r = validateBaseline(valid)
    expect(r).toEqual({ ok: true, value: valid })
    expect(r.ok && r.value).not.toBe(valid)
  })

  it('accepts a matured contract (no months left) without a method', () => {
    const { originalMethod: _m, ...matured } = valid
    expect(errorOf({ ...matured, originalRemainingMonths: 0 })).toBe('ok')
  })

  it.each([
    [{ ...valid, outstandingPrincipal: 0 }, '/outstandingPrincipal: must be >= 1'],
    [{ ...valid, fees: -1 }, '/fees: must be >= 0'],
    [{ ...valid, accruedInterest: 1.5 }, '/accruedInterest: must be integer'],
    [{ ...valid, penaltyInterest: '3000' }, '/penaltyInterest: must be integer'],
    [{ ...valid, daysPastDue: -1 }, '/daysPastDue: must be >= 0'],
    [{ ...valid, asOfDate: '2025-02-30' }, '/asOfDate: must be a date YYYY-MM-DD'],
    [{ ...valid, asOfDate: '28.02.2025' }, '/asOfDate: must be a date YYYY-MM-DD'],
    [{ ...valid, originalAnnualRatePct: '12.5%' }, '/originalAnnualRatePct: must be a decimal string from 0 to 100 with at most 4 decimals'],
    [{ ...valid, originalMethod: 'balloon' }, '/originalMethod: must be one of annuity, equal_principal, interest_only, bullet'],
    [{ ...valid, originalRemainingMonths: 601 }, '/originalRemainingMonths: must be <= 600'],
    [{ ...valid, extra: 1 }, '/extra: is not allowed'],
    [{ daysPastDue: 30 }, '/outstandingPrincipal: is required'],
    [
      { ...valid, outstandingPrincipal: 10 ** 13, fees: 1 },
      '/: outstanding principal + accrued interest + penalty interest + fees must be <= 10000000000000',
    ],
  ])('refuses %j with %s', (x, error) => {
    expect(errorOf(x)).toBe(error)
  })

  it('needs the original method while the original contract has months left', () => {
    const { originalMethod: _m, ...noMethod } = valid
    expect(errorOf(noMethod)).toBe('/originalMethod: is required while the original contract has months remaining')
  })
})
