import { describe, expect, it } from 'vitest'
import { hashContent } from '../content/contentHash.ts'
import type { RoomContent } from '../document/roomDoc.ts'
import { sha256Hex } from '../document/sha256.ts'
import { APR_DISCLOSURE_LABEL, ROUNDING_RULE } from '../i18n/agreementText.ts'
import { handContent } from '../../test/support/restructuring/example.ts'
import { moneyText, reviewSummary, summaryHash, SummaryUnavailable } from './summaryText.ts'

const plain: RoomContent = {
  terms: { principal: 12_000_000, annualRatePct: '4.35', termMonths: 36, method: 'equal_principal', upfrontFee: 120_000 },
  clauses: '',
  profile: {},
  baseline: {},
  waivers: {},
  commitments: {},
}

describe('moneyText', () => {
  it('formats without Intl: comma groups, the currency’s decimals, yuan in Chinese', () => {
    expect(moneyText(123_456_789, 'CNY', 'en')).toBe('CNY 1,234,567.89')
    expect(moneyText(123_456_789, 'CNY', 'zh')).toBe('1,234,567.89 元')
    expect(moneyText(5, 'USD', 'zh')).toBe('USD 0.05')
    expect(moneyText(1_234_567, 'JPY', 'en')).toBe('JPY 1,234,567')
    expect(moneyText(-100_000, 'EUR', 'en')).toBe('EUR -1,000.00')
  })
})

describe('reviewSummary', () => {
  it('is deterministic: the same content gives the same text and hash, whatever the key order', () => {
    const a = handContent()
    const reversed = (v: unknown): unknown =>
      v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v
    const b = reversed(a) as RoomContent
    expect(Object.keys(b.baseline)[0]).toBe('originalRemainingMonths')
    for (const lang of ['en', 'zh'] as const) {
      expect(reviewSummary(a, lang, 'CNY')).toBe(reviewSummary(b, lang, 'CNY'))
      expect(summaryHash(a, lang, 'CNY')).toBe(sha256Hex(reviewSummary(a, lang, 'CNY')))
    }
    expect(summaryHash(a, 'en', 'CNY')).not.toBe(summaryHash(a, 'zh', 'CNY'))
    expect(summaryHash(a, 'en', 'CNY')).not.toBe(summaryHash(a, 'en', 'USD'))
  })

  it('tells a restructuring in English sentences: the debt, waivers with reasons, the new principal, terms, commitments', () => {
    const text = reviewSummary(handContent(), 'en', 'CNY')
    for (const needle of [
      'On 2025-02-28 the borrower owes CNY 3,000.00: outstanding principal CNY 2,900.00, accrued interest CNY 60.00, penalty interest CNY 30.00 and fees CNY 10.00; the loan is 75 days past due.',
      'The lender waives CNY 40.00: penalty interest CNY 30.00 (reason: Job loss in January; first default); fees CNY 10.00 (reason: Late fees waived as goodwill).',
      'The new principal is CNY 2,960.00 = outstanding principal CNY 2,900.00 + accrued interest CNY 60.00 + penalty interest CNY 30.00 + fees CNY 10.00 − waivers CNY 40.00.',
      'There is no upfront fee.',
      'The interest rate is 0% a year.',
      'It is repaid over 3 months by equal instalments',
      'The regular monthly payment is CNY 986.67; the first payment, CNY 986.67, is due on 2025-03-31, and the last, CNY 986.66, on 2025-05-31.',
      'In total the borrower repays CNY 2,960.00, of which CNY 0.00 is interest',
      `${APR_DISCLOSURE_LABEL.en}: 0.0000%.`,
      'The lender makes no collection calls while the plan is honoured.',
      'The lender makes no home visits while the plan is honoured.',
      'Credit reporting: the loan is reported to the credit bureau as restructured and up to date',
      'If 2 payments in a row are missed, the plan lapses: the waivers are cancelled and the debt returns to the baseline of CNY 3,000.00, less what has been paid.',
      ROUNDING_RULE.en,
      'No additional conditions.',
      `Content fingerprint: ${hashContent(handContent()).slice(0, 8)}.`,
    ]) {
      expect(text).toContain(needle)
    }
    expect(text.split('\n')).toHaveLength(6)
  })

  it('tells the same in Chinese', () => {
    const text = reviewSummary(handContent(), 'zh', 'CNY')
    for (const needle of [
      '截至 2025-02-28，借款人欠款共 3,000.00 元：未偿本金 2,900.00 元，应计利息 60.00 元，罚息 30.00 元，费用 10.00 元；已逾期 75 天。',
      '出借人减免共 40.00 元：罚息 30.00 元（原因：Job loss in January; first default）；费用 10.00 元（原因：Late fees waived as goodwill）。',
      '新本金为 2,960.00 元 = 未偿本金 2,900.00 元 + 应计利息 60.00 元 + 罚息 30.00 元 + 费用 10.00 元 − 减免 40.00 元。',
      '等额本息',
      '年化利率（IRR，含费用）：0.0000%',
      '还款计划正常履行期间，出借人不拨打催收电话。',
      '还款计划正常履行期间，出借人不上门催收。',
      '征信报送：向征信机构报送为“已重组、正常还款”',
      '如连续 2 期未还款，本计划失效：减免取消，债务恢复为重组前的 3,000.00 元，扣除已还款项。',
      ROUNDING_RULE.zh,
      '无附加条款。',
      '内容指纹：',
    ]) {
      expect(text).toContain(needle)
    }
    expect(text).not.toMatch(/\b(the|and|payment)\b/)
  })

  it('tells a new loan without restructuring sentences, with the fee and what the borrower receives', () => {
    const en = reviewSummary({ ...plain, clauses: '  Early repayment is free.\n' }, 'en', 'CNY')
    expect(en).toContain('The loan amount is CNY 120,000.00. An upfront fee of CNY 1,200.00 is deducted, so the borrower receives CNY 118,800.00.')
    expect(en).toContain('by equal principal')
    expect(en).toContain('Additional conditions: Early repayment is free.')
    expect(en).not.toContain('waive')
    expect(reviewSummary(plain, 'zh', 'CNY')).toContain('借款金额为 120,000.00 元。扣除前期费用 1,200.00 元后，借款人实际收到 118,800.00 元。')
  })

  it('says when everything is paid at once (bullet) and names the grace period', () => {
    const bullet = reviewSummary({ ...plain, terms: { principal: 1_000_000, annualRatePct: '6', termMonths: 12, method: 'bullet' } }, 'en', 'CNY')
    expect(bullet).toContain('Everything is repaid in one payment of CNY 10,600.00, due in month 12.')
    const grace = reviewSummary({ ...plain, terms: { ...plain.terms, graceMonths: 2, graceInterest: 'pay' } }, 'en', 'CNY')
    expect(grace).toContain('The first 2 months are a grace period: only the interest is paid.')
  })

  it('changes when any agreed figure changes', () => {
    const base = summaryHash(handContent(), 'en', 'CNY')
    const c = handContent()
    c.waivers['feesReason'] = 'Another reason'
    expect(summaryHash(c, 'en', 'CNY')).not.toBe(base)
  })

  it('is not available for invalid content', () => {
    expect(() => reviewSummary({ ...handContent(), waivers: { fees: 1_001, feesReason: 'x' } }, 'en', 'CNY')).toThrow(SummaryUnavailable)
    expect(() => reviewSummary({ ...plain, terms: {} }, 'zh', 'CNY')).toThrow(/\/terms\/principal: is required/)
  })
})
