// Disclosure checks on a proposal (zh-CN defaults): the warnings both sides see in the room and that the
// agreement lists as "disclosures shown to the borrower". Pure: the caller gives the rules and the contract date.
import { parseRate } from '../terms/rate.ts'
import { computeSchedule } from '../terms/schedule.ts'
import type { ScheduleResult, Terms } from '../terms/types.ts'
import { DEFAULT_LPR_TABLE, lprOn, type LprEntry } from './lprTable.ts'

export interface DisclosureRules {
  /** Whose rules these are (only the PRC's for now). */
  jurisdiction: 'CN'
  /** The judicial protection ceiling is this multiple of the one-year LPR at the contract date ("4"). */
  ceilingMultiple: string
  lpr: readonly LprEntry[]
  /** Warn when a fee is deducted from what the borrower receives. */
  warnUpfrontFee: boolean
}

export const DEFAULT_DISCLOSURE_RULES: DisclosureRules = {
  jurisdiction: 'CN',
  ceilingMultiple: '4',
  lpr: DEFAULT_LPR_TABLE,
  warnUpfrontFee: true,
}

/** The APR (fees in) is above ceilingMultiple × the one-year LPR in force at the contract date. */
export interface AprCeilingDisclosure {
  code: 'apr_above_ceiling'
  aprPct: string
  ceilingPct: string
  /** The multiple of the LPR the ceiling is ("4"). */
  ceilingMultiple: string
  lprPct: string
  /** The LPR entry's effective date. */
  lprEffective: string
  contractDate: string
}

/** A fee is deducted up front: what it does to the APR. */
export interface UpfrontFeeDisclosure {
  code: 'upfront_fee'
  upfrontFee: number
  aprPct: string
  /** The APR of the same terms without the fee. */
  aprWithoutFeePct: string
}

export type Disclosure = AprCeilingDisclosure | UpfrontFeeDisclosure
export type DisclosureCode = Disclosure['code']

/** A decimal string times a decimal string, exactly, with 4 decimals kept ("3.45" × "4" → "13.8000"). */
export function timesPct(a: string, b: string): string {
  const x = parseRate(a)
  const y = parseRate(b)
  // parseRate reads both as percents (÷100): undo that twice, then keep 4 decimals.
  const num = x.num * y.num * 100n * 100n * 10000n
  const den = x.den * y.den
  const scaled = (num + den / 2n) / den
  const s = scaled.toString().padStart(5, '0')
  return `${s.slice(0, -4)}.${s.slice(-4)}`
}

/** a > b for decimal percent strings, exactly. */
export function exceeds(a: string, b: string): boolean {
  const x = parseRate(a)
  const y = parseRate(b)
  return x.num * y.den > y.num * x.den
}

/** The ceiling in force at `contractDate` (YYYY-MM-DD), or null when the table has no entry that early. */
export function protectionCeiling(rules: DisclosureRules, contractDate: string): { ceilingPct: string; lpr: LprEntry } | null {
  const lpr = lprOn(rules.lpr, contractDate)
  return lpr ? { ceilingPct: timesPct(lpr.ratePct, rules.ceilingMultiple), lpr } : null
}

/**
 * The warnings due for these terms at this contract date, in a fixed order (ceiling first). `result` is the
 * terms' schedule when the caller has it (it is computed otherwise).
 */
export function disclosuresFor(terms: Terms, contractDate: string, rules: DisclosureRules = DEFAULT_DISCLOSURE_RULES, result?: ScheduleResult): Disclosure[] {
  const r = result ?? computeSchedule(terms)
  const out: Disclosure[] = []
  const ceiling = protectionCeiling(rules, contractDate)
  if (ceiling && exceeds(r.aprPct, ceiling.ceilingPct)) {
    out.push({ code: 'apr_above_ceiling', aprPct: r.aprPct, ceilingPct: ceiling.ceilingPct, ceilingMultiple: rules.ceilingMultiple, lprPct: ceiling.lpr.ratePct, lprEffective: ceiling.lpr.effective, contractDate })
  }
  const fee = terms.upfrontFee ?? 0
  if (rules.warnUpfrontFee && fee > 0) {
    const { upfrontFee: _fee, ...withoutFee } = terms
    out.push({ code: 'upfront_fee', upfrontFee: fee, aprPct: r.aprPct, aprWithoutFeePct: computeSchedule(withoutFee).aprPct })
  }
  return out
}

/** The calendar date (YYYY-MM-DD) of an instant where the contract is made (zh-CN: Asia/Shanghai). */
export function contractDateOf(instant: number | Date, timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}
