// One candidate's exact figures from the terms engine: its highest payment and the lender's present value.
import { presentValue } from '../restructuring/recovery.ts'
import { monthlyRate, parseRate } from '../terms/rate.ts'
import { buildRows, type Rows } from '../terms/schedule.ts'
import type { Minor, PaymentRow, Terms } from '../terms/types.ts'
import { ratePct, type Grid } from './grid.ts'
import type { Candidate } from './types.ts'

export interface Evaluated {
  terms: Terms
  /** The engine's regular instalment: never above the highest payment, and never falling as the rate rises. */
  regularInstalment: Minor
  highestPayment: Minor
  /** oneOff + PV of the payments at the discount rate, exactly as restructuring's presentValue rounds it. */
  presentValue: Minor
}

/**
 * Present values in floating point, falling back to the exact BigInt presentValue only when the float could
 * round to a different minor unit (its fraction within a generous error bound of one half). Amounts stay below
 * 2^53 and terms below 600 months, so the float's relative error is far below 1e-12.
 */
export class Discounter {
  private readonly v: number
  private readonly factors: number[] = [1]

  constructor(readonly annualRatePct: string) {
    const r = monthlyRate(parseRate(annualRatePct))
    this.v = Number(r.den) / Number(r.den + r.num)
  }

  private factor(k: number): number {
    const f = this.factors
    while (f.length <= k) f.push((f[f.length - 1] as number) * this.v)
    return f[k] as number
  }

  /** payments[k] falls due at month k + 1; atStart at month 0. */
  presentValue(payments: readonly Minor[], atStart: Minor): Minor {
    let sum = atStart
    this.factor(payments.length)
    for (let k = 0; k < payments.length; k++) sum += (payments[k] as number) * (this.factors[k + 1] as number)
    const floor = Math.floor(sum)
    if (Math.abs(sum - floor - 0.5) > sum * 1e-12 + 1e-6) return Math.round(sum)
    return presentValue(payments, this.annualRatePct, atStart)
  }

  /** The PV of `amount` every month for `months` months plus `atStart`, exact as above. */
  level(amount: Minor, months: number, atStart: Minor): Minor {
    return this.presentValue(new Array<Minor>(months).fill(amount), atStart)
  }
}

/** The terms of a candidate; `annualRatePct` is its rate spelled by ratePct, when the caller has it already. */
export function candidateTerms(grid: Grid, c: Candidate, annualRatePct = ratePct(c.rateTenThousandths)): Terms {
  const principal = grid.principal - c.oneOff
  const { termMonths, method, graceMonths } = c
  return graceMonths > 0
    ? { principal, annualRatePct, termMonths, method, graceMonths, graceInterest: grid.graceInterest }
    : { principal, annualRatePct, termMonths, method }
}

/** The candidate's figures, or null when its schedule would leave the engine's safe integer range. */
export function evaluate(grid: Grid, discounter: Discounter, c: Candidate, annualRatePct?: string): Evaluated | null {
  const terms = candidateTerms(grid, c, annualRatePct)
  let built: Rows
  try {
    built = buildRows(terms)
  } catch (e) {
    // The grid only builds valid terms, so the one refusal left is the safe-range bound (capitalized interest).
    if (e instanceof RangeError) return null
    throw e
  }
  const { rows, regularInstalment } = built
  const payments = new Array<Minor>(rows.length)
  let highestPayment = 0
  for (let k = 0; k < rows.length; k++) {
    const p = (rows[k] as PaymentRow).payment
    payments[k] = p
    if (p > highestPayment) highestPayment = p
  }
  return { terms, regularInstalment, highestPayment, presentValue: discounter.presentValue(payments, c.oneOff) }
}
