// The agreement a bank hands to a customer, read back with poppler's pdftotext as a PDF reader extracts it:
// the Chinese download is Chinese, names the lending institution, and dates the first and the last payment;
// the English one likewise in English; without ?lang the reader's Accept-Language decides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { dueDate } from '../../shared/terms/dates.ts'
import { joinAndLock, type Party } from '../helpers/negotiation.ts'
import { HAVE_PDFTOTEXT, PDFTOTEXT_INSTALL, pdftotext, warnPdftotextMissing } from '../helpers/pdftotext.ts'
import { invite, startTestServer, type TestServer } from '../helpers/server.ts'

const CI = process.env.CI === 'true' || process.env.CI === '1'
const INSTITUTION = '示例城市银行股份有限公司'
const FIRST_DUE = '2027-01-31'
const TERM_MONTHS = 24
// Counted from the same anchor day, clamped to the month's end: period 2 is 2027-02-28, the last 2028-12-31.
const LAST_DUE = dueDate(FIRST_DUE, TERM_MONTHS)

if (!HAVE_PDFTOTEXT && !CI) warnPdftotextMissing('agreement PDF text (pdftotext)')

describe.runIf(HAVE_PDFTOTEXT || CI)('the agreement PDF as text (pdftotext)', () => {
  let server: TestServer
  let room: CreateRoomResponse
  const parties: Party[] = []

  async function pdf(query: string, headers: Record<string, string> = {}): Promise<{ text: string; language: string | null }> {
    const res = await fetch(`${server.url}/api/rooms/${room.roomId}/agreement.pdf${query}`, {
      headers: { Authorization: `Bearer ${invite(room, 'borrower')}`, ...headers },
    })
    expect(res.status).toBe(200)
    const text = await pdftotext(new Uint8Array(await res.arrayBuffer()))
    return { text: text.replace(/\s+/g, ' '), language: res.headers.get('content-language') }
  }

  beforeAll(async () => {
    if (!HAVE_PDFTOTEXT) throw new Error(`CI=true and pdftotext is missing: install poppler-utils (${PDFTOTEXT_INSTALL})`)
    server = await startTestServer()
    room = await server.createRoom({
      title: 'Mortgage 2027',
      terms: { principal: 12_000_000, annualRatePct: '4.35', termMonths: TERM_MONTHS, method: 'annuity' },
      names: { borrower: '张伟', lender: 'Li Na' },
      lenderInstitution: INSTITUTION,
      commitments: { firstDueDate: FIRST_DUE },
    })
    await joinAndLock(server, room, parties)
  }, 30_000)

  afterAll(async () => {
    for (const p of parties) p.close()
    await server?.close()
  })

  it('?lang=zh is Chinese, names the institution and dates the first and last payments', async () => {
    const { text, language } = await pdf('?lang=zh')
    expect(language).toBe('zh-CN')
    for (const heading of ['借款协议', '协议双方', '要点摘要', '还款计划表', '双方确认']) expect(text).toContain(heading)
    expect(text).toContain(INSTITUTION)
    expect(text).toContain(`首期还款日为 ${FIRST_DUE}`)
    expect(text).toContain('2027-02-28')
    expect(text).toContain(LAST_DUE)
    expect(LAST_DUE).toBe('2028-12-31')
    expect(text).not.toContain('Loan Agreement')
    expect(text).not.toContain('Repayment schedule')
  })

  it('?lang=en is English, names the institution and dates the first and last payments', async () => {
    const { text, language } = await pdf('?lang=en')
    expect(language).toBe('en')
    for (const heading of ['Loan Agreement', 'Parties', 'Repayment schedule']) expect(text).toContain(heading)
    expect(text).toContain(`${INSTITUTION}, represented by`)
    expect(text).toContain(`The first payment falls due on ${FIRST_DUE}.`)
    expect(text).toContain(LAST_DUE)
    expect(text).not.toContain('借款协议')
    expect(text).not.toContain('还款计划表')
  })

  it('without ?lang, follows Accept-Language: Chinese for zh*, English otherwise', async () => {
    const zh = await pdf('', { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' })
    expect(zh.language).toBe('zh-CN')
    expect(zh.text).toContain('还款计划表')
    const en = await pdf('', { 'Accept-Language': 'en-GB,en;q=0.9' })
    expect(en.language).toBe('en')
    expect(en.text).toContain('Repayment schedule')
    const other = await pdf('', { 'Accept-Language': 'fr-FR' })
    expect(other.language).toBe('en')
    expect(other.text).toContain('Repayment schedule')
  })
})

describe.runIf(!HAVE_PDFTOTEXT && !CI)('the agreement PDF as text (skipped)', () => {
  it.skip(`needs pdftotext: ${PDFTOTEXT_INSTALL}`, () => {})
})
