// The agreement's "disclosures shown to the borrower": recorded at the lock, signed, checked by the verifier, printed.
import { describe, expect, it } from 'vitest'
import { verifyAgreement } from '../../shared/agreement/verifyAgreement.ts'
import { DEFAULT_DISCLOSURE_RULES, type AprCeilingDisclosure } from '../../shared/disclosure/disclosures.ts'
import { sampleContent, sampleLockInput } from '../../test/support/agreement/sampleAgreement.ts'
import { suiteServerKey } from '../../test/support/agreement/suiteServerKey.ts'
import { pdftotext as pdfText } from '../../test/helpers/pdftotext.ts'
import { renderAgreementPdf } from './agreementPdf.ts'
import { buildAgreement } from './buildAgreement.ts'

const key = suiteServerKey()
// 14 % with a 1 % fee, locked on 2025-03-14 (LPR 3.10 %: ceiling 12.40 %).
const high = () => sampleLockInput(sampleContent({ annualRatePct: '14', graceMonths: 0 }), { disclosureRules: DEFAULT_DISCLOSURE_RULES })

describe('agreement disclosures', () => {
  it('lists the ceiling and fee warnings at the lock date, and verifies', async () => {
    const a = buildAgreement(high(), key)
    expect(a.disclosures?.map((d) => d.code)).toEqual(['apr_above_ceiling', 'upfront_fee'])
    expect(a.disclosures?.[0]).toMatchObject({ ceilingPct: '12.4000', lprPct: '3.10', lprEffective: '2024-10-21', contractDate: '2025-03-14', aprPct: a.computed.aprPct })
    const v = await verifyAgreement(JSON.parse(JSON.stringify(a)))
    expect(v.problems).toEqual([])
    expect(v.valid).toBe(true)
  })

  it('records none without rules or without a warning', () => {
    expect(buildAgreement(sampleLockInput(), key).disclosures).toBeUndefined()
    const low = sampleLockInput(sampleContent({ upfrontFee: 0 }), { disclosureRules: DEFAULT_DISCLOSURE_RULES })
    expect(buildAgreement(low, key).disclosures).toBeUndefined()
  })

  it('is covered by the signature: dropping or editing a disclosure fails verification', async () => {
    const a = buildAgreement(high(), key)
    const dropped = { ...a, disclosures: a.disclosures!.slice(1) }
    expect((await verifyAgreement(dropped)).problems.map((p) => p.code)).toContain('signature')
    const edited = structuredClone(a)
    edited.disclosures![0] = { ...(edited.disclosures![0] as AprCeilingDisclosure), ceilingPct: '24.0000' }
    const v = await verifyAgreement(edited)
    expect(v.valid).toBe(false)
    expect(v.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['signature', 'disclosure']))
  })

  it('prints them in the PDF in both languages', async () => {
    const a = buildAgreement(high(), key)
    const en = (await pdfText(await renderAgreementPdf(a, 'en'))).replace(/\s+/g, ' ')
    expect(en).toContain('Disclosures shown to the borrower')
    expect(en).toContain('above the judicial protection ceiling of 12.40 %')
    const zh = (await pdfText(await renderAgreementPdf(a, 'zh'))).replace(/\s+/g, '')
    expect(zh).toContain('已向借款人披露的提示')
    expect(zh).toContain('超过司法保护上限12.40%')
  })
})
