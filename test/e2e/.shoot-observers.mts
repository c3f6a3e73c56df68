import { startE2eServer, launchChromium, createRoom, openInvite, openLobby, teardownE2e } from './harness.ts'
import type { BrowserContext } from 'playwright-core'
const KEY = 'shoot-observers-operator-key-at-least-32-chars'
const { server, dataDir } = await startE2eServer('nr-shoot-obs-', KEY)
const browser = await launchChromium()
const contexts: BrowserContext[] = []
const errs: string[] = []
const room = await createRoom(server, KEY, { title: 'Observers room', currency: 'CNY', terms: { principal: 10_000_000, annualRatePct: '4.35', termMonths: 120, method: 'annuity' }, names: { borrower: 'Zhang Wei', observer: 'Chen Jie' }, observerLabel: 'mediator' })
await fetch(`${server.url}/api/rooms/${room.roomId}/observers`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ label: 'auditor', side: 'lender', name: 'Auditor Liu' }) })
for (const lang of ['en', 'zh'] as const) {
  for (const vp of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
    const tag = `${lang}-${vp.width}`
    const b = await openInvite(browser, contexts, { role: 'borrower', url: room.invites.borrower.url, lang, viewport: vp, pageErrors: errs, ready: '[data-testid="phase"]' })
    if (vp.width < 500) await b.locator('#roomtab-chat').click()
    await b.screenshot({ path: `/tmp/obs-room-${tag}.png` })
    await b.locator('[data-testid="invite-advisor"]').click()
    await b.locator('[data-testid="observer-name"]').fill('Wang Fang')
    await b.locator('[data-testid="observer-add"]').click()
    await b.locator('[data-testid="observer-link"]').waitFor()
    await b.screenshot({ path: `/tmp/obs-dialog-${tag}.png` })
    const lobby = await openLobby(browser, contexts, { url: server.url, operatorKey: KEY, lang, viewport: vp, pageErrors: errs })
    await lobby.locator('[data-testid="room-links-toggle"]').first().click()
    await lobby.locator('[data-testid="observer-row"]').nth(2).waitFor()
    await lobby.locator('[data-testid="observer-invites"]').scrollIntoViewIfNeeded()
    await lobby.screenshot({ path: `/tmp/obs-lobby-${tag}.png`, fullPage: true })
  }
}
console.log('errors', errs)
await teardownE2e({ contexts, browser, server, dataDir })
