// A small restructuring worked by hand in recovery.test.ts (停息挂账: interest stopped, debt spread over 3 months).
import fc from 'fast-check'
import type { RoomContent } from '../../../shared/document/roomDoc.ts'
import type { Baseline } from '../../../shared/restructuring/baseline.ts'
import type { Waivers } from '../../../shared/restructuring/waivers.ts'

export const HAND_BASELINE: Baseline = {
  outstandingPrincipal: 290_000,
  accruedInterest: 6_000,
  penaltyInterest: 3_000,
  fees: 1_000,
  daysPastDue: 75,
  asOfDate: '2025-02-28',
  originalAnnualRatePct: '12',
  originalMethod: 'annuity',
  originalRemainingMonths: 3,
}

export const HAND_WAIVERS: Waivers = {
  penaltyInterest: 3_000,
  penaltyInterestReason: 'Job loss in January; first default',
  fees: 1_000,
  feesReason: 'Late fees waived as goodwill',
}

/** The new plan: 0 % over 3 months (the principal follows from the baseline and the waivers). */
export const HAND_PLAN = { annualRatePct: '0', termMonths: 3, method: 'annuity' as const }

export const HAND_COMMITMENTS = {
  firstDueDate: '2025-03-31',
  noCollectionCalls: true,
  noHomeVisits: true,
  creditReporting: 'restructured_current',
  missedPaymentsBeforeLapse: 2,
  lapseRestoresBaseline: true,
}

/** New principal 296,000 (300,000 owed − 4,000 waived) at 0 % over 3 months. */
export function handContent(): RoomContent {
  return {
    terms: { ...HAND_PLAN },
    clauses: '',
    profile: { monthlyIncome: 400_000, monthlyExpenses: 200_000, otherDebtPayments: 20_000 },
    baseline: { ...HAND_BASELINE },
    waivers: { ...HAND_WAIVERS },
    commitments: { ...HAND_COMMITMENTS },
  }
}

const amount = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(0, max))

/** Valid baselines: any amounts whose total stays within the terms' principal limit. */
export const baselineArb: fc.Arbitrary<Baseline> = fc
  .record({
    outstandingPrincipal: fc.oneof(fc.integer({ min: 1, max: 9 * 10 ** 12 }), fc.integer({ min: 1, max: 100_000_000 })),
    accruedInterest: amount(3 * 10 ** 11),
    penaltyInterest: amount(3 * 10 ** 11),
    fees: amount(3 * 10 ** 11),
    daysPastDue: fc.integer({ min: 0, max: 3_650 }),
    originalRemainingMonths: fc.integer({ min: 0, max: 600 }),
    originalMethod: fc.constantFrom('annuity' as const, 'equal_principal' as const, 'interest_only' as const, 'bullet' as const),
    originalAnnualRatePct: fc.constantFrom('0', '4.35', '12', '24', '35.9999'),
  })
  .map((b) => ({ ...b, asOfDate: '2025-02-28' }))

/** Waivers within `b`'s categories (each with a reason when above 0). */
export function waiversWithin(b: Baseline): fc.Arbitrary<Waivers> {
  return fc
    .record({
      accruedInterest: fc.integer({ min: 0, max: b.accruedInterest }),
      penaltyInterest: fc.integer({ min: 0, max: b.penaltyInterest }),
      fees: fc.integer({ min: 0, max: b.fees }),
    })
    .map((w) => ({ ...w, accruedInterestReason: 'r', penaltyInterestReason: 'r', feesReason: 'r' }))
}
