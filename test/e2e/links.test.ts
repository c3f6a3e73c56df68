// Links and people in a real browser (issue #16 part 4): the token leaves the address bar and a reload still
// opens the room; the operator re-issues a link from the lobby's room list, the old holder is told it was
// replaced and the new link opens the room; a damaged link and a link for another room each say so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { E2eRoom } from './E2eRoom.ts'
import { CI, HAVE_CHROMIUM, createRoom, warnChromiumMissing } from './harness.ts'
import type { Terms } from '../../shared/terms/types.ts'

const OPERATOR_KEY = 'e2e-links-operator-key-at-least-32-chars'
const TERMS: Terms = { principal: 10_000_000, annualRatePct: '4.35', termMonths: 120, method: 'annuity' }
const LAPTOP = { width: 1366, height: 800 }

warnChromiumMissing()

describe.runIf(HAVE_CHROMIUM || CI)('invite links in Chromium', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-links-', operatorKey: OPERATOR_KEY, ready: '[data-testid="phase"]' })
  const online = (page: Page) => page.locator('[data-testid="connection"][data-status="online"]').waitFor({ timeout: 15_000 })

  beforeAll(async () => {
    await e2e.start({ title: 'Links room', currency: 'CNY', terms: TERMS, names: { borrower: 'Zhang Wei', lender: 'Li Na' } })
  })
  afterAll(() => e2e.close())

  it('takes the token out of the address bar and opens the room again after a reload', async () => {
    const borrower = await e2e.open('borrower')
    expect(borrower.url()).toBe(`${e2e.server.url}/room/${e2e.roomId}`)
    expect(await borrower.evaluate((id) => sessionStorage.getItem(`nr.token.${id}`), e2e.roomId)).toBe(e2e.invites.borrower.token)
    await borrower.reload()
    await online(borrower)
    await borrower.locator('[data-testid="phase"]').waitFor()
    expect(borrower.url()).not.toContain('token')
  })

  it('re-issues the lender link from the room list: the old holder is told, the new link opens the room', async () => {
    const lender = await e2e.open('lender')
    const ctx = await e2e.browser.newContext({ viewport: LAPTOP, locale: 'en-US' })
    e2e.contexts.push(ctx)
    await ctx.addInitScript(() => localStorage.setItem('nr.lang', 'en'))
    const lobby = await ctx.newPage()
    lobby.on('pageerror', (err) => e2e.pageErrors.push(`lobby: ${err.message}`))
    lobby.on('dialog', (d) => void d.accept())
    await lobby.goto(`${e2e.server.url}/lobby`)
    await expect(lobby.locator('[data-testid="operator-key-where"]').textContent()).resolves.toContain('operator.key')
    await lobby.locator('#operator-key').fill(OPERATOR_KEY)
    await lobby.locator('[data-testid="operator-continue"]').click()
    await lobby.locator('[data-testid="room-links-toggle"]').first().click()
    await lobby.locator('[data-testid="reissue-lender"]').click()
    const fresh = await lobby.locator('[data-testid="new-invite-lender"]').inputValue()
    expect(fresh).toContain(`/room/${e2e.roomId}#token=`)
    expect(fresh).not.toBe(e2e.invites.lender.url)

    await lender.getByText('This invite link was replaced by a new one').waitFor({ timeout: 15_000 })

    // The new link, in the same tab, replaces the kept token.
    await lender.goto(fresh)
    await online(lender)
    expect(lender.url()).toBe(`${e2e.server.url}/room/${e2e.roomId}`)

    // The room's replay from the room list, with the tab's operator key.
    await lobby.locator('[data-testid="room-replay"]').first().click()
    await lobby.locator('[data-testid="replay-position"]').waitFor({ timeout: 15_000 })
  })

  it('says a damaged link is damaged and a link for another room belongs elsewhere, in Chinese too', async () => {
    const ctx = await e2e.browser.newContext({ viewport: LAPTOP, locale: 'en-US' })
    e2e.contexts.push(ctx)
    await ctx.addInitScript(() => localStorage.setItem('nr.lang', 'en'))
    const page = await ctx.newPage()
    const damaged = e2e.invites.observer.token.slice(0, -6) + 'AAAAAA'
    await page.goto(`${e2e.server.url}/room/${e2e.roomId}#token=${damaged}`)
    await page.getByText('This link is damaged').waitFor({ timeout: 15_000 })

    const other = await createRoom(e2e.server, OPERATOR_KEY, { title: 'Another room', currency: 'CNY', terms: TERMS })
    await page.goto(`${e2e.server.url}/room/${e2e.roomId}#token=${other.invites.borrower.token}`)
    await page.getByText('This link belongs to another negotiation room').waitFor({ timeout: 15_000 })
    // The message follows the language switch.
    await page.getByRole('button', { name: '中文' }).click()
    await page.getByText('此链接属于另一个协商室').waitFor({ timeout: 15_000 })
  })

  it('shows the branded 404 page for an unknown path', async () => {
    const ctx = await e2e.browser.newContext({ viewport: LAPTOP, locale: 'zh-CN' })
    e2e.contexts.push(ctx)
    const page = await ctx.newPage()
    const res = await page.goto(`${e2e.server.url}/no/such/page`)
    expect(res?.status()).toBe(404)
    await page.getByText('页面不存在').waitFor()
  })

  it('raised no page errors', () => {
    expect(e2e.pageErrors).toEqual([])
  })
})
