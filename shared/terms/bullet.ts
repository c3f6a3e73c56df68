// 一次性还本付息: nothing until maturity, then principal plus simple (not compound) interest.
import type { MonthlyRate } from './rate.ts'
import { roundHalfUp } from './rounding.ts'
import type { Minor, PaymentRow } from './types.ts'

/**
 * Appends `months` rows: all but the last pay nothing and keep the balance at the principal; the last
 * pays principal + round(principal × r × months) (one rounding). Returns that single payment.
 */
export function bulletRows(rows: PaymentRow[], principal: Minor, rate: MonthlyRate, months: number): Minor {
  for (let k = 1; k < months; k++) {
    rows.push({ period: rows.length + 1, payment: 0, principal: 0, interest: 0, balance: principal })
  }
  const interest = Number(roundHalfUp(BigInt(principal) * rate.num * BigInt(months), rate.den))
  rows.push({ period: rows.length + 1, payment: principal + interest, principal, interest, balance: 0 })
  return principal + interest
}
