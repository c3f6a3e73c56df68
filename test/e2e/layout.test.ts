// Layout that holds with a large loan: at 1366 × 900 and 390 × 844, in both languages, no result figure is
// cut or pushed out of its card, and no card leaves the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { E2eRoom } from './E2eRoom.ts'
import { CI, HAVE_CHROMIUM, warnChromiumMissing } from './harness.ts'

const OPERATOR_KEY = 'e2e-layout-operator-key-at-least-32-chars'
// ¥50,000,000 over a year: an instalment in the millions and totals of eleven digits.
const TERMS = { principal: 5_000_000_000, annualRatePct: '4.35', termMonths: 12, method: 'annuity', upfrontFee: 50_000_000 }
const SIZES = { laptop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } }

warnChromiumMissing()

interface Overflow {
  what: string
  text: string
}

/** Every result figure whose text is wider than its box, or whose card sticks out of the viewport. */
function overflowsOf(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const out: { what: string; text: string }[] = []
    const width = document.documentElement.clientWidth
    for (const el of document.querySelectorAll<HTMLElement>('.results .figure .value, .results .hero-value')) {
      if (el.scrollWidth > el.clientWidth + 1) out.push({ what: 'text wider than its box', text: el.textContent ?? '' })
      // A figure wrapped inside the number (¥51,185,940. / 20) is cut too: one line per figure.
      const line = parseFloat(getComputedStyle(el).lineHeight) || el.getBoundingClientRect().height
      if (el.getBoundingClientRect().height > line * 1.6) out.push({ what: 'figure wrapped', text: el.textContent ?? '' })
    }
    for (const card of document.querySelectorAll<HTMLElement>('.results .figure, .results .hero')) {
      const r = card.getBoundingClientRect()
      if (r.left < -1 || r.right > width + 1) out.push({ what: 'card outside the page', text: card.textContent ?? '' })
    }
    if (document.documentElement.scrollWidth > width + 1) out.push({ what: 'page scrolls sideways', text: String(document.documentElement.scrollWidth) })
    return out
  })
}

describe.runIf(HAVE_CHROMIUM || CI)('layout with a large loan', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-layout-', operatorKey: OPERATOR_KEY, ready: '[data-testid="instalment"]', readyState: 'attached' })

  beforeAll(async () => {
    await e2e.start({ title: 'Large loan', currency: 'CNY', terms: TERMS, names: { borrower: 'Zhang Wei', lender: 'Li Na' } })
  })
  afterAll(() => e2e.close())

  for (const lang of ['en', 'zh'] as const) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      it(`${lang} at ${viewport.width} × ${viewport.height}: no figure is cut and no card leaves the page`, async () => {
        const page = await e2e.open('borrower', lang, viewport)
        if (size === 'phone') await page.locator('#roomtab-results').click()
        await page.locator('[data-testid="total-paid"]').waitFor()
        // Past the figures' animation, on the exact final text.
        await page.waitForFunction(() => !document.querySelector('.results .moving'))
        expect(await page.locator('[data-testid="total-paid"] .visually-hidden').textContent()).toMatch(/51,185,940\.20/)
        expect(await overflowsOf(page)).toEqual([])
        await page.context().close()
      })
    }
  }

  it('no page errors', () => {
    expect(e2e.pageErrors).toEqual([])
  })
})
