// The first due date in Chromium: a room created with just {title, currency, terms} starts with one a month
// on; once someone clears it, the confirm bar and the review say it must be set, take the reader to its field
// (on a phone from another tab too) and do not confirm; set again, both confirm, and each downloads the
// agreement in the language of their own consent record.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { defaultFirstDueDate, utcDay } from '../../server/room/defaultFirstDueDate.ts'
import { HAVE_PDFTOTEXT, pdftotext } from '../helpers/pdftotext.ts'
import { E2eRoom } from './E2eRoom.ts'
import { CHROMIUM, CI, HAVE_CHROMIUM, OUT, openReview, submitReview, warnChromiumMissing } from './harness.ts'

const OPERATOR_KEY = 'e2e-first-due-date-key-at-least-32-chars'
const PHONE = { width: 390, height: 844 }
const FIELD = '#commit-firstDueDate'

warnChromiumMissing()

describe.runIf(HAVE_CHROMIUM || CI)('the first due date, in Chromium', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-due-', operatorKey: OPERATOR_KEY, ready: '[data-testid="instalment"]', readyState: 'attached', acceptDownloads: true })
  let lender: Page
  let borrower: Page
  const createdOn = utcDay(Date.now())

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')
  const missing = (page: Page) => page.locator('[data-testid="due-date-missing"]')
  const reviewDisabled = (page: Page) => page.locator('[data-testid="review-confirm"]').isDisabled()

  async function setDate(page: Page, value: string): Promise<void> {
    await page.locator(FIELD).fill(value)
    await page.locator(FIELD).press('Enter')
  }

  beforeAll(async () => {
    await e2e.start({
      title: 'Car loan',
      currency: 'CNY',
      terms: { principal: 6_000_000, annualRatePct: '5.2', termMonths: 12, method: 'annuity' },
      lenderInstitution: 'Example City Bank Co., Ltd.',
    })
    lender = await e2e.open('lender', 'en')
    borrower = await e2e.open('borrower', 'zh', PHONE)
  })
  afterAll(() => e2e.close())

  it('starts with the date one month after creation', async () => {
    await expect(lender.locator(FIELD).inputValue()).resolves.toBe(defaultFirstDueDate(createdOn))
    expect(await missing(lender).count()).toBe(0)
    expect(await reviewDisabled(lender)).toBe(false)
  })

  it('cleared, it must be set before anyone confirms; the link takes each reader to the field', async () => {
    await setDate(lender, '')
    await missing(lender).waitFor({ timeout: 5000 })
    await expect(missing(lender).textContent()).resolves.toBe('Set the first due date before confirming: every payment is dated from it.')
    expect(await reviewDisabled(lender)).toBe(true)
    await lender.screenshot({ path: join(OUT, 'due-date-missing-en.png') })
    await lender.locator(FIELD).blur()
    await lender.getByRole('button', { name: 'Set the first due date' }).click()
    await expect(focusedId(lender)).resolves.toBe('commit-firstDueDate')

    // The phone reader is on another tab: the link opens the proposal tab and focuses the field there.
    await borrower.getByRole('tab', { name: '结果' }).click()
    await missing(borrower).waitFor({ timeout: 5000 })
    await expect(missing(borrower).textContent()).resolves.toBe('请先设定首期还款日再确认：每期还款日期都从这一天算起。')
    expect(await reviewDisabled(borrower)).toBe(true)
    await borrower.screenshot({ path: join(OUT, 'due-date-missing-zh-phone.png') })
    await borrower.getByRole('button', { name: '设定首期还款日' }).click()
    await expect(focusedId(borrower)).resolves.toBe('commit-firstDueDate')
    await expect(borrower.getByRole('tab', { name: '方案' }).getAttribute('aria-selected')).resolves.toBe('true')
    await expect(borrower.locator(FIELD).isVisible()).resolves.toBe(true)
  })

  it('cleared while the review is open: the review says so, cannot be confirmed, and leads to the field', async () => {
    await setDate(lender, '2027-01-31')
    await missing(lender).waitFor({ state: 'detached', timeout: 5000 })
    const dialog = await openReview(lender)
    await setDate(borrower, '')
    const notice = dialog.locator('[data-testid="review-due-date-missing"]')
    await notice.waitFor({ timeout: 5000 })
    expect(await dialog.locator('[data-testid="review-submit"]').isDisabled()).toBe(true)
    await lender.screenshot({ path: join(OUT, 'due-date-missing-review-en.png') })
    await notice.getByRole('button', { name: 'Set the first due date' }).click()
    await dialog.waitFor({ state: 'detached', timeout: 5000 })
    await expect(focusedId(lender)).resolves.toBe('commit-firstDueDate')
  })

  it('set again, both confirm; each downloads the agreement in the language of their own consent record', async () => {
    await setDate(lender, '2027-01-31')
    await missing(borrower).waitFor({ state: 'detached', timeout: 5000 })
    for (const [page, name] of [
      [lender, 'Li Na'],
      [borrower, 'Zhang Wei'],
    ] as const) {
      const dialog = await openReview(page)
      await dialog.locator('#review-name').fill(name)
      expect(await submitReview(dialog), `${name}'s confirmation`).toBe('confirmed')
    }
    const res = await fetch(`${e2e.server.url}/api/rooms/${e2e.roomId}/agreement`, { headers: { Authorization: `Bearer ${e2e.invites.lender.token}` } })
    const agreement = (await res.json()) as Agreement
    expect(agreement.computed.firstDueDate).toBe('2027-01-31')
    const consent = Object.fromEntries(agreement.confirmations.map((c) => [c.role, c.summaryLang]))
    expect(consent).toEqual({ lender: 'en', borrower: 'zh' })

    for (const [page, role] of [
      [lender, 'lender'],
      [borrower, 'borrower'],
    ] as const) {
      await page.locator('[data-testid="locked-banner"]').waitFor({ timeout: 10_000 })
      const download = page.waitForEvent('download', { timeout: 15_000 })
      await page.locator('[data-testid="download-pdf"]').click()
      const file = await download
      const lang = consent[role]!
      expect(file.suggestedFilename()).toBe(`agreement-${e2e.roomId}-${lang}.pdf`)
      const saved = join(OUT, `due-date-agreement-${role}.pdf`)
      await file.saveAs(saved)
      if (HAVE_PDFTOTEXT) {
        const text = await pdftotext(readFileSync(saved))
        expect(text).toContain(lang === 'zh' ? '还款计划表' : 'Repayment schedule')
        expect(text).toContain('2027-12-31')
      }
    }
  })

  it('raised no page errors', () => {
    expect(e2e.pageErrors).toEqual([])
  })
})

describe.runIf(!HAVE_CHROMIUM && !CI)('the first due date in Chromium (skipped)', () => {
  it.skip(`needs ${CHROMIUM}: sudo apt-get install -y chromium`, () => {})
})
