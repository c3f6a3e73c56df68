// What each side may be told: the proposal's terms and only figures made of their own limits, or their own gap.
import type { Minor, Terms } from '../terms/types.ts'
import type { BorrowerGap, LenderGap, ZoneResult } from './types.ts'

/**
 * The borrower sees the plan and its highest payment, never a present value or a surplus: both are measured at
 * the lender's discount rate, and with the plan's payments they would give that rate (and minRecovery) away.
 */
export type BorrowerView =
  | { zone: 'found'; terms: Terms; oneOff: Minor; highestPayment: Minor }
  | { zone: 'none'; gap: BorrowerGap }

/** The lender sees the plan, its present value at their own rate, and their own surplus; never the borrower's. */
export type LenderView =
  | { zone: 'found'; terms: Terms; oneOff: Minor; highestPayment: Minor; presentValue: Minor; lenderSurplus: Minor }
  | { zone: 'none'; gap: LenderGap }

export function viewFor(result: ZoneResult, side: 'borrower'): BorrowerView
export function viewFor(result: ZoneResult, side: 'lender'): LenderView
export function viewFor(result: ZoneResult, side: 'borrower' | 'lender'): BorrowerView | LenderView {
  if (!result.feasible) {
    return side === 'borrower' ? { zone: 'none', gap: { ...result.borrower } } : { zone: 'none', gap: { ...result.lender } }
  }
  const p = result.proposal
  const common = { terms: { ...p.terms }, oneOff: p.oneOff, highestPayment: p.highestPayment }
  if (side === 'borrower') return { zone: 'found', ...common }
  return { zone: 'found', ...common, presentValue: p.presentValue, lenderSurplus: p.lenderSurplus }
}
