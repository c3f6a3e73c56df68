// 等额本息: equal instalments; each row's interest is rounded, the last payment absorbs the residue.
import { interestOn, type MonthlyRate } from './rate.ts'
import { roundHalfUp } from './rounding.ts'
import type { Minor, PaymentRow } from './types.ts'

/**
 * The exact instalment B·r·(1+r)^m / ((1+r)^m − 1), rounded half up once.
 * With r = num/den: B·num·(den+num)^m / (den·((den+num)^m − den^m)), all in BigInt.
 */
export function annuityInstalment(balance: Minor, rate: MonthlyRate, months: number): Minor {
  if (rate.num === 0n) return roundHalfUp(balance, months)
  const m = BigInt(months)
  const grown = (rate.den + rate.num) ** m
  const numerator = BigInt(balance) * rate.num * grown
  const denominator = rate.den * (grown - rate.den ** m)
  return Number(roundHalfUp(numerator, denominator))
}

/**
 * Appends `months` annuity rows and returns the regular instalment.
 * Rounding the instalment up can repay a small balance before the last month: that row then pays
 * the balance plus its interest, and the remaining rows are zero (the balance never goes negative).
 */
export function annuityRows(rows: PaymentRow[], balance: Minor, rate: MonthlyRate, months: number): Minor {
  const instalment = annuityInstalment(balance, rate, months)
  for (let k = 1; k <= months; k++) {
    const interest = interestOn(balance, rate)
    let principal: Minor
    if (k === months || balance + interest <= instalment) {
      principal = balance
    } else {
      // Never negative: the instalment exceeds the first month's interest and the balance only falls.
      principal = instalment - interest
    }
    balance -= principal
    rows.push({ period: rows.length + 1, payment: principal + interest, principal, interest, balance })
  }
  return instalment
}
