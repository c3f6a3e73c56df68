// One line of the grid: a method, term, grace and one-off fixed, the rate free. Its figures are computed lazily.
import { lastTrue } from '../terms/solve.ts'
import { evaluate, type Discounter, type Evaluated } from './evaluate.ts'
import type { Grid } from './grid.ts'
import type { Candidate } from './types.ts'

export class RateLine {
  private readonly cache: (Evaluated | null | undefined)[]

  constructor(
    readonly grid: Grid,
    private readonly discounter: Discounter,
    readonly base: Omit<Candidate, 'rateTenThousandths'>,
    private readonly counter: { evaluated: number },
  ) {
    this.cache = new Array(grid.rates.length)
  }

  get length(): number {
    return this.grid.rates.length
  }

  candidate(i: number): Candidate {
    const { method, termMonths, graceMonths, oneOff } = this.base
    return { method, termMonths, graceMonths, rateTenThousandths: this.grid.rates[i] as number, oneOff }
  }

  /** null when the schedule would leave the safe range (then so would every higher rate). */
  at(i: number): Evaluated | null {
    let e = this.cache[i]
    if (e === undefined) {
      this.counter.evaluated++
      e = evaluate(this.grid, this.discounter, this.candidate(i), this.grid.ratePcts[i] as string)
      this.cache[i] = e
    }
    return e
  }

  get hasBalloon(): boolean {
    return this.base.method === 'interest_only' || this.base.method === 'bullet'
  }

  /**
   * A payment that never falls as the rate rises and is never above the highest payment: the regular instalment,
   * or for interest-only and bullet the final payment (balance after grace plus round(balance × rate), both
   * rising with the rate), which is their highest.
   */
  private monotonePayment(e: Evaluated): number {
    return this.hasBalloon ? e.highestPayment : e.regularInstalment
  }

  /**
   * The highest rate index whose highest payment is ≤ maxMonthly, or −1. Exact: the regular instalment never
   * falls as the rate rises and never exceeds the highest payment (monotonePayment), so every index above the first one whose
   * regular instalment is over maxMonthly is infeasible; below it, the highest payment is checked downwards.
   */
  highestAffordable(maxMonthly: number): number {
    // An interest-only or bullet plan ends with a balloon of at least the principal: no rate makes it affordable.
    if (this.hasBalloon && this.grid.principal - this.base.oneOff > maxMonthly) return -1
    const fits = (i: number) => {
      const e = this.at(i)
      return e !== null && this.monotonePayment(e) <= maxMonthly
    }
    // Most lines are affordable at every rate or at none: two evaluations settle those.
    const top = this.length - 1
    let hi = !fits(0) ? -1 : fits(top) ? top : lastTrue(1, top - 1, fits)
    while (hi >= 0 && (this.at(hi) as Evaluated).highestPayment > maxMonthly) hi--
    return hi
  }

  /** The lowest index in [0, hi] whose present value is ≥ target (present value rises with the rate), or −1. */
  lowestRecovering(target: number, hi = this.length - 1): number {
    const top = this.at(hi)
    if (top === null || top.presentValue < target) return -1
    const below = lastTrue(0, hi, (i) => {
      const e = this.at(i)
      return e !== null && e.presentValue < target
    })
    if (below >= hi) return -1
    const e = this.at(below + 1)
    return e !== null && e.presentValue >= target ? below + 1 : -1
  }

  /**
   * The largest index in [0, hi] with 2 × present value ≤ sum, or −1, assuming the present value rises with the
   * rate. PV is close to linear in the rate, so interpolation between bracketing indices usually lands next to
   * the crossing in two or three evaluations; bisection takes over whenever interpolation stops shrinking the bracket.
   */
  crossing(sum: number, hi: number): number {
    const twice = (i: number) => 2 * (this.at(i) as Evaluated).presentValue
    if (twice(0) > sum) return -1
    if (twice(hi) <= sum) return hi
    // Invariant: twice(lo) ≤ sum < twice(up).
    let lo = 0
    let up = hi
    let bisect = false
    while (up - lo > 1) {
      const a = twice(lo)
      const b = twice(up)
      const width = up - lo
      const guess =
        bisect || b <= a ? lo + (width >> 1) : Math.min(up - 1, Math.max(lo + 1, lo + Math.round(((sum - a) / (b - a)) * width)))
      // A good guess lands beside the crossing, so its neighbour usually closes the bracket.
      if (twice(guess) <= sum) {
        lo = guess
        if (lo + 1 < up && twice(lo + 1) > sum) up = lo + 1
      } else {
        up = guess
        if (up - 1 > lo && twice(up - 1) <= sum) lo = up - 1
      }
      // On a curved stretch interpolation may only nibble at one end: alternate with bisection then.
      bisect = !bisect && up - lo > width / 2
    }
    return lo
  }
}
