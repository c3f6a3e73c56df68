import { describe, expect, it } from 'vitest'
import { HAND_BASELINE } from '../../test/support/restructuring/example.ts'
import { validateWaivers } from './waivers.schema.ts'
import type { Baseline } from '../restructuring/baseline.ts'
import { waiversAgainstBaseline } from '../restructuring/waivers.ts'

const baseline = HAND_BASELINE

function errorOf(x: unknown, b?: Baseline | null): string {
  const r = validateWaivers(x, b)
  return r.ok ? 'ok' : r.error
}

describe('validateWaivers', () => {
  it('accepts no waivers, and waivers up to each category with a reason', () => {
    expect(errorOf({}, baseline)).toBe('ok')
    expect(errorOf({ fees: 1_000, feesReason: 'Goodwill', penaltyInterest: 0 }, baseline)).toBe('ok')
    expect(errorOf({ accruedInterest: 6_000, accruedInterestReason: '停息挂账' }, baseline)).toBe('ok')
  })

  it.each([
    [{ fees: -1, feesReason: 'x' }, '/fees: must be >= 0'],
    [{ fees: 10.5, feesReason: 'x' }, '/fees: must be integer'],
    [{ fees: '10', feesReason: 'x' }, '/fees: must be integer'],
    [{ principal: 5 }, '/principal: is not allowed'],
    [{ fees: 500 }, '/feesReason: is required when fees is waived'],
    [{ penaltyInterest: 500, penaltyInterestReason: '   ' }, '/penaltyInterestReason: is required when penaltyInterest is waived'],
    [{ feesReason: 'x'.repeat(501) }, '/feesReason: must NOT have more than 500 characters'],
  ])('refuses %j with %s', (x, error) => {
    expect(errorOf(x, baseline)).toBe(error)
  })

  it('refuses a waiver larger than its category of the baseline, naming the baseline amount', () => {
    expect(errorOf({ fees: 1_001, feesReason: 'x' }, baseline)).toBe('/fees: must be <= the baseline fees (1000)')
    expect(waiversAgainstBaseline({ fees: 1_001, accruedInterest: 6_001 }, baseline)).toEqual([
      '/accruedInterest: must be <= the baseline accruedInterest (6000)',
      '/fees: must be <= the baseline fees (1000)',
    ])
  })

  it('without a baseline nothing can be waived; undefined skips the cross-check', () => {
    expect(errorOf({ fees: 1, feesReason: 'x' }, null)).toBe('/fees: needs a baseline: the lender states the debt before anything is waived')
    expect(errorOf({ fees: 0 }, null)).toBe('ok')
    expect(errorOf({ fees: 1_001, feesReason: 'x' })).toBe('ok')
  })
})
