// The repayment schedule Apache Fineract computes from a request body, re-derived from the body's fields alone:
// declining balance (interestType 0), interest for a whole period (interestCalculationPeriodType 1, 360-day year and
// 30-day months, so a period of k months accrues k/12 of the yearly rate), equal instalments (amortizationType 1:
// the PMT of the balance over the repayments after principal grace) or equal principal (0: balance / those
// repayments), amounts rounded HALF_UP to the currency's digits, the last instalment taking what is left.
// graceOnPrincipalPayment: instalments with interest only; graceOnInterestPayment: interest computed but not due,
// collected with the first instalment after it (Fineract's deferral, not capitalisation).
// A test oracle, written apart from shared/terms on purpose: it must not share that code's mistakes.
import type { FineractLoanApplication, FineractRescheduleRequest } from '../../../server/export/fineract/fineractTypes.ts'

export interface FineractInstalment {
  dueDate: string
  principal: number
  interest: number
  total: number
  balance: number
}

interface Fraction {
  num: bigint
  den: bigint
}

function decimal(text: string): Fraction {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) throw new Error(`not a plain decimal: ${text}`)
  const frac = m[2] ?? ''
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length) }
}

/** Round half up of a non-negative fraction. */
function halfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den)
}

function minorOf(amount: string, digits: number): bigint {
  const { num, den } = decimal(amount)
  const scaled = num * 10n ** BigInt(digits)
  if (scaled % den !== 0n) throw new Error(`${amount} has more than ${digits} decimals`)
  return scaled / den
}

/** Java's LocalDate.plusMonths from a fixed anchor: the day kept, or the month's last day. */
function plusMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = index % 12
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

interface Plan {
  principal: bigint
  /** Interest rate per repayment period. */
  rate: Fraction
  repayments: number
  amortizationType: 0 | 1
  graceOnPrincipal: number
  graceOnInterest: number
  firstDueDate: string
  every: number
}

function decliningBalance(p: Plan): FineractInstalment[] {
  const { num, den } = p.rate
  const paying = BigInt(p.repayments - p.graceOnPrincipal)
  let fixed: bigint
  if (p.amortizationType === 0 || num === 0n) fixed = halfUp(p.principal, paying)
  else {
    const grown = (den + num) ** paying
    fixed = halfUp(p.principal * num * grown, den * (grown - den ** paying))
  }
  const rows: FineractInstalment[] = []
  let balance = p.principal
  let deferred = 0n
  for (let k = 1; k <= p.repayments; k++) {
    const accrued = halfUp(balance * num, den)
    let interest: bigint
    if (k <= p.graceOnInterest) {
      deferred += accrued
      interest = 0n
    } else {
      interest = accrued + deferred
      deferred = 0n
    }
    let principal: bigint
    if (k <= p.graceOnPrincipal) principal = 0n
    else if (k === p.repayments) principal = balance
    else if (p.amortizationType === 1) principal = fixed - accrued > balance ? balance : fixed - accrued < 0n ? 0n : fixed - accrued
    else principal = fixed > balance ? balance : fixed
    balance -= principal
    rows.push({
      dueDate: plusMonths(p.firstDueDate, (k - 1) * p.every),
      principal: Number(principal),
      interest: Number(interest),
      total: Number(principal + interest),
      balance: Number(balance),
    })
  }
  return rows
}

/** The yearly percent as a rate per period of `months` months (30/360). */
function periodRate(yearlyPct: number, months: number): Fraction {
  const { num, den } = decimal(String(yearlyPct))
  return { num: num * BigInt(months), den: den * 100n * 12n }
}

/** The schedule of a new loan from its `POST /loans` body; `digits` are the currency's decimals. */
export function fineractLoanSchedule(body: FineractLoanApplication, digits: number): FineractInstalment[] {
  if (body.interestType !== 0 || body.interestCalculationPeriodType !== 1 || body.repaymentFrequencyType !== 2) {
    throw new Error('this oracle knows declining balance, monthly periods, interest per repayment period only')
  }
  return decliningBalance({
    principal: minorOf(body.principal, digits),
    rate: periodRate(body.interestRatePerPeriod, body.repaymentEvery),
    repayments: body.numberOfRepayments,
    amortizationType: body.amortizationType,
    graceOnPrincipal: body.graceOnPrincipalPayment ?? 0,
    graceOnInterest: body.graceOnInterestPayment ?? 0,
    firstDueDate: body.repaymentsStartingFromDate,
    every: body.repaymentEvery,
  })
}

/** What Fineract holds of the loan being rescheduled (it is not in the reschedule body). */
export interface ExistingLoan {
  principalOutstanding: number
  remainingInstalments: number
  amortizationType: 0 | 1
}

/** The regenerated instalments from rescheduleFromDate on, after `POST /rescheduleloans` is approved. */
export function fineractRescheduleSchedule(body: FineractRescheduleRequest, loan: ExistingLoan): FineractInstalment[] {
  return decliningBalance({
    principal: BigInt(loan.principalOutstanding),
    rate: periodRate(body.newInterestRate, 1),
    repayments: loan.remainingInstalments + (body.extraTerms ?? 0),
    amortizationType: loan.amortizationType,
    graceOnPrincipal: body.graceOnPrincipal ?? 0,
    graceOnInterest: body.graceOnInterest ?? 0,
    firstDueDate: body.adjustedDueDate ?? body.rescheduleFromDate,
    every: 1,
  })
}
