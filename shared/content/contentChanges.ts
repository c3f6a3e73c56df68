// What changed between two versions of a room's content, as raw data (minor units, rate strings, enum values):
// the server writes it into the 'cleared' event, the client formats it in the reader's language for the chat
// line and the review ("Upfront fee ¥0 → ¥3,000 · APR 8.30 % → 28.30 %"). One comparison for both.
import { PROFILE_KEYS, type RoomContent, type Scalar, type ScalarMap } from '../document/roomDoc.ts'
import { BASELINE_KEYS } from '../restructuring/baseline.ts'
import { COMMITMENT_KEYS } from '../restructuring/commitments.ts'
import { restructuringComparison } from '../restructuring/recovery.ts'
import { WAIVER_CATEGORIES, reasonKey } from '../restructuring/waivers.ts'
import { computeSchedule } from '../terms/schedule.ts'
import { effectiveTerms } from './effectiveTerms.ts'
import { checkContent } from './validateContent.ts'

/** How a value reads: the client formats by kind, never by guessing from the key. */
export type ChangeKind = 'money' | 'rate' | 'months' | 'integer' | 'choice' | 'date' | 'flag' | 'text' | 'edited'

/** Where a value lives; 'figures' are computed from the content (instalment, APR, and a restructuring's totals). */
export type ChangeSection = 'terms' | 'baseline' | 'waivers' | 'commitments' | 'profile' | 'clauses' | 'figures'

export const FIGURE_KEYS = ['regularInstalment', 'aprPct', 'totalToPay', 'recoveryRatioPct'] as const
export type FigureKey = (typeof FIGURE_KEYS)[number]

export interface ContentChange {
  section: ChangeSection
  key: string
  kind: ChangeKind
  /** null: absent (or, for a figure, not computable from that content). Clauses ('edited') carry null on both sides. */
  before: Scalar | null
  after: Scalar | null
}

/** The parts of a room's content that are compared (RoomContent, of which clauses and profile may be left out). */
export type ComparedContent = Pick<RoomContent, 'terms' | 'baseline' | 'waivers' | 'commitments'> & Partial<Pick<RoomContent, 'clauses' | 'profile'>>

const TERM_KEYS = ['principal', 'annualRatePct', 'termMonths', 'method', 'graceMonths', 'graceInterest', 'upfrontFee'] as const
const WAIVER_KEYS = [...WAIVER_CATEGORIES, ...WAIVER_CATEGORIES.map(reasonKey)]

/** The terms' defaults: an absent fee and a fee of 0 are the same term (schema defaults). */
const TERM_DEFAULTS: ScalarMap = { graceMonths: 0, graceInterest: 'capitalize', upfrontFee: 0 }
/** Nothing waived in a category is a waiver of 0 (shared/restructuring/waivers.ts `waived`). */
const WAIVER_DEFAULTS: ScalarMap = Object.fromEntries(WAIVER_CATEGORIES.map((c) => [c, 0]))

const KIND: Readonly<Record<string, ChangeKind>> = {
  principal: 'money',
  upfrontFee: 'money',
  outstandingPrincipal: 'money',
  accruedInterest: 'money',
  penaltyInterest: 'money',
  fees: 'money',
  annualRatePct: 'rate',
  originalAnnualRatePct: 'rate',
  termMonths: 'months',
  graceMonths: 'months',
  originalRemainingMonths: 'months',
  daysPastDue: 'integer',
  missedPaymentsBeforeLapse: 'integer',
  method: 'choice',
  originalMethod: 'choice',
  graceInterest: 'choice',
  creditReporting: 'choice',
  asOfDate: 'date',
  firstDueDate: 'date',
  noCollectionCalls: 'flag',
  noHomeVisits: 'flag',
  lapseRestoresBaseline: 'flag',
  accruedInterestReason: 'text',
  penaltyInterestReason: 'text',
  feesReason: 'text',
  regularInstalment: 'money',
  aprPct: 'rate',
  totalToPay: 'money',
  recoveryRatioPct: 'rate',
}

function kindOf(section: ChangeSection, key: string, value: Scalar | null): ChangeKind {
  if (section === 'profile') return 'money'
  const known = KIND[key]
  if (known) return known
  // A key the model does not know (a newer client's): still listed, read by its value's type.
  return typeof value === 'boolean' ? 'flag' : typeof value === 'number' ? 'integer' : 'text'
}

/** Rates compare as numbers ("4.35" = "4.350"); everything else exactly. */
function same(kind: ChangeKind, a: Scalar | null, b: Scalar | null): boolean {
  if (kind === 'rate' && typeof a === 'string' && typeof b === 'string') return Number(a) === Number(b)
  return a === b
}

/** The known keys in display order, then any other key of either map, sorted. */
function keysOf(order: readonly string[], a: ScalarMap, b: ScalarMap): string[] {
  const rest = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !order.includes(k)))
  return [...order, ...[...rest].sort()]
}

function compareMap(section: ChangeSection, order: readonly string[], a: ScalarMap, b: ScalarMap, out: ContentChange[]): void {
  for (const key of keysOf(order, a, b)) {
    const before = Object.hasOwn(a, key) ? a[key]! : null
    const after = Object.hasOwn(b, key) ? b[key]! : null
    const kind = kindOf(section, key, after ?? before)
    if (!same(kind, before, after)) out.push({ section, key, kind, before, after })
  }
}

/** The terms every figure is computed from (in a restructuring room, the new principal), defaults filled in. */
export function comparedTerms(content: Pick<RoomContent, 'terms' | 'baseline' | 'waivers'>): ScalarMap {
  return { ...TERM_DEFAULTS, ...effectiveTerms(content) }
}

/** The waivers with nothing waived spelt as 0. */
export function comparedWaivers(content: Pick<RoomContent, 'waivers'>): ScalarMap {
  return { ...WAIVER_DEFAULTS, ...content.waivers }
}

type Figures = Partial<Record<FigureKey, Scalar>>

/** The figures the content computes to, while it is valid: instalment and APR, and a restructuring's totals. */
function figuresOf(content: ComparedContent): Figures {
  const full: RoomContent = { clauses: '', profile: {}, ...content }
  const checked = checkContent(full)
  if (!checked.ok) return {}
  try {
    const r = computeSchedule(checked.value.terms)
    const out: Figures = { regularInstalment: r.regularInstalment, aprPct: r.aprPct }
    const restructuring = checked.value.restructuring
    if (restructuring) {
      const cmp = restructuringComparison({ baseline: restructuring.baseline, breakdown: restructuring.breakdown, terms: checked.value.terms, profile: full.profile })
      out.totalToPay = cmp.borrower.plan.totalToPay
      out.recoveryRatioPct = cmp.lender.recoveryRatioPct
    }
    return out
  } catch {
    // Terms the schema accepts but the engine cannot compute (outside its safe range) have no figures.
    return {}
  }
}

/**
 * Every change from `a` to `b`: each changed term (effective, defaults filled), baseline figure, waiver,
 * commitment and declared profile figure, an 'edited' line for the clauses, then the computed figures that moved.
 * Empty when nothing that is agreed changed.
 */
export function contentChanges(a: ComparedContent, b: ComparedContent): ContentChange[] {
  const out: ContentChange[] = []
  compareMap('terms', TERM_KEYS, comparedTerms(a), comparedTerms(b), out)
  compareMap('baseline', BASELINE_KEYS, a.baseline, b.baseline, out)
  compareMap('waivers', WAIVER_KEYS, comparedWaivers(a), comparedWaivers(b), out)
  compareMap('commitments', COMMITMENT_KEYS, a.commitments, b.commitments, out)
  compareMap('profile', PROFILE_KEYS, a.profile ?? {}, b.profile ?? {}, out)
  if ((a.clauses ?? '') !== (b.clauses ?? '')) out.push({ section: 'clauses', key: 'clauses', kind: 'edited', before: null, after: null })
  const fa = figuresOf(a)
  const fb = figuresOf(b)
  for (const key of FIGURE_KEYS) {
    const before = fa[key] ?? null
    const after = fb[key] ?? null
    const kind = KIND[key]!
    if (!same(kind, before, after)) out.push({ section: 'figures', key, kind, before, after })
  }
  return out
}

const SECTIONS: readonly string[] = ['terms', 'baseline', 'waivers', 'commitments', 'profile', 'clauses', 'figures'] satisfies ChangeSection[]
const KINDS: readonly string[] = ['money', 'rate', 'months', 'integer', 'choice', 'date', 'flag', 'text', 'edited'] satisfies ChangeKind[]

function isValue(x: unknown): x is Scalar | null {
  return x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x))
}

/** The well-formed changes of a stored list (a 'cleared' event's `changes`, read from a log or a file); others are left out. */
export function readChanges(x: unknown): ContentChange[] {
  if (!Array.isArray(x)) return []
  return x.filter((c): c is ContentChange => {
    if (!c || typeof c !== 'object') return false
    const o = c as Record<string, unknown>
    return SECTIONS.includes(o.section as string) && typeof o.key === 'string' && KINDS.includes(o.kind as string) && isValue(o.before) && isValue(o.after)
  })
}
