// The candidate grid: method × term × grace × rate × one-off, with documented steps.
import { parseRate, ratePctFromTenThousandths } from '../terms/rate.ts'
import type { GraceInterest, Method, Minor } from '../terms/types.ts'
import type { BorrowerLimits, Candidate, LenderLimits, ZoneInput } from './types.ts'

export const DEFAULT_METHODS: readonly Method[] = ['annuity', 'equal_principal', 'interest_only', 'bullet']
/** 0.05 percentage points. */
export const DEFAULT_RATE_STEP = 500
const MAX_TERM = 600

export interface Grid {
  principal: Minor
  graceInterest: GraceInterest
  methods: readonly Method[]
  /** Ascending, in ten-thousandths of a percent. */
  rates: readonly number[]
  /** The same rates spelled as terms take them (ratePct). */
  ratePcts: readonly string[]
  /** Terms are 1..maxTerm. */
  maxTerm: number
  maxGrace: number
  /** 0, then the borrower's one-off when it is positive and below the principal. */
  oneOffs: readonly Minor[]
}

/** "4.35" → 43500; RangeError for more than 4 decimals (the grid's rates are all in ten-thousandths). */
export function rateTenThousandths(pct: string): number {
  const r = parseRate(pct)
  const scaled = r.num * 1_000_000n
  if (scaled % r.den !== 0n) throw new RangeError(`rate has more than 4 decimals: ${pct}`)
  return Number(scaled / r.den)
}

/** 77000 → "7.7", 80000 → "8": the shortest exact decimal, as a person would type the rate. */
export function ratePct(tenThousandths: number): string {
  return ratePctFromTenThousandths(tenThousandths).replace(/\.?0+$/, '')
}

/**
 * Rates from the lender's minimum up to the current rate in `step` increments, the current rate itself
 * included when it is off the step; just the minimum when it is above the current rate (the lender's
 * minimum is a hard limit, the current rate only the top of what is worth offering).
 */
export function rateSteps(minPct: string, currentPct: string, step: number): number[] {
  if (!Number.isInteger(step) || step < 1) throw new RangeError('rate step must be a positive integer')
  const lo = rateTenThousandths(minPct)
  const hi = Math.max(lo, rateTenThousandths(currentPct))
  const out: number[] = []
  for (let r = lo; r < hi; r += step) out.push(r)
  out.push(hi)
  return out
}

export function zoneGrid(input: ZoneInput, borrower: BorrowerLimits, lender: LenderLimits): Grid {
  const oneOff = borrower.oneOffNow ?? 0
  const rates = rateSteps(lender.minRatePct, input.currentRatePct, input.rateStepTenThousandths ?? DEFAULT_RATE_STEP)
  return {
    principal: input.principal,
    graceInterest: input.graceInterest ?? 'capitalize',
    methods: input.methods ?? DEFAULT_METHODS,
    rates,
    ratePcts: rates.map(ratePct),
    maxTerm: Math.max(0, Math.min(borrower.maxTermMonths, lender.maxTermMonths, MAX_TERM)),
    maxGrace: Math.max(0, lender.maxGraceMonths),
    oneOffs: oneOff > 0 && oneOff < input.principal ? [0, oneOff] : [0],
  }
}

/** Grace months a method allows at a term: 0..min(maxGrace, term − 1), bullet none. */
export function graceLimit(method: Method, termMonths: number, maxGrace: number): number {
  return method === 'bullet' ? 0 : Math.min(maxGrace, termMonths - 1)
}

/** The number of candidates in the grid (what a brute force would evaluate). */
export function gridSize(grid: Grid, maxTerm = grid.maxTerm): number {
  let perRate = 0
  for (const method of grid.methods) {
    for (let t = 1; t <= maxTerm; t++) perRate += graceLimit(method, t, grid.maxGrace) + 1
  }
  return perRate * grid.rates.length * grid.oneOffs.length
}

/**
 * Order of preference among equally good plans: shorter term, lower rate, method in the grid's order,
 * fewer grace months, no one-off before one. Negative when a comes first.
 */
export function tieBreak(grid: Grid, a: Candidate, b: Candidate): number {
  return (
    a.termMonths - b.termMonths ||
    a.rateTenThousandths - b.rateTenThousandths ||
    grid.methods.indexOf(a.method) - grid.methods.indexOf(b.method) ||
    a.graceMonths - b.graceMonths ||
    a.oneOff - b.oneOff
  )
}
