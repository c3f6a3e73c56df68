// The replay view in a real browser: a session made by Node clients (y-websocket + socket.io), then
// the archive replayed in Chromium — scrub to an early moment and to the end, read who changed what.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { CHROMIUM, CI, createRoom, HAVE_CHROMIUM, OUT, launchChromium, startE2eServer, teardownE2e, warnChromiumMissing, type Invites } from './harness.ts'
import { parseArchiveFile, parseDisputeBundle } from '../../shared/archive/archiveFile.ts'
import { computeSchedule } from '../../shared/terms/index.ts'
import type { Terms } from '../../shared/terms/types.ts'
import type { RunningServer } from '../../server/app.ts'
import { minimalPdf, upload } from '../helpers/evidenceFiles.ts'
import { connectProvider, connectSocket, connected, emitAck, waitFor } from '../helpers/server.ts'

const OPERATOR_KEY = 'e2e-replay-operator-key-at-least-32-chars'

const EARLY: Terms = { principal: 10_000_000, annualRatePct: '4.90', termMonths: 120, method: 'annuity' }
const FINAL: Terms = { ...EARLY, annualRatePct: '4.35', termMonths: 96 }
const NAMES = { borrower: 'Zhang Wei', lender: 'Li Na', observer: 'Wang Fang' }
const XSS = '<img src=x onerror=alert(1)>'

warnChromiumMissing()

describe.runIf(HAVE_CHROMIUM || CI)('replay view in Chromium', () => {
  let server: RunningServer
  let dataDir: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let roomId: string
  let invites: Invites
  /** The seq of the borrower's first message: the rate was still 4.90 then. */
  let earlySeq: number
  let lastSeq: number
  const pageErrors: string[] = []
  const dialogs: string[] = []

  const instalment = () => page.locator('[data-testid="replay-instalment"]').getAttribute('data-value')
  const rateShown = () => page.locator('[data-testid="replay-term-annualRatePct"]').getAttribute('data-value')
  const position = async () => Number(await page.locator('[data-testid="replay-position"]').getAttribute('data-seq'))

  beforeAll(async () => {
    ;({ server, dataDir } = await startE2eServer('nr-e2e-replay-', OPERATOR_KEY))

    const created = await createRoom(server, OPERATOR_KEY, { title: 'Repayment plan — Zhang Wei', currency: 'CNY', terms: EARLY, names: NAMES, observerLabel: 'mediator' })
    roomId = created.roomId
    invites = created.invites

    // The session, by Node clients: chat, the lender lowers the rate, the borrower shortens the term,
    // writes a condition and attaches a payslip.
    const borrower = connectProvider(server, roomId, invites.borrower.token)
    const lender = connectProvider(server, roomId, invites.lender.token)
    const bChat = connectSocket(server, invites.borrower.token)
    const lChat = connectSocket(server, invites.lender.token)
    try {
      await Promise.all([borrower.synced, lender.synced, connected(bChat.socket), connected(lChat.socket)])
      expect(await emitAck(bChat.socket, 'chat:send', { clientId: 'b1', text: 'Could the rate come down a little?' })).toMatchObject({ ok: true })
      await new Promise((r) => setTimeout(r, 50))
      lender.doc.getMap('terms').set('annualRatePct', '4.35')
      await waitFor(() => borrower.doc.getMap('terms').get('annualRatePct') === '4.35', 'the new rate at the borrower')
      expect(await emitAck(lChat.socket, 'chat:send', { clientId: 'l1', text: 'Yes: 4.35 % from next month.' })).toMatchObject({ ok: true })
      borrower.doc.getMap('terms').set('termMonths', 96)
      borrower.doc.getText('clauses').insert(0, 'Review the plan after 12 months.')
      await waitFor(() => lender.doc.getText('clauses').length > 0 && lender.doc.getMap('terms').get('termMonths') === 96, 'the borrower’s edits at the lender')
      expect((await upload(server, roomId, invites.borrower.token, minimalPdf('payslip'), 'payslip March.pdf')).status).toBe(201)
      expect(await emitAck(bChat.socket, 'chat:send', { clientId: 'b2', text: XSS })).toMatchObject({ ok: true })
    } finally {
      bChat.socket.close()
      lChat.socket.close()
      borrower.destroy()
      lender.destroy()
    }
    // Everyone has left (their leave events are logged) before the log is read.
    await waitFor(() => (server.registry.loaded(roomId)?.connectionCount ?? 0) === 0, 'the clients to leave', 10_000)
    await server.registry.withRoom(roomId, (room) => room.whenIdle())

    const archive = await fetch(`${server.url}/api/rooms/${roomId}/archive`, { headers: { Authorization: `Bearer ${invites.observer.token}` } })
    const parsed = parseArchiveFile(await archive.text())
    if (!parsed.ok) throw new Error(parsed.error)
    earlySeq = parsed.value.events.find((e) => e.type === 'chat')!.seq
    lastSeq = parsed.value.events.length

    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', acceptDownloads: true })
    await context.addInitScript(() => {
      if (!localStorage.getItem('nr.lang')) localStorage.setItem('nr.lang', 'en')
    })
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    await page.goto(`${server.url}/replay/${roomId}#token=${invites.observer.token}`)
    await page.locator('[data-testid="replay"]').waitFor({ timeout: 15_000 })
  })

  afterAll(async () => {
    await teardownE2e({ contexts: [context], browser, server, dataDir })
  })

  it('takes the token out of the address bar and verifies the record', async () => {
    expect(page.url()).not.toContain('token=')
    expect(page.url()).toContain(`/replay/${roomId}`)
    const badge = page.locator('[data-testid="replay-verify"][data-status="valid"]')
    await badge.waitFor({ timeout: 15_000 })
    // The server's anchor, checked with GET /api/public-key: the record is whole to its last event.
    expect(await badge.getAttribute('data-signed')).toBe('true')
    expect(await badge.textContent()).toMatch(new RegExp(`Complete to event ${lastSeq}, signed · last hash [0-9a-f]{12}…`))
    expect(await page.locator('[data-testid="replay-verify-warning"]').count()).toBe(0)
  })

  it('opens at the latest moment with the final terms and figures', async () => {
    expect(await position()).toBe(lastSeq)
    expect(await rateShown()).toBe('4.35')
    expect(await instalment()).toBe(String(computeSchedule(FINAL).regularInstalment))
    await expect(page.locator('[data-testid="replay-clauses"]').textContent()).resolves.toBe('Review the plan after 12 months.')
    expect(await page.locator('[data-testid="timeline-event"]').count()).toBeGreaterThan(5)
  })

  it('scrubs with the keyboard to an early moment: the early rate and instalment', async () => {
    const scrubber = page.locator('[data-testid="replay-scrubber"]')
    await scrubber.focus()
    await page.keyboard.press('Home')
    expect(await position()).toBe(1)
    for (let i = 1; i < earlySeq; i++) await page.keyboard.press('ArrowRight')
    expect(await position()).toBe(earlySeq)
    expect(await rateShown()).toBe('4.90')
    expect(await instalment()).toBe(String(computeSchedule(EARLY).regularInstalment))
    expect(await instalment()).not.toBe(String(computeSchedule(FINAL).regularInstalment))
    // The conversation as it stood: the first message only.
    await expect(page.locator('[data-testid="replay-chat-message"]').allTextContents()).resolves.toEqual([
      expect.stringContaining('Could the rate come down a little?'),
    ])
    await page.keyboard.press('ArrowLeft')
    expect(await position()).toBe(earlySeq - 1)
    await page.keyboard.press('End')
    expect(await position()).toBe(lastSeq)
    expect(await rateShown()).toBe('4.35')
    expect(await instalment()).toBe(String(computeSchedule(FINAL).regularInstalment))
  })

  it('names who changed which term, in both languages', async () => {
    const lines = await page.locator('[data-testid="replay-change"]').allTextContents()
    expect(lines.some((l) => /^\d{1,2}:\d{2}( [AP]M)? Lender \(Li Na\) changed the rate 4\.90 % → 4\.35 %$/.test(l)), lines.join('\n')).toBe(true)
    expect(lines.some((l) => /Borrower \(Zhang Wei\) changed the term 120 months → 96 months/.test(l)), lines.join('\n')).toBe(true)
    expect(lines.some((l) => /The room opened with the rate 4\.90 %/.test(l))).toBe(true)
    // Chat text stays text.
    await expect(page.locator('[data-testid="replay-chat-message"] .bubble', { hasText: XSS }).textContent()).resolves.toBe(XSS)
    expect(await page.locator('[data-testid="replay-chat"] img').count()).toBe(0)

    await page.getByRole('button', { name: '中文' }).click()
    await page.getByRole('heading', { name: '谁修改了什么' }).waitFor({ timeout: 2000 })
    const zh = await page.locator('[data-testid="replay-change"]').allTextContents()
    expect(zh.some((l) => /贷款人|出借人/.test(l) && l.includes('年利率') && l.includes('4.90 %') && l.includes('4.35 %')), zh.join('\n')).toBe(true)
    await page.screenshot({ path: join(OUT, 'replay-zh.png') })
    await page.getByRole('button', { name: 'EN' }).click()
    await page.getByRole('heading', { name: 'Who changed what' }).waitFor({ timeout: 2000 })
  })

  it('plays and pauses; the timeline moves the replay too', async () => {
    await page.locator('[data-testid="timeline-event"][data-type="create"]').click()
    expect(await position()).toBe(1)
    await page.getByRole('radio', { name: '16×' }).check()
    await page.locator('[data-testid="replay-play"]').click()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="replay-position"]')?.getAttribute('data-seq')) >= 4, null, { timeout: 3000 })
    await page.locator('[data-testid="replay-play"]').click()
    const paused = await position()
    await page.waitForTimeout(300)
    expect(await position()).toBe(paused)
    // Back to the end for the screenshot.
    await page.locator('[data-testid="replay-scrubber"]').focus()
    await page.keyboard.press('End')
    await page.locator('[data-testid="replay-verify"][data-status="valid"]').waitFor()
    await page.screenshot({ path: join(OUT, 'replay.png') })
  })

  it('downloads the dispute bundle as one JSON file', async () => {
    const download = page.waitForEvent('download', { timeout: 15_000 })
    await page.locator('[data-testid="replay-bundle"]').click()
    const file = join(OUT, 'dispute-bundle.json')
    await (await download).saveAs(file)
    const bundle = parseDisputeBundle(readFileSync(file, 'utf8'))
    if (!bundle.ok) throw new Error(bundle.error)
    expect(bundle.value.archive.roomId).toBe(roomId)
    expect(bundle.value.archive.anchor).toMatchObject({ roomId, lastSeq: bundle.value.archive.events.length })
    expect(bundle.value.archive.events.some((e) => e.type === 'attachment')).toBe(true)
  })

  it('says so when the record was cut short: the server signed a later end', async () => {
    const cut = await context.newPage()
    // What a forger hands over: the export with its last three events dropped (anchor kept).
    await cut.route('**/api/rooms/*/archive', async (route) => {
      const res = await route.fetch()
      const file = JSON.parse(await res.text()) as { events: unknown[] }
      file.events = file.events.slice(0, -3)
      await route.fulfill({ response: res, body: JSON.stringify(file) })
    })
    await cut.goto(`${server.url}/replay/${roomId}#token=${invites.observer.token}`)
    const alert = cut.locator('[data-testid="replay-verify"][data-status="invalid"]')
    await alert.waitFor({ timeout: 15_000 })
    expect(await alert.getAttribute('data-seq')).toBe(String(lastSeq - 2))
    expect(await alert.textContent()).toContain(`This record does not check out from event ${lastSeq - 2} on: the record does not end where the server signed it`)
    await cut.screenshot({ path: join(OUT, 'replay-cut-short.png') })
    await cut.close()
  })

  it('is linked from the room header', async () => {
    const room = await context.newPage()
    await room.goto(invites.lender.url)
    const link = room.locator('[data-testid="replay-link"]')
    await link.waitFor({ timeout: 15_000 })
    expect(await link.getAttribute('href')).toBe(`/replay/${roomId}#token=${encodeURIComponent(invites.lender.token)}`)
    await room.close()
  })

  it('raised no page errors and ran no markup', () => {
    expect(pageErrors).toEqual([])
    expect(dialogs).toEqual([])
  })
})

describe.runIf(!HAVE_CHROMIUM && !CI)('replay view in Chromium (skipped)', () => {
  it.skip(`needs ${CHROMIUM}: sudo apt-get install -y chromium`, () => {})
})
