// Grace months at the start of a schedule: interest is either capitalized (nothing paid) or paid alone.
import { interestOn, type MonthlyRate } from './rate.ts'
import type { GraceInterest, Minor, PaymentRow } from './types.ts'

/**
 * Appends `months` grace rows and returns the balance the repayment method then starts from.
 * capitalize: {payment: 0, interest: X, principal: 0, balance: previous + X} (compounding monthly);
 * pay: {payment: X, interest: X, principal: 0, balance unchanged}.
 * Stops early (returning Infinity) once a capitalized balance leaves the safe-integer range.
 */
export function graceRows(rows: PaymentRow[], balance: Minor, rate: MonthlyRate, months: number, kind: GraceInterest): Minor {
  for (let k = 0; k < months; k++) {
    const interest = interestOn(balance, rate)
    if (kind === 'capitalize') {
      balance += interest
      if (balance > Number.MAX_SAFE_INTEGER) return Infinity
      rows.push({ period: rows.length + 1, payment: 0, principal: 0, interest, balance })
    } else {
      rows.push({ period: rows.length + 1, payment: interest, principal: 0, interest, balance })
    }
  }
  return balance
}
