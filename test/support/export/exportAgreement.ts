// Signed-looking agreements for the export tests, built by the real agreement builder (the signature is not checked there).
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import type { RoomContent, ScalarMap } from '../../../shared/document/roomDoc.ts'
import type { Terms } from '../../../shared/terms/types.ts'
import { buildUnsignedAgreement } from '../../../server/agreement/buildAgreement.ts'
import { sampleLockInput } from '../agreement/sampleAgreement.ts'

const PUBLIC_JWK = { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'test' } as const

export interface AgreementOptions {
  firstDueDate?: string
  baseline?: ScalarMap
  waivers?: ScalarMap
  currency?: string
  lockedAt?: string
}

/** A new loan (or, with a baseline, a restructuring whose principal follows from it) locked on the given terms. */
export function exportAgreement(terms: Terms | Omit<Terms, 'principal'>, o: AgreementOptions = {}): Agreement {
  const content: RoomContent = {
    terms: { ...terms } as ScalarMap,
    clauses: 'Pay on time, "please", or call us.',
    profile: {},
    baseline: o.baseline ?? {},
    waivers: o.waivers ?? {},
    commitments: o.firstDueDate ? { firstDueDate: o.firstDueDate } : {},
  }
  const input = sampleLockInput(content, { currency: o.currency ?? 'CNY', ...(o.lockedAt ? { lockedAt: o.lockedAt } : {}), original: null })
  const record = buildUnsignedAgreement(input, { publicJwk: PUBLIC_JWK })
  return { ...record, signature: { alg: 'Ed25519', kid: 'test', value: 'unchecked' } }
}
