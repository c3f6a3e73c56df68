// Whether the two private limits leave a zone of agreement, the plan proposed inside it, or each side's own gap.
//
// Feasible plan: every payment ≤ borrower.maxMonthly; term ≤ both maxima; grace ≤ lender.maxGraceMonths; rate ≥
// lender.minRatePct; one-off + PV of the payments at lender.discountRatePct ≥ lender.minRecovery.
// Proposal rule: with capacity = oneOffNow + PV of maxMonthly over the plan's term (same discount rate), the
// borrower's surplus is capacity − PV and the lender's PV − minRecovery; the proposal minimises
// |borrower surplus − lender surplus|, i.e. puts the plan's PV midway between the two limits on that term, the
// equal split of a transferable surplus (where it is reachable, also the Nash bargaining point for that term).
// Ties: shorter term, lower rate, method order, fewer grace months, no one-off.
// Search: per line (method, term, grace, one-off) the affordable rates are found exactly from the regular
// instalment, which never falls as the rate rises; PV is taken not to fall as the rate rises (it rises by
// thousands of units per step on real debts; on small or short ones it may stay flat, and the flat stretch's
// lowest rate is taken). The property tests compare every answer with a brute force over the same grid.
import { Discounter, type Evaluated } from './evaluate.ts'
import { graceLimit, gridSize, tieBreak, zoneGrid, type Grid } from './grid.ts'
import { RateLine } from './line.ts'
import { roundSignificant } from './significant.ts'
import type { BorrowerGap, BorrowerLimits, LenderGap, LenderLimits, PlanFigures, ZoneInput, ZoneResult } from './types.ts'

interface Search {
  grid: Grid
  discounter: Discounter
  counter: { evaluated: number }
  borrower: BorrowerLimits
  lender: LenderLimits
  capacities: Map<number, number>
}

/** Every line (method × grace × one-off) of one term, in tie-break order. */
function* linesOf(s: Search, termMonths: number): Generator<RateLine> {
  for (const method of s.grid.methods) {
    for (let graceMonths = 0; graceMonths <= graceLimit(method, termMonths, s.grid.maxGrace); graceMonths++) {
      for (const oneOff of s.grid.oneOffs) {
        yield new RateLine(s.grid, s.discounter, { method, termMonths, graceMonths, oneOff }, s.counter)
      }
    }
  }
}

function capacity(s: Search, termMonths: number): number {
  let c = s.capacities.get(termMonths)
  if (c === undefined) {
    c = s.discounter.level(s.borrower.maxMonthly, termMonths, s.borrower.oneOffNow ?? 0)
    s.capacities.set(termMonths, c)
  }
  return c
}

function figures(s: Search, line: RateLine, i: number, e: Evaluated): PlanFigures {
  const borrowerCapacity = capacity(s, line.base.termMonths)
  return {
    ...line.candidate(i),
    terms: e.terms,
    highestPayment: e.highestPayment,
    presentValue: e.presentValue,
    borrowerCapacity,
    borrowerSurplus: borrowerCapacity - e.presentValue,
    lenderSurplus: e.presentValue - s.lender.minRecovery,
  }
}

function feasibleAt(s: Search, line: RateLine, i: number): Evaluated | null {
  const e = line.at(i)
  return e !== null && e.highestPayment <= s.borrower.maxMonthly && e.presentValue >= s.lender.minRecovery ? e : null
}

/** a better than b under the rule: smaller |borrower surplus − lender surplus|, then the tie-break order. */
function better(grid: Grid, a: PlanFigures, b: PlanFigures | null): boolean {
  if (b === null) return true
  const da = Math.abs(a.borrowerSurplus - a.lenderSurplus)
  const db = Math.abs(b.borrowerSurplus - b.lenderSurplus)
  return da !== db ? da < db : tieBreak(grid, a, b) < 0
}

interface LineOutcome {
  /** The line's best plan under the rule, if any is feasible. */
  best: PlanFigures | null
  /** The present value at the highest rate the borrower can pay on this line (null: none). */
  topPresentValue: number | null
}

/**
 * The line's best plan. Borrower surplus − lender surplus = capacity + minRecovery − 2·PV falls as the rate
 * (and with it PV) rises, so the best rate is next to where 2·PV crosses capacity + minRecovery, clamped to the
 * rates the borrower can pay; the neighbours are checked exactly, and a line whose figures do not behave
 * monotonically there is scanned whole.
 */
function searchLine(s: Search, line: RateLine): LineOutcome {
  const hi = line.highestAffordable(s.borrower.maxMonthly)
  if (hi < 0) return { best: null, topPresentValue: null }
  const top = (line.at(hi) as Evaluated).presentValue
  if (top < s.lender.minRecovery) return { best: null, topPresentValue: top }
  const sum = capacity(s, line.base.termMonths) + s.lender.minRecovery
  const c = line.crossing(sum, hi)
  // On one line only the rate differs, so of two equally good rates the lower wins.
  let bestIndex = -1
  let bestDiff = Infinity
  const consider = (i: number) => {
    const e = feasibleAt(s, line, i)
    if (e === null) return
    const diff = Math.abs(sum - 2 * e.presentValue)
    if (diff < bestDiff || (diff === bestDiff && i < bestIndex)) {
      bestIndex = i
      bestDiff = diff
    }
  }
  // A short or small plan's PV can stay the same over several rate steps: the lowest rate of that plateau ties
  // with the crossing and wins the tie-break.
  if (c > 0) {
    const pv = (line.at(c) as Evaluated).presentValue
    if ((line.at(c - 1) as Evaluated).presentValue === pv) consider(line.lowestRecovering(pv, c))
  }
  for (let i = Math.max(0, c - 1); i <= Math.min(hi, c + 2); i++) consider(i)
  if (bestIndex < 0) for (let i = 0; i <= hi; i++) consider(i)
  const best = bestIndex < 0 ? null : figures(s, line, bestIndex, line.at(bestIndex) as Evaluated)
  return { best, topPresentValue: top }
}

function newSearch(input: ZoneInput, borrower: BorrowerLimits, lender: LenderLimits): Search {
  return {
    grid: zoneGrid(input, borrower, lender),
    discounter: new Discounter(lender.discountRatePct),
    counter: { evaluated: 0 },
    borrower,
    lender,
    capacities: new Map(),
  }
}

/** The shortest term in (from, to] with any feasible plan, or null. */
function firstFeasibleTerm(s: Search, from: number, to: number): number | null {
  for (let t = from + 1; t <= Math.min(to, 600); t++) {
    for (const line of linesOf(s, t)) {
      const hi = line.highestAffordable(s.borrower.maxMonthly)
      if (hi >= 0 && (line.at(hi) as Evaluated).presentValue >= s.lender.minRecovery) return t
    }
  }
  return null
}

/**
 * The lowest highest-payment of any plan that meets every lender limit within the grid's terms: what the
 * borrower's maxMonthly would have to be. Lines whose provable lower bound (the regular instalment at the lowest
 * rate; for interest-only and bullet, the balloon is at least the principal) cannot beat the best so far are skipped.
 */
function lowestAffordableNeed(s: Search): number | null {
  let need: number | null = null
  for (let t = 1; t <= s.grid.maxTerm; t++) {
    for (const line of linesOf(s, t)) {
      const floor = line.at(0)
      if (floor === null) continue
      const balloon = line.base.method === 'interest_only' || line.base.method === 'bullet' ? s.grid.principal - line.base.oneOff : 0
      if (need !== null && Math.max(floor.regularInstalment, balloon) >= need) continue
      const i = line.lowestRecovering(s.lender.minRecovery)
      if (i < 0) continue
      const pay = (line.at(i) as Evaluated).highestPayment
      if (need === null || pay < need) need = pay
    }
  }
  return need
}

/**
 * The zone for these limits. With a zone: the proposal, the feasible plan whose borrower surplus and lender
 * surplus (in present value at the lender's discount rate) are closest to equal. Without: each side's own gap.
 */
export function findZone(input: ZoneInput, borrower: BorrowerLimits, lender: LenderLimits): ZoneResult {
  const s = newSearch(input, borrower, lender)
  let best: PlanFigures | null = null
  let topPresentValue: number | null = null
  for (let t = 1; t <= s.grid.maxTerm; t++) {
    for (const line of linesOf(s, t)) {
      const out = searchLine(s, line)
      if (out.best !== null && better(s.grid, out.best, best)) best = out.best
      if (out.topPresentValue !== null && (topPresentValue === null || out.topPresentValue > topPresentValue)) {
        topPresentValue = out.topPresentValue
      }
    }
  }
  const size = gridSize(s.grid)
  if (best !== null) return { feasible: true, proposal: best, gridSize: size, evaluated: s.counter.evaluated }

  const need = lowestAffordableNeed(s)
  const borrowerGap: BorrowerGap = {
    maxMonthlyAtLeast: need === null ? null : roundSignificant(need, 'up'),
    // Longer borrower terms only help up to the lender's own maximum, and the reverse.
    maxTermMonthsAtLeast: borrower.maxTermMonths < lender.maxTermMonths ? firstFeasibleTerm(s, s.grid.maxTerm, lender.maxTermMonths) : null,
  }
  const lenderGap: LenderGap = {
    minRecoveryAtMost: topPresentValue === null ? null : roundSignificant(topPresentValue, 'down'),
    maxTermMonthsAtLeast: lender.maxTermMonths < borrower.maxTermMonths ? firstFeasibleTerm(s, s.grid.maxTerm, borrower.maxTermMonths) : null,
  }
  return { feasible: false, borrower: borrowerGap, lender: lenderGap, gridSize: size, evaluated: s.counter.evaluated }
}
