// Accessibility of the three pages people land on — the lobby (signed in with the operator key), a room (the
// borrower) and the replay — at laptop and phone sizes, then the room in Chinese, the open review dialog and the
// locked room in both languages: axe-core finds no serious or critical violation.
import { AxeBuilder } from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { E2eRoom } from './E2eRoom.ts'
import { CI, HAVE_CHROMIUM, openLobby, openReview, submitReview, warnChromiumMissing } from './harness.ts'

const OPERATOR_KEY = 'e2e-axe-operator-key-at-least-32-characters'
const TERMS = { principal: 10_000_000, annualRatePct: '4.35', termMonths: 24, method: 'annuity' }
const SIZES = { laptop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } }

warnChromiumMissing()

/** "rule-id (impact): selector; selector" for every serious or critical violation on the page. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)
}

/** The room's violations; on a phone each column is a tab, and axe skips what is hidden: every tab in turn. */
async function roomViolations(page: Page, size: string): Promise<string[]> {
  if (size !== 'phone') return seriousViolations(page)
  const found: string[] = []
  for (const tab of ['proposal', 'results', 'chat']) {
    await page.locator(`#roomtab-${tab}`).click()
    found.push(...(await seriousViolations(page)).map((v) => `${tab} tab: ${v}`))
  }
  return found
}

describe.runIf(HAVE_CHROMIUM || CI)('axe on the lobby, a room, the review, the locked room and the replay', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-axe-', operatorKey: OPERATOR_KEY, ready: '[data-testid="instalment"]', readyState: 'attached' })

  beforeAll(async () => {
    await e2e.start({ title: 'Car loan', currency: 'CNY', terms: TERMS, names: { borrower: 'Zhang Wei', lender: 'Li Na' } })
    // A line of chat so the room and the replay have some history to show.
    const page = await e2e.open('borrower')
    await page.locator('#chat-input').fill('Could the rate come down a little?')
    await page.locator('#chat-input').press('Enter')
    await page.locator('[data-testid="chat-message"]').first().waitFor()
    await page.context().close()
  })
  afterAll(() => e2e.close())

  /** A fresh English page at `viewport`, its errors recorded as `who`. */
  async function blankPage(who: string, viewport: { width: number; height: number }): Promise<Page> {
    const ctx = await e2e.browser.newContext({ viewport, locale: 'en-US' })
    e2e.contexts.push(ctx)
    await ctx.addInitScript(() => localStorage.setItem('nr.lang', 'en'))
    const page = await ctx.newPage()
    page.on('pageerror', (err) => e2e.pageErrors.push(`${who}: ${err.message}`))
    return page
  }

  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`the lobby after sign-in at ${size} size`, async () => {
      const page = await openLobby(e2e.browser, e2e.contexts, { url: e2e.server.url, operatorKey: OPERATOR_KEY, lang: 'en', viewport, pageErrors: e2e.pageErrors })
      expect(await seriousViolations(page)).toEqual([])
      await page.context().close()
    })

    it(`a room (borrower) at ${size} size`, async () => {
      const page = await e2e.open('borrower', 'en', viewport)
      expect(await roomViolations(page, size)).toEqual([])
      await page.context().close()
    })

    it(`a room in Chinese (lender) at ${size} size`, async () => {
      const page = await e2e.open('lender', 'zh', viewport)
      expect(await roomViolations(page, size)).toEqual([])
      await page.context().close()
    })

    for (const lang of ['en', 'zh'] as const) {
      it(`the open review dialog in ${lang} at ${size} size`, async () => {
        const page = await e2e.open('borrower', lang, viewport)
        await openReview(page)
        expect(await seriousViolations(page)).toEqual([])
        await page.context().close()
      })
    }

    it(`the replay at ${size} size`, async () => {
      const page = await blankPage('replay', viewport)
      await page.goto(`${e2e.server.url}/replay/${e2e.roomId}#token=${e2e.invites.observer.token}`)
      await page.locator('[data-testid="replay-position"]').waitFor({ timeout: 15_000 })
      expect(await seriousViolations(page)).toEqual([])
      await page.context().close()
    })
  }

  describe('once both have confirmed', () => {
    beforeAll(async () => {
      for (const [role, name] of [['borrower', 'Zhang Wei'], ['lender', 'Li Na']] as const) {
        const page = await e2e.open(role)
        const dialog = await openReview(page)
        await dialog.locator('#review-name').fill(name)
        expect(await submitReview(dialog)).toBe('confirmed')
        if (role === 'lender') await page.locator('[data-testid="locked-banner"]').waitFor({ timeout: 10_000 })
        await page.context().close()
      }
    })

    for (const [size, viewport] of Object.entries(SIZES)) {
      for (const lang of ['en', 'zh'] as const) {
        it(`the locked room in ${lang} at ${size} size`, async () => {
          const page = await e2e.open('borrower', lang, viewport)
          await page.locator('[data-testid="locked-banner"]').waitFor()
          expect(await roomViolations(page, size)).toEqual([])
          await page.context().close()
        })
      }
    }
  })

  it('no page errors', () => {
    expect(e2e.pageErrors).toEqual([])
  })
})
