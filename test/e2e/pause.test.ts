// A cooling-off pause in Chromium: the borrower calls it with the keyboard; the lender's and the mediator's screens
// show the banner (who, why, a countdown), read-only fields and a frozen confirm bar, while the chat still works;
// the pause lifts itself (PAUSE_MINUTE_MS shortens its minutes) and the fields open again. Screenshots of the
// banner at 1366×900 and 390×844, in English and Chinese, go to test-results/.
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { E2eRoom } from './E2eRoom.ts'
import { CI, HAVE_CHROMIUM, OUT, warnChromiumMissing } from './harness.ts'

const OPERATOR_KEY = 'e2e-pause-operator-key-at-least-32-chars'
const DESKTOP = { width: 1366, height: 900 }
const PHONE = { width: 390, height: 844 }
/** A 2-minute pause lasts 2 × this (long enough for the screenshots, short enough to see it lift). */
const MINUTE_MS = 7000
const REASON = 'I need to check the figures with my wife <b>first</b>'

warnChromiumMissing()

describe.runIf(HAVE_CHROMIUM || CI)('the cooling-off pause, in Chromium', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-pause-', operatorKey: OPERATOR_KEY, ready: '[data-testid="instalment"]', readyState: 'attached', config: { pauseMinuteMs: MINUTE_MS } })
  let borrower: Page
  let lender: Page
  let mediator: Page

  const banner = (page: Page) => page.locator('[data-testid="pause-banner"]')
  const rate = (page: Page) => page.locator('#term-annualRatePct')
  /** Serious or critical axe findings inside `selector`. */
  const serious = async (page: Page, selector: string): Promise<string[]> =>
    (await new AxeBuilder({ page }).include(selector).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)

  beforeAll(async () => {
    await e2e.start({
      title: 'Repayment plan',
      currency: 'CNY',
      terms: { principal: 12_000_000, annualRatePct: '4.35', termMonths: 24, method: 'annuity' },
      names: { borrower: 'Wang Fang', lender: 'City Bank', observer: 'Chen Jing' },
    })
    ;[borrower, lender, mediator] = await Promise.all([e2e.open('borrower', 'zh', DESKTOP), e2e.open('lender', 'en', DESKTOP), e2e.open('observer', 'zh', PHONE)])
  })
  afterAll(() => e2e.close())

  it('the borrower pauses with the keyboard; every other screen shows who, why and a countdown, with the proposal frozen', async () => {
    expect(await rate(lender).isDisabled()).toBe(false)
    await borrower.locator('[data-testid="pause-open"]').focus()
    await borrower.keyboard.press('Enter')
    await borrower.locator('[data-testid="pause-dialog"]').waitFor()
    // The minutes field has the focus; Tab to the reason, back, and Enter sends the form.
    expect(await borrower.evaluate(() => document.activeElement?.id)).toBe('pause-minutes')
    await borrower.keyboard.press('Tab')
    await borrower.keyboard.type(REASON)
    await borrower.keyboard.press('Shift+Tab')
    await borrower.keyboard.press('ControlOrMeta+a')
    await borrower.keyboard.type('2')
    await borrower.screenshot({ path: join(OUT, 'pause-dialog-zh-1366.png') })
    expect(await serious(borrower, '[data-testid="pause-dialog"]')).toEqual([])
    await borrower.keyboard.press('Enter')

    for (const page of [lender, mediator, borrower]) await banner(page).waitFor({ timeout: 5000 })
    await expect(lender.locator('[data-testid="pause-by"]').textContent()).resolves.toBe('Wang Fang (Borrower) paused the room.')
    await expect(mediator.locator('[data-testid="pause-by"]').textContent()).resolves.toBe('Wang Fang（借款人）暂停了协商。')
    // The reason is text, never markup.
    await expect(lender.locator('[data-testid="pause-reason"]').textContent()).resolves.toBe(REASON)
    expect(await banner(lender).locator('b').count()).toBe(0)
    const first = await lender.locator('[data-testid="pause-countdown"]').textContent()
    expect(first).toMatch(/^00:(0\d|1[0-4])$/)
    await lender.waitForFunction((was) => document.querySelector('[data-testid="pause-countdown"]')?.textContent !== was, first, { timeout: 3000 })

    expect(await rate(lender).isDisabled()).toBe(true)
    expect(await rate(borrower).isDisabled()).toBe(true)
    expect(await lender.locator('#clauses').evaluate((el) => (el as HTMLTextAreaElement).readOnly || (el as HTMLTextAreaElement).disabled)).toBe(true)
    await lender.locator('[data-testid="confirm-paused"]').waitFor()
    expect(await lender.locator('[data-testid="review-confirm"]').count()).toBe(0)
    // Only the caller may end it early.
    expect(await lender.locator('[data-testid="pause-end"]').count()).toBe(0)
    expect(await borrower.locator('[data-testid="pause-end"]').count()).toBe(1)

    await lender.screenshot({ path: join(OUT, 'pause-banner-en-1366.png') })
    expect(await serious(lender, '[data-testid="pause-banner"]')).toEqual([])
    await borrower.screenshot({ path: join(OUT, 'pause-banner-zh-1366.png') })
    await mediator.screenshot({ path: join(OUT, 'pause-banner-zh-390.png') })
    await borrower.setViewportSize(PHONE)
    await borrower.screenshot({ path: join(OUT, 'pause-banner-caller-zh-390.png') })
    await borrower.setViewportSize(DESKTOP)
    await lender.setViewportSize(PHONE)
    await banner(lender).waitFor()
    await lender.screenshot({ path: join(OUT, 'pause-banner-en-390.png') })
    await lender.setViewportSize(DESKTOP)
  })

  it('the chat stays open during the pause', async () => {
    await lender.locator('#chat-input').fill('Of course, take your time.')
    await lender.locator('#chat-input').press('Enter')
    await borrower.locator('[data-testid="chat-message"]', { hasText: 'Of course, take your time.' }).waitFor({ timeout: 5000 })
  })

  it('lifts itself on every screen; the fields open again and the chat says so', async () => {
    for (const page of [lender, mediator, borrower]) await banner(page).waitFor({ state: 'detached', timeout: 20_000 })
    expect(await rate(lender).isDisabled()).toBe(false)
    await lender.getByText('The cooling-off pause ended; the proposal can be changed again').waitFor({ timeout: 5000 })
    await rate(lender).fill('4.1')
    await rate(lender).press('Enter')
    await borrower.waitForFunction(() => (document.querySelector('#term-annualRatePct') as HTMLInputElement | null)?.value === '4.1', null, { timeout: 5000 })
    expect(e2e.pageErrors).toEqual([])
  })
})
