// Layout that holds with a large loan: at 1366 × 900 and 390 × 844, in both languages, no result figure is
// cut or pushed out of its card, and no card leaves the page; at 390 px a long "changed by" name neither
// widens the field grid nor pushes a field off-screen, the lobby's room list fits without sideways scroll, the
// review's name field never stays under its sticky footer and, after the lock, content keeps most of the screen;
// the room header takes two rows at most on a phone (one on a laptop), with everyone present and a long title.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { E2eRoom } from './E2eRoom.ts'
import { CI, createRoom, HAVE_CHROMIUM, openInvite, openLobby, openReview, submitReview, warnChromiumMissing } from './harness.ts'

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

/** Fields (or their chips) that stick out of the page or of their field, and the page's sideways scroll. */
function fieldOverflowsOf(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const out: { what: string; text: string }[] = []
    const width = document.documentElement.clientWidth
    for (const field of document.querySelectorAll<HTMLElement>('.field')) {
      const r = field.getBoundingClientRect()
      if (r.width === 0) continue
      if (r.left < -1 || r.right > width + 1) out.push({ what: 'field outside the page', text: field.querySelector('label, legend')?.textContent ?? '' })
      for (const pill of field.querySelectorAll<HTMLElement>('.pill')) {
        const p = pill.getBoundingClientRect()
        if (p.left < r.left - 1 || p.right > r.right + 1) out.push({ what: 'chip wider than its field', text: pill.textContent ?? '' })
      }
    }
    if (document.documentElement.scrollWidth > width + 1) out.push({ what: 'page scrolls sideways', text: String(document.documentElement.scrollWidth) })
    return out
  })
}

/** The room header's rows (items grouped by the vertical band they sit in), its height, and anything it cuts off the page. */
function headerRowsOf(page: Page): Promise<{ rows: number; height: number; bands: number; outside: string[] }> {
  return page.evaluate(() => {
    const header = document.querySelector<HTMLElement>('header.header')!
    const items = [...header.querySelectorAll<HTMLElement>('h1, .badge, [data-testid="connection"], [data-testid="presence"], a, button')]
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 1 && r.height > 1)
      .sort((a, b) => a.r.top - b.r.top)
    // An item that starts below the bottom of the current band opens a new row.
    const bands: { top: number; bottom: number }[] = []
    for (const { r } of items) {
      const band = bands[bands.length - 1]
      if (band && r.top < band.bottom - 1) band.bottom = Math.max(band.bottom, r.bottom)
      else bands.push({ top: r.top, bottom: r.bottom })
    }
    const width = document.documentElement.clientWidth
    return {
      rows: bands.length,
      height: header.getBoundingClientRect().height,
      bands: bands.reduce((sum, b) => sum + (b.bottom - b.top), 0),
      outside: items.filter(({ r }) => r.left < -1 || r.right > width + 1).map(({ el }) => el.textContent ?? ''),
    }
  })
}

/** Room-list cells cut by the list's box or hidden away, and the page's sideways scroll. */
function lobbyOverflowsOf(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const out: { what: string; text: string }[] = []
    const width = document.documentElement.clientWidth
    const list = document.querySelector<HTMLElement>('[aria-labelledby="list-title"]')!.getBoundingClientRect()
    for (const cell of document.querySelectorAll<HTMLElement>('[data-testid="room-row"] > *')) {
      const r = cell.getBoundingClientRect()
      if (r.width === 0 || r.left < list.left - 1 || r.right > list.right + 1) out.push({ what: 'room-list cell cut', text: cell.textContent ?? '' })
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

  for (const lang of ['en', 'zh'] as const) {
    it(`${lang} at 390 px: a long "changed by" name wraps under its label without widening the field grid`, async () => {
      const names = { borrower: 'Alexandria Konstantinopoulou-Vanderbilt Montgomery', lender: 'Industrial and Commercial Bank Regional Loan Recovery Office' }
      const room = await createRoom(e2e.server, OPERATOR_KEY, { title: 'Long names', currency: 'CNY', terms: TERMS, names })
      const open = (role: 'borrower' | 'lender') =>
        openInvite(e2e.browser, e2e.contexts, { role, url: room.invites[role].url, lang, viewport: SIZES.phone, pageErrors: e2e.pageErrors, ready: '#term-annualRatePct' })
      const borrower = await open('borrower')
      const lender = await open('lender')
      const widths = () => borrower.evaluate(() => ['#term-annualRatePct', '#term-termMonths'].map((id) => document.querySelector(id)!.closest('.field')!.getBoundingClientRect().width))
      const before = await widths()
      await lender.locator('#term-annualRatePct').fill('4.5')
      await borrower.locator('.pill.changed').waitFor()
      expect(await fieldOverflowsOf(borrower)).toEqual([])
      // The rate's column is as wide as before and as the term's beside it.
      expect(await widths()).toEqual(before)
      await borrower.context().close()
      await lender.context().close()
    })

    it(`${lang}: the room header takes two rows at most on a phone and one on a laptop, the whole title on hover`, async () => {
      const title = 'Restructuring of the family business car loan — Zhang Wei, Li Na and the regional mediation office'
      const room = await createRoom(e2e.server, OPERATOR_KEY, { title, currency: 'CNY', terms: TERMS, names: { borrower: 'Zhang Wei', lender: 'Li Na', observer: 'Wang Fang' }, observerLabel: 'mediator' })
      const open = (role: 'borrower' | 'lender' | 'observer', viewport: { width: number; height: number }) =>
        openInvite(e2e.browser, e2e.contexts, { role, url: room.invites[role].url, lang, viewport, pageErrors: e2e.pageErrors, ready: '[data-testid="instalment"]', readyState: 'attached' })
      const borrower = await open('borrower', SIZES.phone)
      const observer = await open('observer', SIZES.phone)
      const laptop = await open('lender', SIZES.laptop)
      for (const page of [borrower, observer]) await page.locator('[data-testid="presence"]').nth(2).waitFor()
      for (const page of [borrower, observer]) {
        const header = await headerRowsOf(page)
        expect(header.rows, JSON.stringify(header)).toBeLessThanOrEqual(2)
        expect(header.outside).toEqual([])
        // Two rows and the header's padding and gap, nothing more.
        expect(header.height).toBeLessThanOrEqual(header.bands + 24)
        await expect(page.locator('[data-testid="room-title"]').getAttribute('title')).resolves.toBe(title)
      }
      const wide = await headerRowsOf(laptop)
      expect(wide.rows, JSON.stringify(wide)).toBe(1)
      for (const page of [borrower, observer, laptop]) await page.context().close()
    })

    it(`${lang} at 390 px: the lobby's room list fits, no column cut and no sideways scroll`, async () => {
      const page = await openLobby(e2e.browser, e2e.contexts, { url: e2e.server.url, operatorKey: OPERATOR_KEY, lang, viewport: SIZES.phone, pageErrors: e2e.pageErrors })
      expect(await lobbyOverflowsOf(page)).toEqual([])
      await page.context().close()
    })
  }

  it('phone: the full name is never left under the review footer, and after the lock content keeps most of the screen', async () => {
    const room = await createRoom(e2e.server, OPERATOR_KEY, { title: 'Signed on a phone', currency: 'CNY', terms: TERMS, names: { borrower: 'Zhang Wei', lender: 'Li Na' } })
    const open = (role: 'borrower' | 'lender') =>
      openInvite(e2e.browser, e2e.contexts, { role, url: room.invites[role].url, lang: 'en', viewport: SIZES.phone, pageErrors: e2e.pageErrors, ready: '[data-testid="instalment"]', readyState: 'attached' })
    const borrower = await open('borrower')
    const lender = await open('lender')
    const mine = await openReview(borrower)
    // What a phone keyboard leaves; the dialog scrolled so the name sits under the sticky footer, then reached with Tab.
    await borrower.setViewportSize({ width: 390, height: 560 })
    const nameAndFooter = () =>
      borrower.evaluate(() => ({
        name: document.querySelector('#review-name')!.getBoundingClientRect().bottom,
        footer: document.querySelector('[data-testid="review-dialog"] footer')!.getBoundingClientRect().top,
      }))
    const under = await nameAndFooter()
    await borrower.evaluate((by) => (document.querySelector('dialog')!.scrollTop += by), under.name - under.footer + 20)
    await mine.locator('#review-name').focus()
    const focused = await nameAndFooter()
    expect(focused.name).toBeLessThanOrEqual(focused.footer)
    await borrower.setViewportSize(SIZES.phone)
    await mine.locator('#review-name').fill('Zhang Wei')
    expect(await submitReview(mine)).toBe('confirmed')
    const theirs = await openReview(lender)
    await theirs.locator('#review-name').fill('Li Na')
    expect(await submitReview(theirs)).toBe('confirmed')
    await borrower.locator('[data-testid="locked-banner"]').waitFor({ timeout: 10_000 })
    const share = await borrower.evaluate(() => document.querySelector('main')!.getBoundingClientRect().height / innerHeight)
    expect(share).toBeGreaterThan(0.5)
    await borrower.context().close()
    await lender.context().close()
  })

  it('no page errors', () => {
    expect(e2e.pageErrors).toEqual([])
  })
})
