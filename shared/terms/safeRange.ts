// Every amount of a schedule must be an exact JS number: this bounds them before any row is trusted.
import { interestOn, type MonthlyRate } from './rate.ts'
import type { GraceInterest, Minor } from './types.ts'

export const SAFE_RANGE_REASON = `amounts would exceed ${Number.MAX_SAFE_INTEGER} minor units (capitalized interest grows too large)`

/**
 * True when every figure of a schedule provably stays ≤ 2^53 − 1, given the balance after grace.
 * Total paid ≤ B'·(2 + r·(n+1)) + n for every method: an annuity instalment is at most
 * B'·(r + 1/m), the last payment at most B'·(1 + r) + 1, each rounding adds at most one unit,
 * and paid grace interest is at most r·B' a month. Rows, balances and totals are all ≤ total paid.
 */
export function fitsSafeRange(balanceAfterGrace: Minor, rate: MonthlyRate, termMonths: number): boolean {
  if (!Number.isSafeInteger(balanceAfterGrace)) return false
  const n = BigInt(termMonths)
  const bound = BigInt(balanceAfterGrace) * (2n * rate.den + rate.num * (n + 1n)) + n * rate.den
  return bound <= BigInt(Number.MAX_SAFE_INTEGER) * rate.den
}

/** The balance after `graceMonths` capitalized months, or Infinity once it leaves the safe range. */
export function capitalizedBalance(principal: Minor, rate: MonthlyRate, graceMonths: number): number {
  let balance = principal
  for (let k = 0; k < graceMonths; k++) {
    balance += interestOn(balance, rate)
    if (balance > Number.MAX_SAFE_INTEGER) return Infinity
  }
  return balance
}

/** The same check from the terms alone (for the schema), without building rows. */
export function termsFitSafeRange(
  principal: Minor,
  rate: MonthlyRate,
  termMonths: number,
  graceMonths: number,
  graceInterest: GraceInterest,
): boolean {
  const after = graceMonths > 0 && graceInterest === 'capitalize' ? capitalizedBalance(principal, rate, graceMonths) : principal
  return fitsSafeRange(after, rate, termMonths)
}
