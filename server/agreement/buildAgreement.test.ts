import { verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { agreementHash, signingPayload, type Agreement } from '../../shared/agreement/agreement.ts'
import { verifyAgreement } from '../../shared/agreement/verifyAgreement.ts'
import { signText } from './serverKey.ts'
import { hashContent } from '../../shared/content/contentHash.ts'
import { compare, computeSchedule } from '../../shared/terms/index.ts'
import type { Terms } from '../../shared/terms/types.ts'
import { reviewSummary, summaryHash } from '../../shared/agreement/summaryText.ts'
import { sha256Hex } from '../../shared/document/sha256.ts'
import { comparisonOf } from '../../shared/content/comparison.ts'
import { buildAgreement, BuildAgreementError, type ConfirmationInput } from './buildAgreement.ts'
import {
  SAMPLE_BASELINE,
  SAMPLE_COMMITMENTS,
  SAMPLE_ORIGINAL,
  SAMPLE_USER_AGENT,
  SAMPLE_WAIVERS,
  sampleContent,
  sampleLockInput,
  samplePlainContent,
} from '../../test/support/agreement/sampleAgreement.ts'
import { suiteServerKey } from '../../test/support/agreement/suiteServerKey.ts'

const key = suiteServerKey()

describe('buildAgreement', () => {
  it('records what both parties confirmed, with the hash they confirmed', () => {
    const input = sampleLockInput()
    const a = buildAgreement(input, key)
    expect(a.version).toBe(1)
    expect(a.contentHash).toBe(hashContent(input.content))
    expect(a.content).toEqual(input.content)
    expect(a.confirmations.map((c) => [c.role, c.name, c.hash])).toEqual([
      ['borrower', '张伟', a.contentHash],
      ['lender', 'Maria Keller (Acme Lending)', a.contentHash],
    ])
    expect(a.lockedAt).toBe('2025-03-14T09:30:05.000Z')
    expect(a.attachments).toEqual([])
    expect(a.publicKey).toEqual(key.publicJwk)
    expect(a.signature).toMatchObject({ alg: 'Ed25519', kid: key.kid })
    expect(agreementHash(a)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('carries the full schedule and totals from the terms engine', () => {
    const input = sampleLockInput()
    const a = buildAgreement(input, key)
    const r = computeSchedule(input.content.terms as unknown as Terms)
    expect(a.computed.payments.map(({ dueDate: _d, ...row }) => row)).toEqual(r.payments)
    expect(a.computed.payments).toHaveLength(36)
    expect(a.computed).toMatchObject({
      totalInterest: r.totalInterest,
      totalPaid: r.totalPaid,
      aprPct: r.aprPct,
      earPct: r.earPct,
      upfrontFee: 120_000,
      netDisbursed: 12_000_000 - 120_000,
      totalCost: r.totalInterest + 120_000,
    })
    expect(a.computed.firstDueDate).toBeUndefined()
    // Grace months are capitalised: the first money paid is in month 4.
    expect(a.computed.firstPayment.period).toBe(4)
    expect(a.computed.lastPayment.period).toBe(36)
  })

  it('compares with the original loan when the room was created with one', () => {
    const a = buildAgreement(sampleLockInput(), key)
    expect(a.comparison?.original).toEqual(SAMPLE_ORIGINAL)
    expect(a.comparison?.result).toEqual(compare(SAMPLE_ORIGINAL, sampleContent().terms as unknown as Terms))
    expect(a.comparison?.result.change.lastPaymentMonths).toBe(12)
    const without = buildAgreement(sampleLockInput(undefined, { original: null }), key)
    expect(without.comparison).toBeUndefined()
    expect('comparison' in without).toBe(false)
  })

  it('dates every payment when the parties agreed a first due date (commitments.firstDueDate)', () => {
    const content = { ...sampleContent(), commitments: { firstDueDate: '2025-01-31' } }
    const a = buildAgreement(sampleLockInput(content), key)
    expect(a.computed.payments.slice(0, 4).map((r) => r.dueDate)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30'])
    expect(a.computed.firstDueDate).toBe('2025-01-31')
    expect(a.computed.lastDueDate).toBe('2027-12-31')
    expect(a.comparison?.result.proposal.lastPaymentDate).toBe('2027-12-31')
  })

  it('signs canonical JSON of the whole record without the signature', () => {
    const a = buildAgreement(sampleLockInput(), key)
    const sig = Buffer.from(a.signature.value, 'base64url')
    expect(verify(null, Buffer.from(signingPayload(a)), key.publicKey, sig)).toBe(true)
    expect(signingPayload(a)).not.toContain('"signature"')
  })

  it('refuses to lock without both confirmations on the current hash', () => {
    const input = sampleLockInput()
    const [lender, borrower] = input.confirmations
    expect(() => buildAgreement({ ...input, confirmations: [lender!] }, key)).toThrow(BuildAgreementError)
    expect(() => buildAgreement({ ...input, confirmations: [lender!] }, key)).toThrow(/one borrower confirmation, got 0/)
    expect(() => buildAgreement({ ...input, confirmations: [lender!, { ...borrower!, hash: 'f'.repeat(64) }] }, key)).toThrow(
      /borrower confirmed f+, but the content hashes to/,
    )
    const changed = { ...input, content: { ...input.content, clauses: 'something else' } }
    expect(() => buildAgreement(changed, key)).toThrow(/hash_mismatch|content hashes to/)
  })

  it('refuses invalid terms', () => {
    const input = sampleLockInput(sampleContent({ termMonths: -1 }))
    expect(() => buildAgreement(input, key)).toThrow(/content is not valid: \/terms\/termMonths: must be >= 1/)
  })

  it('does not alias the caller’s content', () => {
    const input = sampleLockInput()
    const a = buildAgreement(input, key)
    input.content.terms['principal'] = 1
    expect(a.content.terms['principal']).toBe(12_000_000)
  })
})

describe('buildAgreement for a restructuring', () => {
  it('records the breakdown and both sides’ comparison, computed from the effective terms', () => {
    const input = sampleLockInput()
    const a = buildAgreement(input, key)
    expect(a.content.baseline).toEqual(SAMPLE_BASELINE)
    expect(a.content.waivers).toEqual(SAMPLE_WAIVERS)
    expect(a.content.commitments).toEqual(SAMPLE_COMMITMENTS)
    expect(a.restructuring?.breakdown).toEqual({
      outstandingPrincipal: 11_920_000,
      accruedInterest: 43_500,
      penaltyInterest: 24_000,
      fees: 46_500,
      totalOwed: 12_034_000,
      waivers: { accruedInterest: 0, penaltyInterest: 24_000, fees: 10_000, total: 34_000 },
      newPrincipal: 12_000_000,
    })
    expect(a.restructuring?.comparison).toEqual(comparisonOf(input.content))
    expect(a.restructuring?.comparison.lender.baselineAmount).toBe(12_034_000)
    expect(a.restructuring?.comparison.lender.recoveryRatioPct).toMatch(/^\d+\.\d{2}$/)
  })

  it('computes every figure from the new principal, not from a typed principal', () => {
    const content = sampleContent({ principal: 1 })
    const a = buildAgreement(sampleLockInput(content), key)
    const r = computeSchedule({ ...(sampleContent().terms as unknown as Terms), principal: 12_000_000 })
    expect(a.computed.totalPaid).toBe(r.totalPaid)
    expect(a.computed.netDisbursed).toBe(12_000_000 - 120_000)
    expect(a.content.terms['principal']).toBe(1) // the content is recorded as it was
  })

  it('has no restructuring block for a new loan', () => {
    const a = buildAgreement(sampleLockInput(samplePlainContent()), key)
    expect('restructuring' in a).toBe(false)
  })

  it('refuses content that is not valid (a waiver above its category)', () => {
    const content = { ...sampleContent(), waivers: { fees: 50_000, feesReason: 'x' } }
    expect(() => buildAgreement(sampleLockInput(content), key)).toThrow(
      expect.objectContaining({ code: 'invalid_content', message: 'content is not valid: /waivers/fees: must be <= the baseline fees (46500)' }),
    )
  })
})

describe('consent records', () => {
  it('are recorded with each confirmation', () => {
    const input = sampleLockInput()
    const a = buildAgreement(input, key)
    expect(a.confirmations[0]).toEqual({
      role: 'borrower',
      name: '张伟',
      confirmedAt: '2025-03-14T09:30:05.000Z',
      hash: a.contentHash,
      shownAt: '2025-03-14T09:28:30.000Z',
      summaryLang: 'zh',
      summaryHash: sha256Hex(reviewSummary(input.content, 'zh', 'CNY')),
      ip: '203.0.113.7',
      userAgent: SAMPLE_USER_AGENT,
    })
    expect(a.confirmations[1]).toMatchObject({ role: 'lender', summaryLang: 'en', summaryHash: summaryHash(input.content, 'en', 'CNY') })
  })

  it('default ip and userAgent to null, and may be absent altogether', () => {
    const input = sampleLockInput()
    const confirmations = input.confirmations.map(({ ip: _ip, userAgent: _ua, ...c }) => c)
    const a = buildAgreement({ ...input, confirmations }, key)
    expect(a.confirmations.map((c) => [c.ip, c.userAgent])).toEqual([
      [null, null],
      [null, null],
    ])
    const bare = input.confirmations.map((c) => ({ role: c.role, name: c.name, confirmedAt: c.confirmedAt, hash: c.hash }))
    const b = buildAgreement({ ...input, confirmations: bare }, key)
    expect(Object.keys(b.confirmations[0]!).sort()).toEqual(['confirmedAt', 'hash', 'name', 'role'])
  })

  it('refuses a summary hash that is not this content’s summary, a partial record, and a summary shown after confirming', () => {
    const input = sampleLockInput()
    const [lender, borrower] = input.confirmations as [ConfirmationInput, ConfirmationInput]
    const other = summaryHash(sampleContent({ termMonths: 48 }), 'zh', 'CNY')
    expect(() => buildAgreement({ ...input, confirmations: [lender, { ...borrower, summaryHash: other }] }, key)).toThrow(
      expect.objectContaining({ code: 'summary_mismatch' }),
    )
    // The English summary's hash recorded as if the Chinese one had been shown.
    expect(() => buildAgreement({ ...input, confirmations: [lender, { ...borrower, summaryHash: lender.summaryHash! }] }, key)).toThrow(
      /borrower was shown a summary hashing to/,
    )
    const { summaryLang: _l, ...partial } = borrower
    expect(() => buildAgreement({ ...input, confirmations: [lender, partial] }, key)).toThrow(/needs shownAt, summaryLang and summaryHash together/)
    expect(() => buildAgreement({ ...input, confirmations: [lender, { ...borrower, shownAt: '2025-03-14T09:31:00.000Z' }] }, key)).toThrow(
      /shownAt is after confirmedAt/,
    )
  })
})

describe('buildAgreement: the log head at the lock', () => {
  const head = { seq: 41, hash: 'c'.repeat(64) }

  it('signs the log head with the record, so it cannot be moved', async () => {
    const { verifyAgreement } = await import('../../shared/agreement/verifyAgreement.ts')
    const a = buildAgreement({ ...sampleLockInput(), logHead: head }, key)
    expect(a.logHead).toEqual(head)
    expect(await verifyAgreement(a, { publicKey: key.publicPem })).toMatchObject({ valid: true })
    const moved = await verifyAgreement({ ...a, logHead: { seq: 40, hash: head.hash } }, { publicKey: key.publicPem })
    expect(moved.problems).toContainEqual({ code: 'signature', message: 'signature does not match' })
  })

  it('is absent without one (the record an older server signed), and refused when not {seq ≥ 1, hash}', () => {
    expect(buildAgreement(sampleLockInput(), key)).not.toHaveProperty('logHead')
    expect(() => buildAgreement({ ...sampleLockInput(), logHead: { seq: 0, hash: head.hash } }, key)).toThrow(BuildAgreementError)
    expect(() => buildAgreement({ ...sampleLockInput(), logHead: { seq: 3, hash: 'xyz' } }, key)).toThrow(/logHead needs a seq ≥ 1 and a SHA-256 hex hash/)
  })
})

describe('the staff member who confirmed for the lender', () => {
  const staff = { staffId: 'stf_1', name: 'Maria Keller', orgId: 'org_1', orgName: 'Acme Lending' }
  const withStaff = (role: 'borrower' | 'lender') => {
    const input = sampleLockInput()
    input.confirmations = input.confirmations.map((c) => (c.role === role ? { ...c, staff } : c))
    return input
  }

  it('is signed with the lender’s confirmation, and the record verifies; without one, as before', async () => {
    const a = buildAgreement(withStaff('lender'), key)
    expect(a.confirmations.find((c) => c.role === 'lender')?.staff).toEqual(staff)
    expect(a.confirmations.find((c) => c.role === 'borrower')).not.toHaveProperty('staff')
    expect(signingPayload(a)).toContain('"staff":{"name":"Maria Keller","orgId":"org_1","orgName":"Acme Lending","staffId":"stf_1"}')
    expect(await verifyAgreement(a, { publicKey: key.publicJwk })).toMatchObject({ valid: true, problems: [] })
    const plain = buildAgreement(sampleLockInput(), key)
    expect(plain.confirmations.some((c) => 'staff' in c)).toBe(false)
    expect((await verifyAgreement(plain, { publicKey: key.publicJwk })).valid).toBe(true)
  })

  it('is refused on the borrower’s confirmation or incomplete, by the builder and by the verifier', async () => {
    expect(() => buildAgreement(withStaff('borrower'), key)).toThrow(BuildAgreementError)
    const partial = sampleLockInput()
    partial.confirmations = partial.confirmations.map((c) => (c.role === 'lender' ? { ...c, staff: { ...staff, orgName: ' ' } } : c))
    expect(() => buildAgreement(partial, key)).toThrow(/staff.orgName/)
    // A record signed with a staff entry the builder would refuse: the signature holds, the verifier still objects.
    const a = buildAgreement(sampleLockInput(), key)
    const unsigned = structuredClone(a) as Omit<Agreement, 'signature'> & { signature?: Agreement['signature'] }
    delete unsigned.signature
    unsigned.confirmations.find((c) => c.role === 'borrower')!.staff = { ...staff, orgId: '' }
    const resigned: Agreement = { ...unsigned, signature: { ...a.signature, value: signText(key, signingPayload(unsigned)) } }
    const report = await verifyAgreement(resigned, { publicKey: key.publicJwk })
    expect(report.valid).toBe(false)
    expect(report.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/only the lender confirms as a staff member/), expect.stringMatching(/staff lacks orgId/)]),
    )
  })
})
