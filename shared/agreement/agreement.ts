// The signed agreement record written when a room locks (DESIGN.md "Confirmation and lock").
import type { RoomContent } from '../document/roomDoc.ts'
import type { AgreementLang } from '../i18n/agreementText.ts'
import type { NewPrincipalBreakdown } from '../restructuring/newPrincipal.ts'
import type { RestructuringComparison } from '../restructuring/recovery.ts'
import type { Comparison } from '../terms/index.ts'
import type { Disclosure } from '../disclosure/disclosures.ts'
import type { Minor, PaymentRow, Terms } from '../terms/types.ts'
import { canonicalJson } from '../document/canonicalJson.ts'
import { sha256Hex } from '../document/sha256.ts'

export const AGREEMENT_VERSION = 1

export type PartyRole = 'borrower' | 'lender'

/**
 * How a person came to confirm (the consent record): what they were shown, when, and from where. Every field is
 * present together; `ip` and `userAgent` are null when the server could not tell.
 */
export interface ConsentRecord {
  /** ISO 8601 instant the review dialog showed the summary (never after confirmedAt). */
  shownAt: string
  /** The language of the summary shown. */
  summaryLang: AgreementLang
  /** SHA-256 (hex) of reviewSummary(content, summaryLang, currency) (shared/agreement/summaryText.ts). */
  summaryHash: string
  ip: string | null
  userAgent: string | null
}

export const CONSENT_KEYS = ['shownAt', 'summaryLang', 'summaryHash', 'ip', 'userAgent'] as const

/**
 * The staff member who confirmed for the lender from the lender's seat (POST /api/rooms/:id/seat): their account's
 * name and id and their organisation. Absent when the lender confirmed through an invite link.
 */
export interface AgreementStaff {
  staffId: string
  name: string
  orgId: string
  orgName: string
}

export const AGREEMENT_STAFF_KEYS = ['staffId', 'name', 'orgId', 'orgName'] as const

/**
 * A party's confirmation: it binds `name` to `hash`, which must equal the record's contentHash. The consent
 * fields (ConsentRecord) are present when the room recorded them, which it does for every confirmation it takes.
 */
export interface AgreementConfirmation extends Partial<ConsentRecord> {
  role: PartyRole
  name: string
  /** ISO 8601 instant. */
  confirmedAt: string
  hash: string
  /** The lender's only: the staff member in the lender's seat who confirmed. */
  staff?: AgreementStaff
}

/** One schedule row; `dueDate` (YYYY-MM-DD) only when the agreed terms carry a `firstDueDate`. */
export interface AgreementPaymentRow extends PaymentRow {
  dueDate?: string
}

export interface PaymentPoint {
  period: number
  amount: Minor
  dueDate?: string
}

/** Figures derived from the effective terms (shared/content/effectiveTerms.ts); a verifier recomputes every one. */
export interface AgreementComputed {
  payments: AgreementPaymentRow[]
  totalInterest: Minor
  totalPaid: Minor
  aprPct: string
  earPct: string
  /** The usual monthly payment: the first payment after any grace period (for bullet: the single payment). */
  regularInstalment: Minor
  firstPayment: PaymentPoint
  lastPayment: PaymentPoint
  upfrontFee: Minor
  /** What the borrower receives: principal − upfrontFee. */
  netDisbursed: Minor
  /** Total cost of credit: totalInterest + upfrontFee. */
  totalCost: Minor
  firstDueDate?: string
  lastDueDate?: string
}

/** Before → after, present when the room was created with an original loan: compare(original, terms). */
export interface AgreementComparison {
  original: Terms
  result: Comparison
}

/**
 * A restructuring room's figures (present when content.baseline has an outstanding principal): the new principal's
 * breakdown and both sides' comparison, recomputed by every verifier from content.baseline, waivers, terms, profile.
 */
export interface AgreementRestructuring {
  breakdown: NewPrincipalBreakdown
  comparison: RestructuringComparison
}

/** A file attached to the agreement, referenced by its hash (the bytes live elsewhere). */
export interface AgreementAttachment {
  name: string
  sha256: string
  size?: number
  mediaType?: string
}

/** The signer's public key (RFC 8037 OKP JWK); kid is its RFC 7638 thumbprint. */
export interface PublicKeyJwk {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  kid: string
}

/**
 * The room's log head when the lock was decided: the last committed event before the lock (seq, hash).
 * Signed with the agreement, it pins the pre-lock part of the log: a verifier finds that hash at that seq.
 */
export interface LogHead {
  seq: number
  hash: string
}

export interface AgreementSignature {
  alg: 'Ed25519'
  kid: string
  /** base64url of the Ed25519 signature over signingPayload(record without `signature`). */
  value: string
}

export interface Agreement {
  version: typeof AGREEMENT_VERSION
  roomId: string
  title: string
  /** The bank or company that lends (the lender's confirmation names the person who signed for it). */
  lenderInstitution?: string
  /** ISO 4217 code; all money in content and computed is in its minor units. */
  currency: string
  /** ISO 8601 instant. */
  lockedAt: string
  content: RoomContent
  computed: AgreementComputed
  comparison?: AgreementComparison
  restructuring?: AgreementRestructuring
  /** Borrower first, then lender. */
  confirmations: AgreementConfirmation[]
  /** hashContent(content): the hash both parties confirmed. */
  contentHash: string
  attachments: AgreementAttachment[]
  /**
   * The warnings the room showed both sides for the agreed terms at the contract date (the lock), e.g. an APR above
   * the judicial protection ceiling or a fee deducted up front: "disclosures shown to the borrower". Absent when
   * none applied (and in agreements signed before disclosures were recorded). Signed with the rest.
   */
  disclosures?: Disclosure[]
  /** Absent in agreements signed before the log head was recorded (those pin nothing of the log). */
  logHead?: LogHead
  /** The signer's key, for convenience: verifying with it proves integrity, not who signed. */
  publicKey: PublicKeyJwk
  signature: AgreementSignature
}

export type UnsignedAgreement = Omit<Agreement, 'signature'>

/** The exact text that is signed: canonical JSON of the record without its `signature` field. */
export function signingPayload(record: UnsignedAgreement | Agreement): string {
  const { signature: _omit, ...unsigned } = record as Agreement
  return canonicalJson(unsigned)
}

/** SHA-256 (hex) of the whole signed record in canonical form: what room:state calls agreementHash. */
export function agreementHash(agreement: Agreement): string {
  return sha256Hex(canonicalJson(agreement))
}

/** The short form of a hash that the UI shows and people read aloud. */
export function fingerprint(hash: string): string {
  return hash.slice(0, 8)
}
