// Several observers in a real browser (issue 18): the borrower invites an advisor for its side from the room
// header, the advisor joins with the link and is named "borrower's financial advisor" to everyone; the operator sees
// both observers in the lobby, adds none, and revokes the advisor, whose page is told at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { E2eRoom } from './E2eRoom.ts'
import { CI, HAVE_CHROMIUM, openInvite, openLobby, warnChromiumMissing } from './harness.ts'
import type { Terms } from '../../shared/terms/types.ts'

const OPERATOR_KEY = 'e2e-observers-operator-key-at-least-32-chars'
const TERMS: Terms = { principal: 10_000_000, annualRatePct: '4.35', termMonths: 120, method: 'annuity' }
const LAPTOP = { width: 1366, height: 900 }

warnChromiumMissing()

describe.runIf(HAVE_CHROMIUM || CI)('observers in Chromium', () => {
  const e2e = new E2eRoom({ dataDirPrefix: 'nr-e2e-observers-', operatorKey: OPERATOR_KEY, ready: '[data-testid="phase"]' })

  beforeAll(async () => {
    await e2e.start({ title: 'Observers room', currency: 'CNY', terms: TERMS, names: { borrower: 'Zhang Wei', lender: 'Li Na', observer: 'Chen Jie' }, observerLabel: 'mediator' })
  })
  afterAll(() => e2e.close())

  it('lets the borrower invite an advisor, shows the advisor by label and side, and the operator revokes it', async () => {
    const borrower = await e2e.open('borrower')
    const lender = await e2e.open('lender', 'zh')

    // The borrower's dialog, by keyboard: the label field has the focus; a name; Enter creates the link.
    await borrower.locator('[data-testid="invite-advisor"]').click()
    const dialog = borrower.locator('[data-testid="invite-advisor-dialog"]')
    await dialog.waitFor()
    expect(await borrower.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('observer-label')
    await dialog.locator('[data-testid="observer-name"]').fill('Wang Fang')
    await dialog.locator('[data-testid="observer-name"]').press('Enter')
    const url = await dialog.locator('[data-testid="observer-link"]').inputValue()
    expect(url).toContain(`/room/${e2e.roomId}#token=`)
    await dialog.locator('[data-testid="observer-row"]').first().waitFor()
    await expect(dialog.locator('[data-testid="observer-row"]').allTextContents()).resolves.toEqual([expect.stringContaining('Wang Fang')])
    await borrower.keyboard.press('Escape')

    const advisor: Page = await openInvite(e2e.browser, e2e.contexts, {
      role: 'advisor',
      url,
      lang: 'en',
      viewport: LAPTOP,
      pageErrors: e2e.pageErrors,
      ready: '[data-testid="observer-badge"]',
    })
    await expect(advisor.locator('[data-testid="observer-badge"]').textContent()).resolves.toBe("Observer (borrower's financial advisor)")
    await advisor.locator('#chat-input').fill('I am here for the borrower')
    await advisor.locator('#chat-input').press('Enter')

    // The lender reads who wrote it, in Chinese, with the advisor's own label and side.
    const line = lender.locator('[data-testid="chat-message"]', { hasText: 'I am here for the borrower' })
    await line.waitFor({ timeout: 15_000 })
    await expect(line.locator('.role').textContent()).resolves.toBe('借款人的财务顾问')
    await lender.locator('[data-testid="chat-event"]', { hasText: '邀请了 Wang Fang（借款人的财务顾问）' }).waitFor({ timeout: 15_000 })

    // The operator sees both observers in the lobby and revokes the advisor.
    const lobby = await openLobby(e2e.browser, e2e.contexts, { url: e2e.server.url, operatorKey: OPERATOR_KEY, lang: 'en', viewport: LAPTOP, pageErrors: e2e.pageErrors })
    lobby.on('dialog', (d) => void d.accept())
    await lobby.locator('[data-testid="room-links-toggle"]').first().click()
    const rows = lobby.locator('[data-testid="observer-row"]')
    await rows.nth(1).waitFor()
    await expect(rows.allTextContents()).resolves.toEqual([expect.stringContaining('Chen Jie'), expect.stringContaining('Wang Fang')])
    await rows.filter({ hasText: 'Wang Fang' }).locator('[data-testid="observer-revoke"]').click()
    // The list is answered again after the revocation's round trip: wait for it rather than read it at once.
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1)

    await advisor.getByText('This invite link was replaced by a new one, or withdrawn').waitFor({ timeout: 15_000 })
    await lender.locator('[data-testid="chat-event"]', { hasText: '撤回了 Wang Fang（借款人的财务顾问）的邀请' }).waitFor({ timeout: 15_000 })
    expect(e2e.pageErrors).toEqual([])
  }, 90_000)
})
