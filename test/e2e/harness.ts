// The harness shared by the browser tests: find Chromium (a loud skip when it is missing, a failure
// under CI=true), build the client when it is stale, start the real server in-process on a free port
// with a temporary DATA_DIR, launch Chromium with fixed flags, and tear it all down again.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { RunningServer, StartOptions } from '../../server/app.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const CI = process.env.CI === 'true' || process.env.CI === '1'
export const HAVE_CHROMIUM = existsSync(CHROMIUM)
/** Where screenshots and downloads go. */
export const OUT = join(ROOT, 'test-results')

/** The three invitations a created room hands out. */
export type Invites = Record<'borrower' | 'lender' | 'observer', { token: string; url: string }>

/** Prints the loud banner saying the browser tests are skipped because Chromium is missing. */
export function warnChromiumMissing(): void {
  if (HAVE_CHROMIUM) return
  const msg = `e2e SKIPPED: ${CHROMIUM} is missing. Install it with: sudo apt-get install -y chromium`
  console.warn(`\n${'!'.repeat(78)}\n!! ${msg}\n${'!'.repeat(78)}\n`)
}

/** Builds the client when dist/client is missing or older than its sources. */
export function ensureClientBuilt(): void {
  const index = join(ROOT, 'dist/client/index.html')
  const newest = (p: string): number => {
    if (!existsSync(p)) return 0
    const st = statSync(p)
    if (!st.isDirectory()) return st.mtimeMs
    let n = 0
    for (const e of readdirSync(p)) if (e !== 'node_modules' && !e.startsWith('.')) n = Math.max(n, newest(join(p, e)))
    return n
  }
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0
  const sourcesAt = Math.max(...['client', 'shared', 'vite.config.ts'].map((s) => newest(join(ROOT, s))))
  if (builtAt >= sourcesAt) return
  const res = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  if (res.status !== 0) throw new Error('vite build failed')
}

/**
 * For beforeAll: fails when Chromium is missing (the suite only runs then under CI=true), makes the
 * output folder, builds the client if stale and starts the server in-process on a free port with a
 * fresh temporary DATA_DIR named after `dataDirPrefix`.
 */
export async function startE2eServer(dataDirPrefix: string, operatorKey: string, config: StartOptions = {}): Promise<{ server: RunningServer; dataDir: string }> {
  if (!HAVE_CHROMIUM) throw new Error(`CI=true and ${CHROMIUM} is missing: install chromium (apt-get install -y chromium)`)
  mkdirSync(OUT, { recursive: true })
  ensureClientBuilt()
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix))
  const { startServer } = await import('../../server/app.ts')
  // Presence lines as each connection opens and closes: the browser tests read the log right after the clients leave.
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, operatorKey, logLevel: 'warn', presenceLeaveGraceMs: 0, presenceJoinWindowMs: 0, ...config })
  return { server, dataDir }
}

/** Launches headless Chromium with the fixed flags. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** For afterAll: closes the contexts, the browser and the server, then removes the DATA_DIR. */
export async function teardownE2e(parts: {
  contexts: readonly (BrowserContext | undefined)[]
  browser: Browser | undefined
  server: { close(): Promise<void> } | undefined
  dataDir: string | undefined
}): Promise<void> {
  for (const c of parts.contexts) await c?.close().catch(() => {})
  await parts.browser?.close().catch(() => {})
  await parts.server?.close().catch(() => {})
  if (parts.dataDir) rmSync(parts.dataDir, { recursive: true, force: true })
}

/**
 * Opens one person's invite in a fresh browser context (kept in `contexts` for teardown), started in
 * `lang` regardless of the machine's language; records page errors (and dialogs, dismissed, when a
 * `dialogs` list is given) as "role: message"; waits until online and until `ready` is there.
 */
export async function openInvite(
  browser: Browser,
  contexts: BrowserContext[],
  opts: {
    role: string
    url: string
    lang: 'en' | 'zh'
    viewport: { width: number; height: number }
    acceptDownloads?: boolean
    pageErrors: string[]
    dialogs?: string[]
    ready: string
    readyState?: 'attached' | 'visible'
  },
): Promise<Page> {
  const { role, lang } = opts
  const ctx = await browser.newContext({
    viewport: opts.viewport,
    locale: lang === 'zh' ? 'zh-CN' : 'en-US',
    ...(opts.acceptDownloads ? { acceptDownloads: true } : {}),
  })
  contexts.push(ctx)
  await ctx.addInitScript((l) => {
    if (!localStorage.getItem('nr.lang')) localStorage.setItem('nr.lang', l)
  }, lang)
  const page = await ctx.newPage()
  const dialogs = opts.dialogs
  if (dialogs) {
    page.on('dialog', (d) => {
      dialogs.push(`${role}: ${d.message()}`)
      void d.dismiss()
    })
  }
  page.on('pageerror', (e) => opts.pageErrors.push(`${role}: ${e.message}`))
  await page.goto(opts.url)
  await page.locator('[data-testid="connection"][data-status="online"]').waitFor({ timeout: 15_000 })
  await page.locator(opts.ready).waitFor(opts.readyState ? { state: opts.readyState, timeout: 15_000 } : { timeout: 15_000 })
  return page
}

/** Opens the lobby in a fresh context (kept in `contexts`) in `lang`, signs in with the operator key and waits for the room list. */
export async function openLobby(
  browser: Browser,
  contexts: BrowserContext[],
  opts: { url: string; operatorKey: string; lang: 'en' | 'zh'; viewport: { width: number; height: number }; pageErrors: string[] },
): Promise<Page> {
  const ctx = await browser.newContext({ viewport: opts.viewport, locale: opts.lang === 'zh' ? 'zh-CN' : 'en-US' })
  contexts.push(ctx)
  await ctx.addInitScript((l) => localStorage.setItem('nr.lang', l), opts.lang)
  const page = await ctx.newPage()
  page.on('pageerror', (err) => opts.pageErrors.push(`lobby: ${err.message}`))
  await page.goto(`${opts.url}/lobby`)
  await page.locator('#operator-key').fill(opts.operatorKey)
  await page.locator('[data-testid="operator-continue"]').click()
  await page.locator('[data-testid="room-row"]').first().waitFor({ timeout: 15_000 })
  return page
}

/** Creates a room over HTTP with the operator key; the answer must be 201. */
export async function createRoom(server: { url: string }, operatorKey: string, body: object): Promise<{ roomId: string; invites: Invites }> {
  const res = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${operatorKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { roomId: string; invites: Invites }
}

/** Opens the review dialog with the room's confirm button. */
export async function openReview(page: Page): Promise<Locator> {
  await page.locator('[data-testid="review-confirm"]').click()
  const dialog = page.locator('[data-testid="review-dialog"]')
  await dialog.waitFor()
  return dialog
}

/** Submits the review dialog: 'confirmed' when it closes, else 'refused: ' and why the server refused. */
export async function submitReview(dialog: Locator): Promise<string> {
  await dialog.locator('[data-testid="review-submit"]').click()
  return Promise.race([
    dialog.waitFor({ state: 'detached', timeout: 5000 }).then(() => 'confirmed'),
    dialog
      .locator('p.err[role="alert"]')
      .waitFor({ timeout: 5000 })
      .then(async () => `refused: ${await dialog.locator('p.err[role="alert"]').textContent()}`),
  ])
}
