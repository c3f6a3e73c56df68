// Each side's view of a restructuring: what the borrower saves and carries each month, what the lender recovers.
import { affordability, type Affordability } from '../terms/affordability.ts'
import { monthlyRate, parseRate } from '../terms/rate.ts'
import { roundHalfUp } from '../terms/rounding.ts'
import { computeSchedule } from '../terms/schedule.ts'
import type { Minor, Profile, ScheduleResult, Terms } from '../terms/types.ts'
import type { Baseline } from './baseline.ts'
import type { NewPrincipalBreakdown } from './newPrincipal.ts'

/** What the borrower would face if nothing were agreed: the arrears now, then the original contract's remaining months. */
export interface BaselineOutlook {
  /** accruedInterest + penaltyInterest + fees: overdue amounts due at once. */
  arrears: Minor
  remainingMonths: number
  /** The original contract's regular instalment on the outstanding principal; null when nothing remains (all due now). */
  regularInstalment: Minor | null
  /** The sum of the original contract's remaining payments (0 when nothing remains). */
  remainingPaid: Minor
  /** arrears + remainingPaid, or the whole baseline amount when the contract has matured: every unit the borrower would pay. */
  totalToPay: Minor
}

export interface PlanOutlook {
  regularInstalment: Minor
  totalPaid: Minor
  totalInterest: Minor
  upfrontFee: Minor
  /** totalPaid + upfrontFee. */
  totalToPay: Minor
  aprPct: string
}

export interface BorrowerComparison {
  /** outstanding + accrued + penalty + fees on asOfDate. */
  baselineAmount: Minor
  waived: Minor
  newPrincipal: Minor
  baseline: BaselineOutlook
  plan: PlanOutlook
  /** baseline.totalToPay − plan.totalToPay: positive when the plan costs the borrower less in total (a longer plan may cost more). */
  totalSaved: Minor
  /** plan.regularInstalment − baseline.regularInstalment (negative: lighter each month); null when the baseline has no instalment. */
  monthlyChange: Minor | null
  /** The monthly burden against the borrower's declared income; null when no income is declared. */
  affordability: { baseline: Affordability | null; plan: Affordability } | null
}

export interface LenderRecovery {
  /** outstanding + accrued + penalty + fees on asOfDate: the claim the plan replaces. */
  baselineAmount: Minor
  /** The original contract rate the plan is discounted at (percent per year, monthly rate = it / 12). */
  discountAnnualRatePct: string
  /** Nominal sum the plan brings in: the upfront fee plus every payment. */
  nominalReceived: Minor
  /** The plan's payments discounted at the original rate, exact, rounded half up once to the minor unit. */
  presentValue: Minor
  /** presentValue − baselineAmount (negative: the value the lender concedes today). */
  valueChange: Minor
  /** presentValue / baselineAmount in percent, 2 decimals, rounded half up ("97.13"). */
  recoveryRatioPct: string
}

export interface RestructuringComparison {
  borrower: BorrowerComparison
  lender: LenderRecovery
}

/**
 * Present value of `payments` (payments[k] falls due at month k + 1) at `annualRatePct` / 12 a month, plus
 * `atStart` (received at month 0), rounded half up once to the minor unit. Exact: with the monthly rate num/den,
 * PV = Σ p_k·den^k·(den+num)^(N−k) / (den+num)^N, summed in BigInt by Horner's rule.
 */
export function presentValue(payments: readonly Minor[], annualRatePct: string, atStart: Minor = 0): Minor {
  const rate = monthlyRate(parseRate(annualRatePct))
  const a = rate.den
  const b = rate.den + rate.num
  let acc = 0n
  let aPow = 1n
  let bPow = 1n
  for (const p of payments) {
    aPow *= a
    bPow *= b
    acc = acc * b + BigInt(p) * aPow
  }
  return Number(roundHalfUp(BigInt(atStart) * bPow + acc, bPow))
}

/** part / whole in percent with 2 decimals, rounded half up exactly ("97.13"); whole > 0. */
export function ratioPct(part: Minor, whole: Minor): string {
  const hundredths = roundHalfUp(BigInt(part) * 10_000n, BigInt(whole))
  const sign = hundredths < 0n ? '-' : ''
  const abs = hundredths < 0n ? -hundredths : hundredths
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** The borrower's declared figures when an income is declared (numbers only; missing costs count as 0). */
export function profileOf(map: Readonly<Record<string, unknown>>): Profile | null {
  const n = (k: string) => (typeof map[k] === 'number' && Number.isSafeInteger(map[k]) ? (map[k] as number) : undefined)
  const income = n('monthlyIncome')
  if (income === undefined) return null
  const out: Profile = { monthlyIncome: income, monthlyExpenses: n('monthlyExpenses') ?? 0, otherDebtPayments: n('otherDebtPayments') ?? 0 }
  const assets = n('assets')
  const liabilities = n('liabilities')
  if (assets !== undefined) out.assets = assets
  if (liabilities !== undefined) out.liabilities = liabilities
  return out
}

/** The original contract run on from asOfDate, on the outstanding principal, with the arrears due at once. */
export function baselineOutlook(baseline: Baseline): BaselineOutlook {
  const arrears = baseline.accruedInterest + baseline.penaltyInterest + baseline.fees
  const months = baseline.originalRemainingMonths
  if (months === 0 || baseline.originalMethod === undefined) {
    return { arrears, remainingMonths: 0, regularInstalment: null, remainingPaid: 0, totalToPay: arrears + baseline.outstandingPrincipal }
  }
  const r = computeSchedule({
    principal: baseline.outstandingPrincipal,
    annualRatePct: baseline.originalAnnualRatePct,
    termMonths: months,
    method: baseline.originalMethod,
  })
  return { arrears, remainingMonths: months, regularInstalment: r.regularInstalment, remainingPaid: r.totalPaid, totalToPay: arrears + r.totalPaid }
}

export interface ComparisonInput {
  baseline: Baseline
  breakdown: NewPrincipalBreakdown
  /** The effective terms (principal = breakdown.newPrincipal), validated. */
  terms: Terms
  /** computeSchedule(terms), when the caller has it already. */
  schedule?: ScheduleResult
  /** The borrower's declared situation (content.profile). */
  profile?: Readonly<Record<string, unknown>>
}

export function restructuringComparison(input: ComparisonInput): RestructuringComparison {
  const { baseline, breakdown, terms } = input
  const schedule = input.schedule ?? computeSchedule(terms)
  const fee = terms.upfrontFee ?? 0
  const before = baselineOutlook(baseline)
  const plan: PlanOutlook = {
    regularInstalment: schedule.regularInstalment,
    totalPaid: schedule.totalPaid,
    totalInterest: schedule.totalInterest,
    upfrontFee: fee,
    totalToPay: schedule.totalPaid + fee,
    aprPct: schedule.aprPct,
  }
  const profile = input.profile ? profileOf(input.profile) : null
  const borrower: BorrowerComparison = {
    baselineAmount: breakdown.totalOwed,
    waived: breakdown.waivers.total,
    newPrincipal: breakdown.newPrincipal,
    baseline: before,
    plan,
    totalSaved: before.totalToPay - plan.totalToPay,
    monthlyChange: before.regularInstalment === null ? null : plan.regularInstalment - before.regularInstalment,
    affordability: profile
      ? {
          baseline: before.regularInstalment === null ? null : affordability(profile, { regularInstalment: before.regularInstalment }),
          plan: affordability(profile, schedule),
        }
      : null,
  }
  // The fee is collected at signing (month 0); every payment is discounted at the rate the lender originally priced.
  const pv = presentValue(
    schedule.payments.map((row) => row.payment),
    baseline.originalAnnualRatePct,
    fee,
  )
  const lender: LenderRecovery = {
    baselineAmount: breakdown.totalOwed,
    discountAnnualRatePct: baseline.originalAnnualRatePct,
    nominalReceived: plan.totalToPay,
    presentValue: pv,
    valueChange: pv - breakdown.totalOwed,
    recoveryRatioPct: ratioPct(pv, breakdown.totalOwed),
  }
  return { borrower, lender }
}
