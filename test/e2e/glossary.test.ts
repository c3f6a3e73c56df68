// Terms every borrower understands, in Chromium: the glossary opens from the keyboard at a term with the room's
// own figures and closes back to where the reader was; an APR above the judicial protection ceiling (4 × the
// one-year LPR today) and a fee up front are warned in the results, in both languages, and listed in the PDF;
// a message that reads as a threat asks its sender first.
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HAVE_PDFTOTEXT, pdftotext } from '../helpers/pdftotext.ts'
import { E2eRoom } from './E2eRoom.ts'
import { CHROMIUM, CI, HAVE_CHROMIUM, OUT, openReview, submitReview, warnChromiumMissing } from './harness.ts'

const OPERATOR_KEY = 'e2e-glossary-key-at-least-32-characters'
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1366, height: 900 }

warnChromiumMissing()

/** Serious or critical axe violations on the page, by rule and node. */
const axeSerious = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)

describe.runIf(HAVE_CHROMIUM || CI)('glossary and disclosures, in Chromium', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-glossary-', operatorKey: OPERATOR_KEY, ready: '[data-testid="instalment"]', readyState: 'attached' })
  let lender: Page
  let borrower: Page

  beforeAll(async () => {
    await e2e.start({
      title: 'Small business loan',
      currency: 'CNY',
      terms: { principal: 5_000_000, annualRatePct: '18', termMonths: 12, method: 'annuity', upfrontFee: 100_000 },
    })
    lender = await e2e.open('lender', 'en', DESKTOP)
    borrower = await e2e.open('borrower', 'zh', PHONE)
  })
  afterAll(() => e2e.close())

  const focused = (page: Page) => page.evaluate(() => ({ id: document.activeElement?.id ?? '', term: document.activeElement?.getAttribute('data-glossary-term') ?? '' }))

  it('opens from the keyboard at the term, with the room’s figures, and Escape returns the focus', async () => {
    const term = lender.locator('[data-glossary-term="apr"]').first()
    await term.focus()
    await lender.keyboard.press('Enter')
    const dialog = lender.locator('[data-testid="glossary"]')
    await dialog.locator('h2').waitFor({ timeout: 5000 })
    await expect(focused(lender)).resolves.toMatchObject({ id: 'glossary-apr' })
    await expect(dialog.locator('[data-testid="glossary-yours-apr"]').textContent()).resolves.toMatch(/fee raises the APR from 18\.00 % to \d\d\.\d\d %/)
    await lender.screenshot({ path: join(OUT, 'glossary-en-desktop.png') })
    expect(await axeSerious(lender)).toEqual([])
    await lender.keyboard.press('Escape')
    await dialog.locator('h2').waitFor({ state: 'detached', timeout: 5000 })
    await expect(focused(lender)).resolves.toMatchObject({ term: 'apr' })
  })

  it('warns both sides of the ceiling and the fee, in English and Chinese', async () => {
    const en = lender.locator('[data-testid="disclosure-warnings"]')
    await expect(en.locator('[data-code="apr_above_ceiling"]').textContent()).resolves.toContain('above the judicial protection ceiling of 12.00 %')
    await expect(en.locator('[data-code="upfront_fee"]').textContent()).resolves.toContain('It raises the APR from 18.00 %')
    await en.scrollIntoViewIfNeeded()
    await lender.screenshot({ path: join(OUT, 'disclosure-warning-en-desktop.png') })
    expect(await axeSerious(lender)).toEqual([])

    await borrower.getByRole('tab', { name: '结果' }).click()
    const zh = borrower.locator('[data-testid="disclosure-warnings"]')
    await expect(zh.locator('[data-code="apr_above_ceiling"]').textContent()).resolves.toContain('超过司法保护上限 12.00 %')
    await zh.scrollIntoViewIfNeeded()
    await borrower.screenshot({ path: join(OUT, 'disclosure-warning-zh-phone.png') })
    await borrower.locator('[data-testid="glossary-open"]').focus()
    await borrower.keyboard.press('Enter')
    await borrower.locator('[data-testid="glossary"] h2').waitFor({ timeout: 5000 })
    await borrower.screenshot({ path: join(OUT, 'glossary-zh-phone.png') })
    await borrower.keyboard.press('Escape')
    await expect(borrower.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('glossary-open')
  })

  it('asks before sending a message that reads as a threat, and sends it when told to', async () => {
    await lender.locator('#chat-input').fill('If you do not pay, I will call your wife.')
    await lender.locator('#chat-input').press('Enter')
    const prompt = lender.locator('[data-testid="deescalate"]')
    await prompt.waitFor({ timeout: 5000 })
    await expect(prompt.textContent()).resolves.toContain('contacting their family')
    expect(await axeSerious(lender)).toEqual([])
    expect(await lender.locator('[data-testid="chat-message"], [data-testid="chat-pending"]').count()).toBe(0)
    await prompt.getByRole('button', { name: 'Send anyway' }).click()
    await borrower.locator('#roomtab-chat').click()
    await borrower.getByText('I will call your wife').waitFor({ timeout: 5000 })
  })

  it('locks with the warnings listed in the PDF', async () => {
    for (const [page, name] of [
      [lender, 'Li Na'],
      [borrower, 'Zhang Wei'],
    ] as const) {
      const dialog = await openReview(page)
      await dialog.locator('#review-name').fill(name)
      expect(await submitReview(dialog), `${name}'s confirmation`).toBe('confirmed')
    }
    await lender.locator('[data-testid="locked-banner"]').waitFor({ timeout: 10_000 })
    for (const [lang, heading, line] of [
      ['en', 'Disclosures shown to the borrower', 'judicial protection ceiling of 12.00 %'],
      ['zh', '已向借款人披露的提示', '司法保护上限 12.00 %'],
    ] as const) {
      const res = await fetch(`${e2e.server.url}/api/rooms/${e2e.roomId}/agreement.pdf?lang=${lang}`, { headers: { Authorization: `Bearer ${e2e.invites.borrower.token}` } })
      expect(res.status).toBe(200)
      if (!HAVE_PDFTOTEXT) continue
      const text = (await pdftotext(new Uint8Array(await res.arrayBuffer()))).replace(/\s+/g, ' ')
      expect(text).toContain(heading)
      expect(text).toContain(line)
    }
  })

  it('raised no page errors', () => {
    expect(e2e.pageErrors).toEqual([])
  })
})

describe.runIf(!HAVE_CHROMIUM && !CI)('glossary and disclosures in Chromium (skipped)', () => {
  it.skip(`needs ${CHROMIUM}: sudo apt-get install -y chromium`, () => {})
})
