// Offline verification of a signed agreement: signature, content hash, recomputed figures, confirmations.
// Isomorphic: WebCrypto Ed25519 (globalThis.crypto.subtle) in Node 20 and current browsers.
import { canonicalJson } from '../document/canonicalJson.ts'
import { hashContent } from '../content/contentHash.ts'
import type { RoomContent } from '../document/roomDoc.ts'
import { isObject } from '../schema/isObject.ts'
import { compare } from '../terms/index.ts'
import type { AgreementLang } from '../i18n/agreementText.ts'
import { AGREEMENT_STAFF_KEYS, CONSENT_KEYS, signingPayload, type Agreement, type AgreementRestructuring, type PublicKeyJwk } from './agreement.ts'
import { agreedFigures, checkTerms } from './agreementFigures.ts'
import { base64urlToBytes, ed25519Thumbprint, importPublicKey, type ImportedKey, type PublicKeyInput } from './publicKey.ts'
import { summaryHash } from './summaryText.ts'
import { disclosureProblems } from '../disclosure/disclosureCheck.ts'

export type ProblemCode =
  | 'parse'
  | 'shape'
  | 'key'
  | 'signature'
  | 'content_hash'
  | 'terms'
  | 'content'
  | 'computed'
  | 'comparison'
  | 'restructuring'
  | 'confirmation'
  | 'consent'
  | 'disclosure'

export interface VerifyProblem {
  code: ProblemCode
  message: string
}

export interface VerifyOptions {
  /** The key to trust. Without it the key embedded in the record is used, which proves integrity only. */
  publicKey?: PublicKeyInput
}

export interface KeyUsed {
  source: 'given' | 'embedded' | 'none'
  /** RFC 7638 thumbprint of the key actually used. */
  kid?: string
}

export interface VerifyResult {
  valid: boolean
  problems: VerifyProblem[]
  key: KeyUsed
  /** The parsed record when it has the agreement's shape (also when invalid, for reporting). */
  agreement?: Agreement
}

// ---------- shape ----------

function isScalarMap(v: unknown): boolean {
  return isObject(v) && Object.values(v).every((x) => ['string', 'number', 'boolean'].includes(typeof x))
}

function isInstant(v: unknown): v is string {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v))
}

const HEX64 = /^[0-9a-f]{64}$/

const CONTENT_MAPS = ['terms', 'profile', 'baseline', 'waivers', 'commitments'] as const

function shapeProblems(r: Record<string, unknown>): { problems: string[]; contentOk: boolean } {
  const problems: string[] = []
  if (r['version'] !== 1) problems.push(`version is ${JSON.stringify(r['version'])}, expected 1`)
  for (const k of ['roomId', 'title', 'currency', 'contentHash'] as const) {
    if (typeof r[k] !== 'string') problems.push(`${k} is missing or not a string`)
  }
  if (r['lenderInstitution'] !== undefined && typeof r['lenderInstitution'] !== 'string') problems.push('lenderInstitution is not a string')
  if (!isInstant(r['lockedAt'])) problems.push('lockedAt is missing or not a date-time')
  let contentOk = isObject(r['content'])
  if (!contentOk) problems.push('content is missing or not an object')
  else {
    const c = r['content'] as Record<string, unknown>
    for (const k of CONTENT_MAPS) {
      if (!isScalarMap(c[k])) {
        problems.push(`content.${k} is missing or not a map of plain values`)
        contentOk = false
      }
    }
    if (typeof c['clauses'] !== 'string') {
      problems.push('content.clauses is missing or not text')
      contentOk = false
    }
  }
  if (!isObject(r['computed']) || !Array.isArray((r['computed'] as Record<string, unknown>)['payments'])) {
    problems.push('computed is missing or has no payments')
  }
  if (!Array.isArray(r['confirmations'])) problems.push('confirmations is missing or not a list')
  if (!Array.isArray(r['attachments'])) problems.push('attachments is missing or not a list')
  if (r['comparison'] !== undefined && !isObject(r['comparison'])) problems.push('comparison is not an object')
  if (r['restructuring'] !== undefined && !isObject(r['restructuring'])) problems.push('restructuring is not an object')
  if (r['publicKey'] !== undefined && !isObject(r['publicKey'])) problems.push('publicKey is not an object')
  const head = r['logHead']
  if (head !== undefined && !(isObject(head) && Number.isInteger(head['seq']) && (head['seq'] as number) >= 1 && typeof head['hash'] === 'string' && HEX64.test(head['hash']))) {
    problems.push('logHead is not {seq ≥ 1, hash: SHA-256 hex}')
  }
  const s = r['signature']
  if (!isObject(s) || s['alg'] !== 'Ed25519' || typeof s['kid'] !== 'string' || typeof s['value'] !== 'string') {
    problems.push('signature is missing or not {alg: "Ed25519", kid, value}')
  }
  return { problems, contentOk }
}

// ---------- comparisons ----------

function show(v: unknown): string {
  const text = v === undefined ? 'nothing' : canonicalJson(v)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function same(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b)
  } catch {
    return false
  }
}

const MAX_ROW_PROBLEMS = 5

function computedProblems(recorded: Record<string, unknown>, expected: Record<string, unknown>): VerifyProblem[] {
  const out: VerifyProblem[] = []
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(recorded)])].filter((k) => k !== 'payments').sort()
  for (const k of keys) {
    if (!same(recorded[k], expected[k])) {
      out.push({
        code: 'computed',
        message: `computed.${k} does not match terms (recorded ${show(recorded[k])}, recomputed ${show(expected[k])})`,
      })
    }
  }
  const rows = recorded['payments'] as unknown[]
  const want = expected['payments'] as Record<string, unknown>[]
  if (rows.length !== want.length) {
    out.push({ code: 'computed', message: `computed.payments has ${rows.length} rows, the terms give ${want.length}` })
  }
  let rowProblems = 0
  for (let i = 0; i < Math.min(rows.length, want.length); i++) {
    const row = rows[i]
    const w = want[i]!
    if (same(row, w)) continue
    rowProblems++
    if (rowProblems > MAX_ROW_PROBLEMS) continue
    const r = isObject(row) ? row : {}
    const fields = [...new Set([...Object.keys(w), ...Object.keys(r)])].filter((f) => !same(r[f], w[f])).sort()
    for (const f of fields) {
      out.push({
        code: 'computed',
        message: `computed.payments[${i}].${f} does not match terms (recorded ${show(r[f])}, recomputed ${show(w[f])})`,
      })
    }
  }
  if (rowProblems > MAX_ROW_PROBLEMS) {
    out.push({ code: 'computed', message: `computed.payments: ${rowProblems - MAX_ROW_PROBLEMS} more rows do not match terms` })
  }
  return out
}

function confirmationProblems(r: Record<string, unknown>): VerifyProblem[] {
  const out: VerifyProblem[] = []
  const list = r['confirmations'] as unknown[]
  const contentHash = r['contentHash']
  const lockedAt = typeof r['lockedAt'] === 'string' ? Date.parse(r['lockedAt']) : NaN
  for (const role of ['borrower', 'lender'] as const) {
    const n = list.filter((c) => isObject(c) && c['role'] === role).length
    if (n !== 1) out.push({ code: 'confirmation', message: `expected one ${role} confirmation, found ${n}` })
  }
  list.forEach((c, i) => {
    const at = `confirmations[${i}]`
    if (!isObject(c)) {
      out.push({ code: 'confirmation', message: `${at} is not an object` })
      return
    }
    const who = `${at} (${String(c['role'])} ${JSON.stringify(c['name'])})`
    if (c['role'] !== 'borrower' && c['role'] !== 'lender') {
      out.push({ code: 'confirmation', message: `${at}.role is ${JSON.stringify(c['role'])}, only borrower and lender confirm` })
    }
    if (typeof c['name'] !== 'string' || c['name'].trim() === '') out.push({ code: 'confirmation', message: `${at}.name is empty` })
    if (c['hash'] !== contentHash) {
      out.push({ code: 'confirmation', message: `${who} binds hash ${typeof c['hash'] === 'string' ? c['hash'] : show(c['hash'])}, not the contentHash` })
    }
    if (!isInstant(c['confirmedAt'])) out.push({ code: 'confirmation', message: `${at}.confirmedAt is not a date-time` })
    else if (Date.parse(c['confirmedAt']) > lockedAt) {
      out.push({ code: 'confirmation', message: `${who} is dated after lockedAt` })
    }
    const staff = c['staff']
    if (staff !== undefined) {
      if (c['role'] !== 'lender') out.push({ code: 'confirmation', message: `${at}.staff is present, but only the lender confirms as a staff member` })
      const empty = AGREEMENT_STAFF_KEYS.filter((k) => !isObject(staff) || typeof staff[k] !== 'string' || staff[k].trim() === '')
      if (empty.length > 0) out.push({ code: 'confirmation', message: `${at}.staff lacks ${empty.join(', ')}` })
    }
  })
  return out
}

/** Leaf paths where `recorded` and `expected` differ ("comparison.lender.presentValue"), at most `limit`. */
function differences(recorded: unknown, expected: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit || same(recorded, expected)) return
  if (isObject(recorded) && isObject(expected)) {
    for (const k of [...new Set([...Object.keys(expected), ...Object.keys(recorded)])].sort()) {
      differences(recorded[k], expected[k], `${path}.${k}`, out, limit)
    }
    return
  }
  out.push(path)
}

function leaf(value: unknown, path: string): unknown {
  let v = value
  for (const k of path.split('.').slice(1)) v = isObject(v) ? v[k] : undefined
  return v
}

function restructuringProblems(recorded: unknown, expected: AgreementRestructuring | undefined): VerifyProblem[] {
  if (expected === undefined) {
    return recorded === undefined ? [] : [{ code: 'restructuring', message: 'restructuring is present, but the content is not a restructuring' }]
  }
  if (recorded === undefined) return [{ code: 'restructuring', message: 'restructuring is missing, but the content is a restructuring' }]
  const paths: string[] = []
  differences(recorded, expected, 'restructuring', paths, MAX_ROW_PROBLEMS)
  return paths.map((p) => ({
    code: 'restructuring' as const,
    message: `${p} does not match the content (recorded ${show(leaf(recorded, p))}, recomputed ${show(leaf(expected, p))})`,
  }))
}

/** Consent records: all fields together, shown before confirmed, and the summary hash of this very content. */
function consentProblems(r: Record<string, unknown>, contentOk: boolean): VerifyProblem[] {
  const out: VerifyProblem[] = []
  const list = r['confirmations'] as unknown[]
  const summaries = new Map<string, string | null>()
  const expectedHash = (lang: AgreementLang): string | null => {
    if (!summaries.has(lang)) {
      let h: string | null = null
      try {
        h = contentOk && typeof r['currency'] === 'string' ? summaryHash(r['content'] as RoomContent, lang, r['currency']) : null
      } catch {
        h = null
      }
      summaries.set(lang, h)
    }
    return summaries.get(lang) ?? null
  }
  list.forEach((c, i) => {
    if (!isObject(c)) return
    const at = `confirmations[${i}]`
    const present = CONSENT_KEYS.filter((k) => c[k] !== undefined)
    if (present.length === 0) return
    const missing = CONSENT_KEYS.filter((k) => c[k] === undefined)
    if (missing.length > 0) out.push({ code: 'consent', message: `${at} has a partial consent record: ${missing.join(', ')} missing` })
    for (const k of ['ip', 'userAgent'] as const) {
      if (c[k] !== undefined && c[k] !== null && typeof c[k] !== 'string') out.push({ code: 'consent', message: `${at}.${k} is not text or null` })
    }
    if (c['shownAt'] !== undefined) {
      if (!isInstant(c['shownAt'])) out.push({ code: 'consent', message: `${at}.shownAt is not a date-time` })
      else if (isInstant(c['confirmedAt']) && Date.parse(c['shownAt']) > Date.parse(c['confirmedAt'])) {
        out.push({ code: 'consent', message: `${at}.shownAt is after its confirmedAt` })
      }
    }
    const lang = c['summaryLang']
    if (lang !== undefined && lang !== 'en' && lang !== 'zh') out.push({ code: 'consent', message: `${at}.summaryLang is ${show(lang)}, expected "en" or "zh"` })
    const hash = c['summaryHash']
    if (hash !== undefined && (typeof hash !== 'string' || !HEX64.test(hash))) {
      out.push({ code: 'consent', message: `${at}.summaryHash is not a SHA-256 hex digest` })
    } else if (typeof hash === 'string' && (lang === 'en' || lang === 'zh')) {
      const expected = expectedHash(lang)
      if (expected === null) out.push({ code: 'consent', message: `${at}.summaryHash cannot be checked: the content has no summary` })
      else if (expected !== hash) out.push({ code: 'consent', message: `${at}.summaryHash is not the hash of the ${lang} summary of this content` })
    }
  })
  return out
}

// ---------- main ----------

/**
 * Verifies a signed agreement (JSON text or parsed value). Never throws for bad input: every
 * mismatch is a problem with a precise message, e.g. "signature does not match",
 * "contentHash does not match content", "computed.totalPaid does not match terms (...)".
 */
export async function verifyAgreement(input: unknown, options: VerifyOptions = {}): Promise<VerifyResult> {
  const problems: VerifyProblem[] = []
  let value: unknown = input
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input)
    } catch (err) {
      return { valid: false, problems: [{ code: 'parse', message: `not JSON: ${(err as Error).message}` }], key: { source: 'none' } }
    }
  }
  if (!isObject(value)) {
    return { valid: false, problems: [{ code: 'parse', message: 'the agreement is not a JSON object' }], key: { source: 'none' } }
  }
  const r = value
  const shape = shapeProblems(r)
  for (const message of shape.problems) problems.push({ code: 'shape', message })
  const agreement = shape.problems.length === 0 ? (r as unknown as Agreement) : undefined

  // 1. Signature, with the given key or else the embedded one.
  const embedded = isObject(r['publicKey']) ? (r['publicKey'] as Partial<PublicKeyJwk>) : undefined
  let key: KeyUsed = { source: 'none' }
  let imported: ImportedKey | undefined
  const keyInput = options.publicKey ?? embedded
  if (keyInput === undefined) {
    problems.push({ code: 'key', message: 'no public key: none given and none embedded in the agreement' })
  } else {
    try {
      imported = await importPublicKey(keyInput)
      key = { source: options.publicKey !== undefined ? 'given' : 'embedded', kid: imported.kid }
    } catch (err) {
      const whose = options.publicKey !== undefined ? 'the given public key' : 'the embedded publicKey'
      problems.push({ code: 'key', message: `${whose} cannot be used: ${(err as Error).message}` })
    }
  }
  const sig = isObject(r['signature']) ? r['signature'] : undefined
  if (imported && sig && typeof sig['value'] === 'string') {
    const sigBytes = base64urlToBytes(sig['value'])
    let payload: string | null = null
    try {
      payload = signingPayload(r as unknown as Agreement)
    } catch (err) {
      problems.push({ code: 'signature', message: `the record cannot be canonicalised: ${(err as Error).message}` })
    }
    if (!sigBytes || sigBytes.length !== 64) {
      problems.push({ code: 'signature', message: 'signature.value is not a base64url Ed25519 signature (64 bytes)' })
    } else if (payload !== null) {
      const ok = await globalThis.crypto.subtle.verify('Ed25519', imported.key, sigBytes, new TextEncoder().encode(payload))
      if (!ok) problems.push({ code: 'signature', message: 'signature does not match' })
    }
    if (typeof sig['kid'] === 'string' && sig['kid'] !== imported.kid) {
      problems.push({ code: 'key', message: `signature.kid ${sig['kid']} is not the id of the key used (${imported.kid})` })
    }
  }
  if (embedded) {
    if (typeof embedded.x === 'string' && embedded.kid !== undefined && embedded.kid !== ed25519Thumbprint(embedded.x)) {
      problems.push({ code: 'key', message: 'publicKey.kid is not the thumbprint of publicKey.x' })
    }
    if (imported && key.source === 'given' && embedded.x !== imported.x) {
      problems.push({ code: 'key', message: `the publicKey embedded in the agreement (kid ${String(embedded.kid)}) is not the given key` })
    }
  }

  // 2. The content hash both parties confirmed.
  if (shape.contentOk) {
    const content = r['content'] as unknown as RoomContent
    let recomputed: string | null = null
    try {
      recomputed = hashContent(content)
    } catch (err) {
      problems.push({ code: 'content_hash', message: `content cannot be hashed: ${(err as Error).message}` })
    }
    if (recomputed !== null && recomputed !== r['contentHash']) {
      problems.push({ code: 'content_hash', message: 'contentHash does not match content' })
    }

    // 3. Every computed figure, from the content alone (effective terms, restructuring breakdown and comparison).
    const figures = agreedFigures(content)
    if (!figures.ok) {
      for (const e of figures.errors) {
        problems.push({ code: e.startsWith('/terms') ? 'terms' : 'content', message: `content is not valid: ${e}` })
      }
    } else {
      const terms = figures.checked.terms
      const firstDue = figures.checked.commitments.firstDueDate
      if (isObject(r['computed']) && Array.isArray(r['computed']['payments'])) {
        problems.push(...computedProblems(r['computed'], figures.computed as unknown as Record<string, unknown>))
      }
      const cmp = r['comparison']
      if (isObject(cmp)) {
        const original = isObject(cmp['original']) ? checkTerms(cmp['original']) : null
        if (!original || !original.ok) {
          problems.push({ code: 'comparison', message: 'comparison.original is not valid terms' })
        } else if (!same(cmp['result'], compare(original.terms, terms, firstDue === undefined ? {} : { firstDueDate: firstDue }))) {
          problems.push({ code: 'comparison', message: 'comparison.result does not match the original loan and the terms' })
        }
      }
      problems.push(...restructuringProblems(r['restructuring'], figures.restructuring))
      for (const message of disclosureProblems(r['disclosures'], terms, figures.computed.aprPct)) problems.push({ code: 'disclosure', message })
    }
  }

  // 4. Both parties bound to that hash.
  if (Array.isArray(r['confirmations'])) problems.push(...confirmationProblems(r))
  if (Array.isArray(r['confirmations'])) problems.push(...consentProblems(r, shape.contentOk))

  return agreement ? { valid: problems.length === 0, problems, key, agreement } : { valid: false, problems, key }
}
