// 先息后本: interest every month, the whole principal with the last payment.
import { interestOn, type MonthlyRate } from './rate.ts'
import type { Minor, PaymentRow } from './types.ts'

/**
 * Appends `months` rows and returns the regular instalment: the monthly interest payment, or the
 * single final payment when there is no interest-only month before it (months = 1).
 */
export function interestOnlyRows(rows: PaymentRow[], balance: Minor, rate: MonthlyRate, months: number): Minor {
  const interest = interestOn(balance, rate)
  for (let k = 1; k < months; k++) {
    rows.push({ period: rows.length + 1, payment: interest, principal: 0, interest, balance })
  }
  rows.push({ period: rows.length + 1, payment: balance + interest, principal: balance, interest, balance: 0 })
  return months > 1 ? interest : balance + interest
}
