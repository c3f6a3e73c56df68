// Builds and signs the agreement record at lock time (pure apart from the signing key).
import { hashContent } from '../../shared/content/contentHash.ts'
import type { RoomContent } from '../../shared/document/roomDoc.ts'
import { compare } from '../../shared/terms/index.ts'
import type { Terms } from '../../shared/terms/types.ts'
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'
import { summaryHash } from '../../shared/agreement/summaryText.ts'
import {
  AGREEMENT_STAFF_KEYS,
  AGREEMENT_VERSION,
  signingPayload,
  type Agreement,
  type AgreementAttachment,
  type AgreementConfirmation,
  type AgreementStaff,
  type ConsentRecord,
  type LogHead,
  type PartyRole,
  type UnsignedAgreement,
} from '../../shared/agreement/agreement.ts'
import { agreedFigures, checkTerms } from '../../shared/agreement/agreementFigures.ts'
import { contractDateOf, disclosuresFor, type DisclosureRules } from '../../shared/disclosure/disclosures.ts'
import { signText, type ServerKey } from './serverKey.ts'

type Instant = string | number | Date

export interface ConfirmationInput {
  role: PartyRole
  name: string
  confirmedAt: Instant
  hash: string
  /**
   * The consent record (give all of shownAt, summaryLang, summaryHash, or none): when the review dialog showed
   * the summary, in which language, and the SHA-256 of its text, which must equal summaryHash(content, lang,
   * currency); ip and userAgent as the server saw them (null or absent when unknown).
   */
  shownAt?: Instant
  summaryLang?: AgreementLang
  summaryHash?: string
  ip?: string | null
  userAgent?: string | null
  /** The lender's only: the staff member in the lender's seat who confirmed. */
  staff?: AgreementStaff
}

export interface BuildAgreementInput {
  roomId: string
  title: string
  /** The lending institution the lender's signer acts for, when the room was created with one. */
  lenderInstitution?: string
  /** ISO 4217 code of the room. */
  currency: string
  lockedAt: Instant
  /** The document content at lock (readContent(doc)): exactly what both parties confirmed. */
  content: RoomContent
  /** The borrower's and the lender's confirmations, in any order. */
  confirmations: ConfirmationInput[]
  /** The original loan the room was created with (POST /api/rooms `original`), if any. */
  original?: Terms | null
  attachments?: AgreementAttachment[]
  /** The last committed event of the room's log when the lock was decided (the room always gives it). */
  logHead?: LogHead
  /** The disclosure rules in force (LPR table, ceiling multiple); none: no disclosures are recorded. */
  disclosureRules?: DisclosureRules
}

export type BuildAgreementErrorCode =
  | 'invalid_terms'
  | 'invalid_content'
  | 'missing_confirmation'
  | 'hash_mismatch'
  | 'summary_mismatch'
  | 'invalid_input'

/** A lock precondition the Room should have guaranteed did not hold: a bug, so it is thrown. */
export class BuildAgreementError extends Error {
  constructor(
    readonly code: BuildAgreementErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'BuildAgreementError'
  }
}

function iso(value: Instant, what: string): string {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) throw new BuildAgreementError('invalid_input', `${what} is not a valid time`)
  return date.toISOString()
}

/** The consent fields of one confirmation, checked: the summary hash must be the one of this content. */
function consentFor(c: ConfirmationInput, content: RoomContent, currency: string, confirmedAt: string): ConsentRecord | null {
  const given = c.shownAt !== undefined || c.summaryLang !== undefined || c.summaryHash !== undefined
  if (!given) {
    if (c.ip != null || c.userAgent != null) {
      throw new BuildAgreementError('invalid_input', `${c.role} confirmation has ip/userAgent but no shownAt, summaryLang, summaryHash`)
    }
    return null
  }
  if (c.shownAt === undefined || c.summaryLang === undefined || c.summaryHash === undefined) {
    throw new BuildAgreementError('invalid_input', `${c.role} confirmation needs shownAt, summaryLang and summaryHash together`)
  }
  if (c.summaryLang !== 'en' && c.summaryLang !== 'zh') throw new BuildAgreementError('invalid_input', `${c.role} summaryLang must be en or zh`)
  const expected = summaryHash(content, c.summaryLang, currency)
  if (c.summaryHash !== expected) {
    throw new BuildAgreementError('summary_mismatch', `${c.role} was shown a summary hashing to ${c.summaryHash}, but this content's summary hashes to ${expected}`)
  }
  const shownAt = iso(c.shownAt, `${c.role} shownAt`)
  if (Date.parse(shownAt) > Date.parse(confirmedAt)) throw new BuildAgreementError('invalid_input', `${c.role} shownAt is after confirmedAt`)
  for (const k of ['ip', 'userAgent'] as const) {
    const v = c[k]
    if (v !== undefined && v !== null && typeof v !== 'string') throw new BuildAgreementError('invalid_input', `${c.role} ${k} must be a string or null`)
  }
  return { shownAt, summaryLang: c.summaryLang, summaryHash: c.summaryHash, ip: c.ip ?? null, userAgent: c.userAgent ?? null }
}

function confirmationFor(role: PartyRole, all: ConfirmationInput[], contentHash: string, content: RoomContent, currency: string): AgreementConfirmation {
  const found = all.filter((c) => c.role === role)
  if (found.length !== 1) {
    throw new BuildAgreementError('missing_confirmation', `expected one ${role} confirmation, got ${found.length}`)
  }
  const c = found[0]!
  if (c.hash !== contentHash) {
    throw new BuildAgreementError('hash_mismatch', `${role} confirmed ${c.hash}, but the content hashes to ${contentHash}`)
  }
  if (c.name.trim() === '') throw new BuildAgreementError('invalid_input', `${role} confirmation has no name`)
  const confirmedAt = iso(c.confirmedAt, `${role} confirmedAt`)
  const consent = consentFor(c, content, currency, confirmedAt)
  const staff = c.staff === undefined ? null : staffFor(role, c.staff)
  return { role, name: c.name, confirmedAt, hash: c.hash, ...(consent ?? {}), ...(staff ? { staff } : {}) }
}

function staffFor(role: PartyRole, s: AgreementStaff): AgreementStaff {
  if (role !== 'lender') throw new BuildAgreementError('invalid_input', `only the lender confirms as a staff member, not the ${role}`)
  for (const k of AGREEMENT_STAFF_KEYS) {
    if (typeof s[k] !== 'string' || s[k].trim() === '') throw new BuildAgreementError('invalid_input', `lender staff.${k} is empty`)
  }
  return { staffId: s.staffId, name: s.name, orgId: s.orgId, orgName: s.orgName }
}

function checkedLogHead(head: LogHead): LogHead {
  if (!Number.isInteger(head.seq) || head.seq < 1 || !/^[0-9a-f]{64}$/.test(head.hash)) {
    throw new BuildAgreementError('invalid_input', 'logHead needs a seq ≥ 1 and a SHA-256 hex hash')
  }
  return { seq: head.seq, hash: head.hash }
}

/** The record without its signature; separate so tests and tools can inspect what gets signed. */
export function buildUnsignedAgreement(input: BuildAgreementInput, key: Pick<ServerKey, 'publicJwk'>): UnsignedAgreement {
  const content = structuredClone(input.content)
  const figures = agreedFigures(content)
  if (!figures.ok) {
    const termsOnly = figures.errors.every((e) => e.startsWith('/terms'))
    throw new BuildAgreementError(termsOnly ? 'invalid_terms' : 'invalid_content', `content is not valid: ${figures.errors.join('; ')}`)
  }
  const contentHash = hashContent(content)
  const confirmations = [
    confirmationFor('borrower', input.confirmations, contentHash, content, input.currency),
    confirmationFor('lender', input.confirmations, contentHash, content, input.currency),
  ]
  const terms = figures.checked.terms
  const firstDue = figures.checked.commitments.firstDueDate
  const record: UnsignedAgreement = {
    version: AGREEMENT_VERSION,
    roomId: input.roomId,
    title: input.title,
    ...(input.lenderInstitution ? { lenderInstitution: input.lenderInstitution } : {}),
    currency: input.currency,
    lockedAt: iso(input.lockedAt, 'lockedAt'),
    content,
    computed: figures.computed,
    confirmations,
    contentHash,
    attachments: structuredClone(input.attachments ?? []),
    publicKey: { ...key.publicJwk },
  }
  if (input.logHead) record.logHead = checkedLogHead(input.logHead)
  if (input.original) {
    const original = structuredClone(input.original)
    const originalCheck = checkTerms(original)
    if (!originalCheck.ok) throw new BuildAgreementError('invalid_input', `original: ${originalCheck.reason}`)
    record.comparison = { original, result: compare(original, terms, firstDue === undefined ? {} : { firstDueDate: firstDue }) }
  }
  if (figures.restructuring) record.restructuring = figures.restructuring
  if (input.disclosureRules) {
    const disclosures = disclosuresFor(terms, contractDateOf(Date.parse(record.lockedAt)), input.disclosureRules)
    if (disclosures.length > 0) record.disclosures = disclosures
  }
  return record
}

/**
 * The signed agreement the Room stores at lock. Throws BuildAgreementError when a precondition fails
 * (content not valid, a confirmation missing or bound to another hash, a consent summary hash that is not this
 * content's summary).
 */
export function buildAgreement(input: BuildAgreementInput, key: ServerKey): Agreement {
  const record = buildUnsignedAgreement(input, key)
  const value = signText(key, signingPayload(record))
  return { ...record, signature: { alg: 'Ed25519', kid: key.kid, value } }
}
