// The PDF is read back with a real PDF parser (pdfjs-dist): the words a person would read must be in it.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { formatMoney } from '../../shared/format/money.ts'
import { formatPercent } from '../../shared/format/percent.ts'
import type { Method } from '../../shared/terms/types.ts'
import { renderAgreementPdf } from './agreementPdf.ts'
import { buildAgreement } from './buildAgreement.ts'
import { findCjkFont } from './cjkFont.ts'
import { ROUNDING_RULE, type AgreementLang } from '../../shared/i18n/agreementText.ts'
import { SAMPLE_CLAUSE, SAMPLE_USER_AGENT, sampleContent, sampleLockInput, samplePlainContent } from '../../test/support/agreement/sampleAgreement.ts'
import { suiteServerKey } from '../../test/support/agreement/suiteServerKey.ts'

const key = suiteServerKey()

/** The text of each page, whitespace removed (pdfjs splits runs differently from how they were written). */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise
  const pages: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('').replace(/\s+/g, ''))
  }
  await doc.destroy()
  return pages
}

/** Every text run as pdfjs reads it, untouched: a value split over two lines is two runs. */
async function pdfRuns(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise
  const runs: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    for (const item of content.items) if ('str' in item && item.str !== '') runs.push(item.str)
  }
  await doc.destroy()
  return runs
}

/** The agreement rendered in `lang`: the bytes, the text of each page, and all of it in one string. */
async function rendered(a: Agreement, lang: AgreementLang): Promise<{ pdf: Buffer; pages: string[]; all: string }> {
  const pdf = await renderAgreementPdf(a, lang)
  const pages = await pdfPages(pdf)
  return { pdf, pages, all: pages.join('') }
}

const squeeze = (s: string) => s.replace(/\s+/g, '')

function expectAll(text: string, needles: string[]): void {
  for (const needle of needles) expect(text, `PDF should contain ${JSON.stringify(needle)}`).toContain(squeeze(needle))
}

function agreementWith(method: Method, termMonths = 36): Agreement {
  const content = sampleContent({ method, termMonths, graceMonths: method === 'bullet' ? 0 : 3 })
  return buildAgreement(sampleLockInput(content), key)
}

describe('renderAgreementPdf', () => {
  const agreement = buildAgreement(sampleLockInput(), key)
  const c = agreement.computed

  it('finds a font with Chinese glyphs', () => {
    const font = findCjkFont()
    expect(font.regular.file).toMatch(/\.(otf|ttf|ttc)$/)
  })

  it('renders the Chinese agreement with the clause, the names, the method and the key figures', async () => {
    const { pdf, pages, all } = await rendered(agreement, 'zh')
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expectAll(all, [
      '借款协议',
      '等额本息',
      '借款人承诺按时还款',
      SAMPLE_CLAUSE,
      '张伟',
      'Maria Keller (Acme Lending)',
      '借款人',
      '出借人',
      formatMoney(c.regularInstalment, 'CNY', 'zh-CN'),
      formatMoney(c.totalPaid, 'CNY', 'zh-CN'),
      formatMoney(c.totalInterest, 'CNY', 'zh-CN'),
      formatMoney(120_000, 'CNY', 'zh-CN'),
      `${c.aprPct}%`,
      '4.35%',
      '36 个月',
      '宽限期',
      '调整前后对比',
      '借款人申报的财务状况',
      agreement.contentHash,
      agreement.contentHash.slice(0, 8),
      agreement.signature.kid,
      '还款计划表',
    ])
    expect(pages[0]).toContain(squeeze(formatMoney(c.regularInstalment, 'CNY', 'zh-CN')))
    pages.forEach((page, i) => expect(page).toContain(squeeze(`第 ${i + 1} 页，共 ${pages.length} 页`)))
  })

  it('renders the English agreement, keeping Chinese user text', async () => {
    const { pages, all } = await rendered(agreement, 'en')
    expectAll(all, [
      'Loan Agreement',
      'Summary in plain language',
      'equal instalments',
      SAMPLE_CLAUSE,
      '张伟 — restructuring of loan 2023-118',
      formatMoney(c.regularInstalment, 'CNY', 'en'),
      formatMoney(c.totalPaid, 'CNY', 'en'),
      formatMoney(c.totalCost, 'CNY', 'en'),
      '2025-03-14 09:30:05 UTC',
      agreement.contentHash,
      agreement.signature.value,
    ])
    expect(all.indexOf(squeeze('Summary in plain language'))).toBeLessThan(all.indexOf(squeeze('Repayment schedule')))
    pages.forEach((page, i) => expect(page).toContain(squeeze(`Page ${i + 1} of ${pages.length}`)))
  })

  it('names every repayment method in Chinese', async () => {
    const names: Record<Method, string> = {
      annuity: '等额本息',
      equal_principal: '等额本金',
      interest_only: '先息后本',
      bullet: '一次性还本付息',
    }
    for (const method of Object.keys(names) as Method[]) {
      const { all } = await rendered(agreementWith(method, 12), 'zh')
      expect(all, method).toContain(names[method])
    }
  })

  it('paginates a 600-month schedule with the header repeated on every page', async () => {
    const long = agreementWith('equal_principal', 600)
    expect(long.computed.payments).toHaveLength(600)
    const { pages } = await rendered(long, 'en')
    const first = pages.findIndex((p) => p.includes('Repaymentschedule'))
    const schedulePages = pages.slice(first)
    expect(schedulePages.length).toBeGreaterThan(10)
    for (const page of schedulePages) expectAll(page, ['No.', 'Payment', 'Principal', 'Interest', 'Balance'])
    for (const page of schedulePages.slice(1)) expect(page).toContain('Repaymentschedule(continued)')
    const last = schedulePages[schedulePages.length - 1]!
    expectAll(last, ['600', 'Total', formatMoney(long.computed.totalPaid, 'CNY', 'en').replace('CN¥', '')])
    expect(pages[pages.length - 1]).toContain(`Page${pages.length}of${pages.length}`)
  }, 60_000)
})

describe('renderAgreementPdf for a restructuring', () => {
  const agreement = buildAgreement(sampleLockInput(), key)
  const r = agreement.restructuring!
  const b = r.breakdown
  const { borrower, lender } = r.comparison

  it('shows, in English, the breakdown wherever the new principal appears, the waivers, commitments, both sides, disclosure and consent', async () => {
    const { all } = await rendered(agreement, 'en')
    const m = (minor: number) => formatMoney(minor, 'CNY', 'en')
    const formula = `outstanding principal ${m(b.outstandingPrincipal)} + accrued interest ${m(b.accruedInterest)} + penalty interest ${m(b.penaltyInterest)} + fees ${m(b.fees)} − waivers ${m(b.waivers.total)}`
    // The summary sentence, the principal row, the breakdown note and the borrower's side: four places.
    expect(all.split(squeeze(formula)).length - 1).toBeGreaterThanOrEqual(4)
    expectAll(all, [
      `The new principal is ${m(b.newPrincipal)} = ${formula}`,
      'Debt being restructured (stated by the lender)',
      'How the new principal is made up',
      'Total owed before waivers',
      m(b.totalOwed),
      '2024-12-20',
      'Waivers',
      '首次逾期，因失业所致 — first default, caused by job loss',
      'Goodwill: the late fees of March',
      'The lender makes no collection calls while the plan is honoured.',
      'The lender makes no home visits while the plan is honoured.',
      'Credit reporting: the loan is reported to the credit bureau as restructured and up to date',
      `If 3 payments in a row are missed, the plan lapses: the waivers are cancelled and the debt returns to the baseline of ${m(b.totalOwed)}, less what has been paid.`,
      'What the plan means for each side',
      'For the borrower',
      m(borrower.baseline.totalToPay),
      m(borrower.plan.totalToPay),
      m(borrower.baseline.regularInstalment!),
      'For the lender',
      `Present value of the plan at the original rate of ${lender.discountAnnualRatePct}% a year`,
      m(lender.presentValue),
      `${lender.recoveryRatioPct}%`,
      'APR (actuarial method, fees included)',
      ROUNDING_RULE.en,
      'Consent records',
      'Summary shown at',
      '2025-03-14 09:28:30 UTC',
      agreement.confirmations[0]!.summaryHash!,
      agreement.confirmations[1]!.summaryHash!,
      '203.0.113.7',
      '198.51.100.23',
      SAMPLE_USER_AGENT,
    ])
  })

  it('shows the same in Chinese', async () => {
    const { all } = await rendered(agreement, 'zh')
    const m = (minor: number) => formatMoney(minor, 'CNY', 'zh-CN')
    expectAll(all, [
      `新本金为 ${m(b.newPrincipal)} = 未偿本金 ${m(b.outstandingPrincipal)} + 应计利息 ${m(b.accruedInterest)} + 罚息 ${m(b.penaltyInterest)} + 费用 ${m(b.fees)} − 减免 ${m(b.waivers.total)}`,
      '重组前债务（出借人陈述）',
      '新本金的构成',
      '减免',
      '首次逾期，因失业所致',
      '还款计划正常履行期间，出借人不拨打催收电话。',
      '还款计划正常履行期间，出借人不上门催收。',
      '征信报送：向征信机构报送为“已重组、正常还款”',
      `如连续 3 期未还款，本计划失效：减免取消，债务恢复为重组前的 ${m(b.totalOwed)}，扣除已还款项。`,
      '重组方案对双方的影响',
      '对借款人',
      '对出借人',
      `回收率（现值 ÷ 债权）`,
      `${lender.recoveryRatioPct}%`,
      '年化利率（IRR，含费用）',
      ROUNDING_RULE.zh,
      '确认记录',
      '摘要展示时间',
      '中文',
      '203.0.113.7',
    ])
  })

  it('a new loan has no restructuring sections but keeps the disclosure', async () => {
    const plain = buildAgreement(sampleLockInput(samplePlainContent()), key)
    const { all } = await rendered(plain, 'en')
    expect(all).not.toContain(squeeze('How the new principal is made up'))
    expect(all).not.toContain(squeeze('What the plan means for each side'))
    expectAll(all, ['The borrower borrows', 'APR (actuarial method, fees included)', ROUNDING_RULE.en, 'Consent records'])
  })
})

describe('renderAgreementPdf as a bank hands it to a customer', () => {
  const institution = '北京示例银行股份有限公司'
  const dated = (fee: number) =>
    buildAgreement(
      sampleLockInput(sampleContent({ upfrontFee: fee }), { lenderInstitution: institution }),
      key,
    )

  it('reads in Chinese for a Chinese reader: Chinese headings, the institution represented by its signer', async () => {
    const a = dated(120_000)
    const { all } = await rendered(a, 'zh')
    expectAll(all, ['借款协议', '协议双方', '要点摘要', '还款计划表', '完整性与签名', `${institution}（经办人：Maria Keller (Acme Lending)）`])
    expect(all).not.toContain(squeeze('Repayment schedule'))
    // The lender read the English summary: the Chinese copy says so beside their consent record.
    expectAll(all, ['本文本为中文；该方确认前看到的是英文（English）摘要。'])
  })

  it('names the institution in English, and the signer alone, with no empty label, when there is none', async () => {
    const { all } = await rendered(dated(120_000), 'en')
    expectAll(all, ['Parties', `Lender${institution}, represented by Maria Keller (Acme Lending)`])
    const without = await rendered(buildAgreement(sampleLockInput(), key), 'en')
    expectAll(without.all, ['LenderMaria Keller (Acme Lending)'])
    expect(without.all).not.toContain('representedby')
  })

  it('dates every instalment when the first due date is agreed', async () => {
    const content = sampleContent()
    content.commitments = { ...content.commitments, firstDueDate: '2025-04-20' }
    const a = buildAgreement(sampleLockInput(content), key)
    expect(a.computed.payments.every((p) => p.dueDate)).toBe(true)
    const { pages } = await rendered(a, 'en')
    const schedule = pages.slice(pages.findIndex((p) => p.includes('Repaymentschedule'))).join('')
    expectAll(schedule, ['Due date', ...a.computed.payments.map((p) => p.dueDate!)])
  })

  it('shows every rate one way, "4.35 %", and the exact APR only in the disclosure', async () => {
    const a = buildAgreement(sampleLockInput(), key)
    for (const lang of ['en', 'zh'] as const) {
      // pdfjs reads the no-break space before "%" back as a space.
      const runs = (await pdfRuns(await renderAgreementPdf(a, lang))).join('\n').replaceAll('\u00a0', ' ')
      expect(runs, lang).not.toMatch(/\d%/)
      expect(runs, lang).toContain('4.35 %')
      expect(runs, lang).toContain(formatPercent(a.computed.aprPct, 'en').replace('\u00a0', ' '))
      expect(runs.split(`${a.computed.aprPct} %`).length - 1, `${lang}: the exact APR once`).toBe(1)
    }
  })

  it('says nothing about an upfront fee when there is none', async () => {
    const plain = buildAgreement(sampleLockInput(samplePlainContent({ upfrontFee: 0 })), key)
    const restructuring = buildAgreement(sampleLockInput(sampleContent({ upfrontFee: 0 })), key)
    for (const a of [plain, restructuring]) {
      const en = (await rendered(a, 'en')).all.toLowerCase()
      for (const phrase of ['upfront fee', '(after fee)', 'with the fee', '(interest + fee)']) expect(en, phrase).not.toContain(squeeze(phrase))
      expect((await rendered(a, 'zh')).all).not.toContain('前期费用')
    }
    expect((await rendered(dated(120_000), 'en')).all.toLowerCase()).toContain(squeeze('upfront fee'))
  })

  it('keeps every hash, the signature and the key id on one unbroken line', async () => {
    const a = buildAgreement(sampleLockInput(), key)
    const hashes = [
      a.contentHash,
      a.signature.value,
      a.signature.kid,
      ...a.confirmations.map((c) => c.summaryHash!),
      ...(a.logHead ? [a.logHead.hash] : []),
    ]
    for (const lang of ['en', 'zh'] as const) {
      const runs = await pdfRuns(await renderAgreementPdf(a, lang))
      for (const h of hashes) expect(runs.some((r) => r.includes(h)), `${lang}: ${h} unbroken`).toBe(true)
    }
  })

  it('explains verification with the public key URL, not a developer command', async () => {
    const a = buildAgreement(sampleLockInput(), key)
    const url = 'https://rooms.example-bank.cn/api/public-key'
    for (const lang of ['en', 'zh'] as const) {
      const runs = await pdfRuns(await renderAgreementPdf(a, lang, { publicKeyUrl: url }))
      const all = squeeze(runs.join(''))
      expect(all).not.toContain('npmrun')
      expect(all).not.toContain('--key')
      expect(runs.some((r) => r.includes(url)), lang).toBe(true)
    }
    expectAll((await rendered(a, 'en')).all, ['Public key', '/api/public-key', 'Ed25519'])
  })
})
