// Working back from a target instalment: the shortest term, or the highest rate, that keeps within it.
import { monthlyRate, parseRate, ratePctFromTenThousandths } from './rate.ts'
import { buildRows } from './schedule.ts'
import { termsFitSafeRange } from './safeRange.ts'
import type { Minor, Terms } from './types.ts'

export type SolveTermResult = { impossible: false; termMonths: number; instalment: Minor } | { impossible: true }
export type SolveRateResult = { impossible: false; annualRatePct: string; instalment: Minor } | { impossible: true }

const MAX_TERM = 600
const MAX_RATE = 1_000_000 // 100.0000 % in ten-thousandths of a percent

function fits(terms: Terms): boolean {
  const rate = monthlyRate(parseRate(terms.annualRatePct))
  return termsFitSafeRange(terms.principal, rate, terms.termMonths, terms.graceMonths ?? 0, terms.graceInterest ?? 'capitalize')
}

/** The largest k in [lo, hi] with ok(k), given ok is true up to some point and false after; lo − 1 if none. */
export function lastTrue(lo: number, hi: number, ok: (k: number) => boolean): number {
  let found = lo - 1
  while (lo <= hi) {
    const mid = lo + Math.floor((hi - lo) / 2)
    if (ok(mid)) {
      found = mid
      lo = mid + 1
    } else {
      hi = mid - 1
    }
  }
  return found
}

/**
 * The shortest termMonths (1..600, beyond any grace months) whose regular instalment is ≤ target.
 * The instalment never rises with the term for annuity, equal_principal and interest_only, so a
 * binary search over exact schedules finds it; a bullet's single payment grows with the term, so
 * its shortest term is the only candidate.
 */
export function solveTerm(terms: Terms, targetInstalment: Minor): SolveTermResult {
  const at = (termMonths: number): Terms => ({ ...terms, termMonths })
  const lo = (terms.method === 'bullet' ? 0 : (terms.graceMonths ?? 0)) + 1
  // Longer terms only grow the bound on the totals, so the terms that fit are a prefix of [lo, 600].
  const hi = lastTrue(lo, MAX_TERM, (n) => fits(at(n)))
  if (hi < lo) return { impossible: true }
  const instalment = (n: number): Minor => buildRows(at(n)).regularInstalment
  if (terms.method === 'bullet') {
    const first = instalment(lo)
    return first <= targetInstalment ? { impossible: false, termMonths: lo, instalment: first } : { impossible: true }
  }
  if (instalment(hi) > targetInstalment) return { impossible: true }
  // Search the first n with instalment(n) ≤ target: the last n that is still above it, plus one.
  const above = lastTrue(lo, hi, (n) => instalment(n) > targetInstalment)
  const termMonths = above + 1
  return { impossible: false, termMonths, instalment: instalment(termMonths) }
}

/**
 * The highest annualRatePct ("4.3500": 4 decimals, 0..100) at which the terms' regular instalment
 * is ≤ target. Every method's instalment rises with the rate, so this is a binary search over the
 * million possible rates with exact schedules.
 */
export function solveRate(terms: Terms, targetInstalment: Minor): SolveRateResult {
  const at = (k: number): Terms => ({ ...terms, annualRatePct: ratePctFromTenThousandths(k) })
  const ok = (k: number): boolean => fits(at(k)) && buildRows(at(k)).regularInstalment <= targetInstalment
  const k = lastTrue(0, MAX_RATE, ok)
  if (k < 0) return { impossible: true }
  const best = at(k)
  return { impossible: false, annualRatePct: best.annualRatePct, instalment: buildRows(best).regularInstalment }
}

export const solve = { term: solveTerm, rate: solveRate }
