// Evidence files in a real browser: the real server in-process, the built client, and three people
// (borrower, lender, observer) in separate browser contexts. The borrower adds a PDF through the
// file input, the lender sees it appear live and downloads the same bytes, the observer reads but
// cannot add, and a text file renamed .pdf (or one too large) is refused with a calm message.
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { E2eRoom } from './E2eRoom.ts'
import { CHROMIUM, CI, HAVE_CHROMIUM, OUT, openReview, submitReview, warnChromiumMissing } from './harness.ts'
import type { Terms } from '../../shared/terms/types.ts'
import { messages } from '../../client/src/i18n/index.ts'
import { minimalPdf, minimalPng } from '../helpers/evidenceFiles.ts'

const OPERATOR_KEY = 'e2e-operator-key-at-least-32-characters'

const TERMS: Terms = { principal: 10_000_000, annualRatePct: '4.35', termMonths: 120, method: 'annuity', upfrontFee: 100_000 }
const NAMES = { borrower: 'Zhang Wei', lender: 'Li Na', observer: 'Wang Fang' }
const en = messages.en
const zh = messages.zh

warnChromiumMissing()

describe.runIf(HAVE_CHROMIUM || CI)('evidence attachments in Chromium', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-att-', operatorKey: OPERATOR_KEY, ready: '[data-testid="attachments"]', readyState: 'attached', acceptDownloads: true, recordDialogs: true })
  let borrower: Page
  let lender: Page
  let observer: Page

  // Markup-like characters survive the server's sanitiser as "&lt;…&gt;": shown literally, never parsed.
  const PDF_NAME = '收入证明 &lt;b&gt;2026 & bank.pdf'
  const pdf = Buffer.from(minimalPdf('income proof'))
  const pdfSha = createHash('sha256').update(pdf).digest('hex')

  const listed = (page: Page) => page.locator('[data-testid="attachment"]')

  beforeAll(async () => {
    await e2e.start({ title: 'Hardship plan — Zhang Wei', currency: 'CNY', terms: TERMS, names: NAMES, observerLabel: 'mediator' })
    borrower = await e2e.open('borrower')
    lender = await e2e.open('lender')
    observer = await e2e.open('observer')
  })

  afterAll(() => e2e.close())

  it('shows an empty list, who can see the files, and the upload control to the parties only', async () => {
    await borrower.locator('[data-testid="attachments-empty"]').waitFor({ timeout: 5000 })
    const privacy = await borrower.locator('[data-testid="attachments-privacy"]').textContent()
    expect(privacy).toContain('the lender')
    expect(privacy).toContain('the mediator')
    // A visible label names the file input.
    await expect(borrower.getByLabel(en['attachments.choose']).count()).resolves.toBe(1)
    await expect(lender.getByLabel(en['attachments.choose']).count()).resolves.toBe(1)
    await expect(observer.locator('[data-testid="attachment-input"]').count()).resolves.toBe(0)
    await observer.getByText(en['attachments.observerNote']).waitFor({ timeout: 2000 })
  })

  it('the borrower uploads a PDF and the lender and the observer see it listed live', async () => {
    await borrower.locator('[data-testid="attachment-input"]').setInputFiles({ name: PDF_NAME, mimeType: 'application/pdf', buffer: pdf })
    await borrower.locator('[data-testid="attachment-sent"]').waitFor({ timeout: 10_000 })
    for (const page of [borrower, lender, observer]) {
      const row = listed(page).filter({ hasText: pdfSha.slice(0, 8) })
      await row.waitFor({ timeout: 5000 })
      // The name is text: the entities are shown as typed, nothing became markup.
      expect(await row.locator('[data-testid="attachment-name"]').textContent()).toBe(PDF_NAME)
      expect(await row.locator('b').count()).toBe(0)
      const text = (await row.textContent()) ?? ''
      expect(text).toContain('PDF')
      expect(text).toContain('Zhang Wei')
      expect(text).toContain(en['role.borrower'])
      expect(text).toContain(`${en['attachments.fingerprint'].replace('{fp}', pdfSha.slice(0, 8))}`)
    }
    // The system line says so in the chat too.
    await lender.locator('[role="log"]', { hasText: PDF_NAME }).waitFor({ timeout: 5000 })
  })

  it('the lender adds a PNG by keyboard-reachable input; the borrower sees both', async () => {
    const input = lender.locator('[data-testid="attachment-input"]')
    await input.focus()
    expect(await lender.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('attachment-input')
    await input.setInputFiles({ name: 'bank statement.png', mimeType: 'image/png', buffer: Buffer.from(minimalPng()) })
    await lender.locator('[data-testid="attachment-sent"]').waitFor({ timeout: 10_000 })
    await borrower.waitForFunction(() => document.querySelectorAll('[data-testid="attachment"]').length === 2, null, { timeout: 5000 })
    await expect(listed(borrower).filter({ hasText: 'bank statement.png' }).textContent()).resolves.toContain('Li Na')
  })

  it('the observer downloads the PDF with its token: the same bytes', async () => {
    const row = listed(observer).filter({ hasText: pdfSha.slice(0, 8) })
    const download = observer.waitForEvent('download', { timeout: 15_000 })
    await row.getByRole('button', { name: new RegExp(`^${en['attachments.download']}`) }).click()
    const d = await download
    const file = join(e2e.dataDir, 'downloaded.pdf')
    await d.saveAs(file)
    expect(d.suggestedFilename()).toBe(PDF_NAME)
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(pdfSha)
  })

  it('a text file renamed .pdf is refused with the unsupported-type message, and nothing is listed', async () => {
    await borrower.locator('[data-testid="attachment-input"]').setInputFiles({
      name: 'payslip.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('This is only text, not a PDF.\n'),
    })
    const err = borrower.locator('[data-testid="attachment-error"]')
    await err.waitFor({ timeout: 10_000 })
    expect(await err.textContent()).toBe(en['attachments.error.unsupported_type'])
    await lender.waitForTimeout(300)
    expect(await listed(lender).count()).toBe(2)
  })

  it('a file over 10 MiB is stopped in the browser with a calm message', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)
    big.write('%PDF-1.4\n', 0, 'latin1')
    await borrower.locator('[data-testid="attachment-input"]').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: big })
    const err = borrower.locator('[data-testid="attachment-error"]')
    await err.filter({ hasText: 'scan.pdf' }).waitFor({ timeout: 5000 })
    expect(await err.textContent()).toContain('10 MiB')
  })

  it('after the lock a party can still add a file; the panel says it is not part of the agreement', async () => {
    for (const [page, name] of [
      [borrower, 'Zhang Wei'],
      [lender, 'Li Na'],
    ] as const) {
      const dialog = await openReview(page)
      await dialog.getByLabel('Your full name').fill(name)
      expect(await submitReview(dialog), `${name}'s confirmation`).toBe('confirmed')
    }
    for (const page of [borrower, lender, observer]) {
      await page.locator('[data-testid="locked-banner"]').waitFor({ timeout: 10_000 })
      await page.locator('[data-testid="attachments-after-lock"]').waitFor({ timeout: 5000 })
    }
    expect(await lender.locator('[data-testid="attachments-after-lock"]').textContent()).toBe(en['attachments.afterLock'])
    const input = lender.locator('[data-testid="attachment-input"]')
    expect(await input.isDisabled()).toBe(false)
    await input.setInputFiles({ name: 'late letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from(minimalPdf('after lock')) })
    await lender.locator('[data-testid="attachment-sent"]').waitFor({ timeout: 10_000 })
    await listed(borrower).filter({ hasText: 'late letter.pdf' }).waitFor({ timeout: 5000 })
  })

  it('speaks Chinese too', async () => {
    const page = await e2e.open('borrower', 'zh')
    await page.getByText(zh['attachments.title'], { exact: true }).waitFor({ timeout: 5000 })
    await expect(page.getByLabel(zh['attachments.choose']).count()).resolves.toBe(1)
    await page.locator('[data-testid="attachment-input"]').setInputFiles({ name: 'x.pdf', mimeType: 'application/pdf', buffer: Buffer.from('nope') })
    await page.locator('[data-testid="attachment-error"]', { hasText: zh['attachments.error.unsupported_type'] }).waitFor({ timeout: 10_000 })
    await page.locator('[data-testid="attachments"]').screenshot({ path: join(OUT, 'attachments-zh.png') })
    await borrower.locator('[data-testid="attachments"]').screenshot({ path: join(OUT, 'attachments-en.png') })
  })

  it('raised no page errors and ran no markup', () => {
    expect(e2e.pageErrors).toEqual([])
    expect(e2e.dialogs).toEqual([])
  })
})
