// The message key of each value of a typed union (a method, a field, a verifier code). A Record, not a
// template literal cast into the key type: when a union grows, tsc names the label that is missing.
import type { ArchiveProblemCode } from '../../../shared/archive/verifyArchive.ts'
import type { MapRoot } from '../../../shared/archive/termChange.ts'
import type { Role, Scalar } from '../../../shared/document/roomDoc.ts'
import type { BASELINE_KEYS } from '../../../shared/restructuring/baseline.ts'
import type { COMMITMENT_KEYS, CreditReporting } from '../../../shared/restructuring/commitments.ts'
import type { WaiverCategory } from '../../../shared/restructuring/waivers.ts'
import type { GraceInterest, Method } from '../../../shared/terms/types.ts'
import type { MessageKey } from './index.ts'
import type { ProfileField, TermField } from '../lib/termFields.ts'

type BaselineKey = (typeof BASELINE_KEYS)[number]
type CommitmentKey = (typeof COMMITMENT_KEYS)[number]
type WaiverKey = WaiverCategory | `${WaiverCategory}Reason`

/**
 * The key `labels` gives `value`, or undefined when `value` is none of its keys: for strings read from
 * the shared document, a draft or a verifier, which the union's type does not reach.
 */
export function labelKey(labels: Readonly<Partial<Record<string, MessageKey>>>, value: string | undefined): MessageKey | undefined {
  return value !== undefined && Object.hasOwn(labels, value) ? labels[value] : undefined
}

export const METHOD_LABEL: Readonly<Record<Method, MessageKey>> = {
  annuity: 'method.annuity',
  equal_principal: 'method.equal_principal',
  interest_only: 'method.interest_only',
  bullet: 'method.bullet',
}

export const METHOD_HELP: Readonly<Record<Method, MessageKey>> = {
  annuity: 'method.annuity.help',
  equal_principal: 'method.equal_principal.help',
  interest_only: 'method.interest_only.help',
  bullet: 'method.bullet.help',
}

export const GRACE_INTEREST_LABEL: Readonly<Record<GraceInterest, MessageKey>> = {
  capitalize: 'graceInterest.capitalize',
  pay: 'graceInterest.pay',
}

/** A terms field as a form label ("Loan amount"). */
export const TERM_FIELD_LABEL: Readonly<Record<TermField, MessageKey>> = {
  principal: 'field.principal',
  annualRatePct: 'field.annualRatePct',
  termMonths: 'field.termMonths',
  method: 'field.method',
  graceMonths: 'field.graceMonths',
  graceInterest: 'field.graceInterest',
  upfrontFee: 'field.upfrontFee',
}

/** Why a terms field is not valid, in calm words. */
export const TERM_FIELD_ERROR: Readonly<Record<TermField, MessageKey>> = {
  principal: 'valid.principal',
  annualRatePct: 'valid.annualRatePct',
  termMonths: 'valid.termMonths',
  method: 'valid.method',
  graceMonths: 'valid.graceMonths',
  graceInterest: 'valid.graceInterest',
  upfrontFee: 'valid.upfrontFee',
}

/** A terms field inside a sentence of the replay ("changed the rate"). */
export const CHANGED_FIELD_LABEL: Readonly<Record<TermField | 'firstDueDate', MessageKey>> = {
  principal: 'changeField.principal',
  annualRatePct: 'changeField.annualRatePct',
  termMonths: 'changeField.termMonths',
  method: 'changeField.method',
  graceMonths: 'changeField.graceMonths',
  graceInterest: 'changeField.graceInterest',
  upfrontFee: 'changeField.upfrontFee',
  firstDueDate: 'changeField.firstDueDate',
}

export const PROFILE_FIELD_LABEL: Readonly<Record<ProfileField, MessageKey>> = {
  monthlyIncome: 'profile.monthlyIncome',
  monthlyExpenses: 'profile.monthlyExpenses',
  otherDebtPayments: 'profile.otherDebtPayments',
  assets: 'profile.assets',
  liabilities: 'profile.liabilities',
}

export const BASELINE_FIELD_LABEL: Readonly<Record<BaselineKey, MessageKey>> = {
  outstandingPrincipal: 'baseline.outstandingPrincipal',
  accruedInterest: 'baseline.accruedInterest',
  penaltyInterest: 'baseline.penaltyInterest',
  fees: 'baseline.fees',
  daysPastDue: 'baseline.daysPastDue',
  asOfDate: 'baseline.asOfDate',
  originalAnnualRatePct: 'baseline.originalAnnualRatePct',
  originalMethod: 'baseline.originalMethod',
  originalRemainingMonths: 'baseline.originalRemainingMonths',
}

export const WAIVER_LABEL: Readonly<Record<WaiverCategory, MessageKey>> = {
  accruedInterest: 'waivers.accruedInterest',
  penaltyInterest: 'waivers.penaltyInterest',
  fees: 'waivers.fees',
}

/** Every key of the waivers map: the amounts and their reasons. */
export const WAIVER_FIELD_LABEL: Readonly<Record<WaiverKey, MessageKey>> = {
  ...WAIVER_LABEL,
  accruedInterestReason: 'waivers.accruedInterestReason',
  penaltyInterestReason: 'waivers.penaltyInterestReason',
  feesReason: 'waivers.feesReason',
}

export const COMMITMENT_FIELD_LABEL: Readonly<Record<CommitmentKey, MessageKey>> = {
  firstDueDate: 'commit.firstDueDate',
  noCollectionCalls: 'commit.noCollectionCalls',
  noHomeVisits: 'commit.noHomeVisits',
  creditReporting: 'commit.creditReporting',
  missedPaymentsBeforeLapse: 'commit.lapse.count',
  lapseRestoresBaseline: 'commit.lapse',
}

export const CREDIT_REPORTING_LABEL: Readonly<Record<CreditReporting, MessageKey>> = {
  restructured_current: 'commit.creditReporting.restructured_current',
  restructured_flagged: 'commit.creditReporting.restructured_flagged',
  no_change: 'commit.creditReporting.no_change',
}

/** lapseRestoresBaseline: true restores the baseline, false keeps the waivers. */
export const LAPSE_OUTCOME_LABEL: Readonly<Record<'true' | 'false', MessageKey>> = {
  true: 'commit.lapse.restore',
  false: 'commit.lapse.keep',
}

export const ROLE_LABEL: Readonly<Record<Role, MessageKey>> = {
  borrower: 'role.borrower',
  lender: 'role.lender',
  observer: 'role.observer',
}

/** The label of a key of a document map other than terms and profile (the replay names every change). */
const MAP_FIELD_LABEL: Readonly<Record<Exclude<MapRoot, 'terms' | 'profile'>, Readonly<Partial<Record<string, MessageKey>>>>> = {
  baseline: BASELINE_FIELD_LABEL,
  waivers: WAIVER_FIELD_LABEL,
  commitments: COMMITMENT_FIELD_LABEL,
}

/** The label of `key` of the `root` map, or undefined for a key the document model does not know. */
export function mapFieldLabel(root: Exclude<MapRoot, 'terms' | 'profile'>, key: string): MessageKey | undefined {
  return labelKey(MAP_FIELD_LABEL[root], key)
}

/** The label of a stored value that is a code (a method, a reporting choice, a lapse outcome); undefined for figures and text. */
export function codeValueLabel(key: string, value: Scalar): MessageKey | undefined {
  const s = String(value)
  if (key === 'method' || key === 'originalMethod') return labelKey(METHOD_LABEL, s)
  if (key === 'graceInterest') return labelKey(GRACE_INTEREST_LABEL, s)
  if (key === 'creditReporting') return labelKey(CREDIT_REPORTING_LABEL, s)
  if (key === 'lapseRestoresBaseline') return labelKey(LAPSE_OUTCOME_LABEL, s)
  return undefined
}

/**
 * The reason a record does not check out, for every code the verifier can report; the codes a replay
 * never shows as its first problem (the bundle's agreement, warnings) read as the generic one.
 */
export const PROBLEM_TEXT: Readonly<Record<ArchiveProblemCode, MessageKey>> = {
  event_shape: 'replay.problem.event_shape',
  seq_missing: 'replay.problem.seq_missing',
  seq_duplicate: 'replay.problem.seq_duplicate',
  seq_order: 'replay.problem.seq_order',
  hash_mismatch: 'replay.problem.hash_mismatch',
  inserted: 'replay.problem.inserted',
  rewritten: 'replay.problem.rewritten',
  not_genesis: 'replay.problem.not_genesis',
  ts_backwards: 'replay.problem.ts_backwards',
  create_misplaced: 'replay.problem.create_misplaced',
  bad_update: 'replay.problem.bad_update',
  update_missing_deps: 'replay.problem.update_missing_deps',
  update_after_lock: 'replay.problem.update_after_lock',
  lock_repeated: 'replay.problem.lock_repeated',
  lock_hash: 'replay.problem.lock_hash',
  format: 'replay.problem.other',
  empty: 'replay.problem.other',
  envelope_mismatch: 'replay.problem.envelope_mismatch',
  agreement_invalid: 'replay.problem.other',
  agreement_mismatch: 'replay.problem.other',
  agreement_room: 'replay.problem.other',
  no_lock: 'replay.problem.other',
  room_mismatch: 'replay.problem.room_mismatch',
  anchor_mismatch: 'replay.problem.anchor_mismatch',
  anchor_signature: 'replay.problem.anchor_signature',
  anchor_missing: 'replay.problem.anchor_missing',
  anchor_unchecked: 'replay.problem.other',
  log_head_mismatch: 'replay.problem.log_head_mismatch',
  log_head_missing: 'replay.problem.other',
}

/** The verifier's warnings that have a translation; any other keeps the verifier's English detail. */
export const WARNING_TEXT: Readonly<Partial<Record<ArchiveProblemCode, MessageKey>>> = {
  anchor_missing: 'replay.warning.anchor_missing',
  anchor_unchecked: 'replay.warning.anchor_unchecked',
  log_head_missing: 'replay.warning.log_head_missing',
}
