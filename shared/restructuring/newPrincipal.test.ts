import { describe, expect, it } from 'vitest'
import { newPrincipal } from './newPrincipal.ts'
import { HAND_BASELINE, HAND_WAIVERS } from '../../test/support/restructuring/example.ts'

describe('newPrincipal', () => {
  it('is outstanding + accrued + penalty + fees − waivers, with every part kept', () => {
    expect(newPrincipal(HAND_BASELINE, HAND_WAIVERS)).toEqual({
      outstandingPrincipal: 290_000,
      accruedInterest: 6_000,
      penaltyInterest: 3_000,
      fees: 1_000,
      totalOwed: 300_000,
      waivers: { accruedInterest: 0, penaltyInterest: 3_000, fees: 1_000, total: 4_000 },
      newPrincipal: 296_000,
    })
  })
})
