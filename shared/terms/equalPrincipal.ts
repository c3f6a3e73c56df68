// 等额本金: the same principal every month plus that month's interest, so payments fall over time.
import { interestOn, type MonthlyRate } from './rate.ts'
import { roundHalfUp } from './rounding.ts'
import type { Minor, PaymentRow } from './types.ts'

/**
 * Appends `months` rows repaying round(balance / months) each month (the last takes what is left)
 * and returns the regular instalment: the first, highest payment. When rounding up would repay
 * early, later rows repay only what is left (zero), never more.
 */
export function equalPrincipalRows(rows: PaymentRow[], balance: Minor, rate: MonthlyRate, months: number): Minor {
  const part = roundHalfUp(balance, months)
  let first = -1
  for (let k = 1; k <= months; k++) {
    const interest = interestOn(balance, rate)
    const principal = k === months ? balance : Math.min(part, balance)
    balance -= principal
    const payment = principal + interest
    if (first < 0) first = payment
    rows.push({ period: rows.length + 1, payment, principal, interest, balance })
  }
  return first
}
