// The staff path in Chromium, through the lobby only: the organisation's admin signs in and adds an agent; the
// agent signs in in another browser, opens a room and takes the lender's seat, landing in the room as the
// lender under their own name. A wrong password is explained on the form.
import { AxeBuilder } from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningServer } from '../../server/app.ts'
import type { CreateOrgResponse } from '../../shared/protocol/staff.ts'
import { CI, HAVE_CHROMIUM, launchChromium, startE2eServer, teardownE2e, warnChromiumMissing } from './harness.ts'

warnChromiumMissing()

const OPERATOR_KEY = 'e2e-operator-key-of-at-least-thirty-two-characters'

describe.runIf(HAVE_CHROMIUM || CI)('staff lobby in Chromium', () => {
  let server: RunningServer | undefined
  let dataDir: string | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  const pageErrors: string[] = []

  beforeAll(async () => {
    ;({ server, dataDir } = await startE2eServer('staff-lobby-e2e-', OPERATOR_KEY))
    const made = await fetch(`${server.url}/api/orgs`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${OPERATOR_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Acme Bank', admin: { email: 'ada@acme.test', name: 'Ada Lovelace', password: 'first admin password' } }),
    })
    expect(made.status, JSON.stringify((await made.json()) as CreateOrgResponse)).toBe(201)
    browser = await launchChromium()
  }, 60_000)
  afterAll(() => teardownE2e({ contexts, browser, server, dataDir }))

  async function lobby(who: string): Promise<Page> {
    const ctx = await browser!.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US' })
    contexts.push(ctx)
    await ctx.addInitScript(() => localStorage.setItem('nr.lang', 'en'))
    const page = await ctx.newPage()
    page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`))
    await page.goto(`${server!.url}/lobby`)
    await page.locator('[data-testid="staff-signin"]').waitFor()
    return page
  }

  /** Serious or critical axe violations, as "rule: selectors". */
  async function axe(page: Page): Promise<string[]> {
    const r = await new AxeBuilder({ page }).analyze()
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('admin adds an agent; the agent opens a room and takes the lender’s seat under their name', async () => {
    const admin = await lobby('admin')
    expect(await axe(admin)).toEqual([])
    await signIn(admin, 'ada@acme.test', 'not the password')
    await expect.poll(() => admin.locator('[data-testid="staff-signin-error"]').textContent()).toBe(
      'The email address or the password is not right. Check them and try again.',
    )
    await signIn(admin, 'ada@acme.test', 'first admin password')
    await expect.poll(() => admin.locator('[data-testid="staff-me"]').innerText()).toContain('Ada Lovelace · Acme Bank')

    // Reloading keeps the session (GET /api/auth/me).
    await admin.reload()
    await admin.locator('[data-testid="staff-admin"]').waitFor()
    await admin.locator('[data-testid="api-keys"] li, [data-testid="api-keys"] p.muted').last().waitFor()
    expect(await axe(admin)).toEqual([])
    const add = admin.locator('[data-testid="staff-add"]')
    await add.getByLabel('Email address').fill('ben@acme.test')
    await add.getByLabel('Full name').fill('Ben Okafor')
    await add.getByLabel('First password').fill('ben first password')
    await add.getByRole('button', { name: 'Add' }).click()
    await expect.poll(() => admin.locator('[data-testid="staff-row"]').allInnerTexts()).toEqual([
      expect.stringContaining('Ada Lovelace (you)'),
      expect.stringContaining('Ben Okafor'),
    ])
    expect(await admin.locator('[data-testid="staff-row"]').nth(1).innerText()).toContain('Agent · Active')

    const agent = await lobby('agent')
    await signIn(agent, 'ben@acme.test', 'ben first password')
    await agent.locator('#room-title').fill('Repayment plan, Zhang Wei')
    await agent.locator('#terms-principal').fill('100000')
    await agent.locator('#terms-rate').fill('4.35')
    await agent.locator('#terms-term').fill('36')
    await agent.locator('[data-testid="create-room"]').click()
    await agent.locator('[data-testid="invites"]').waitFor()
    const row = agent.locator('[data-testid="room-row"]', { hasText: 'Repayment plan, Zhang Wei' })
    await row.waitFor()
    await row.getByRole('button', { name: "Take the lender's seat" }).click()
    await agent.waitForURL(/\/room\/[^/#]+$/, { timeout: 15_000 })
    await agent.locator('[data-testid="connection"][data-status="online"]').waitFor({ timeout: 15_000 })
    await expect.poll(() => agent.getByText('You: Lender', { exact: true }).count()).toBe(1)
    await expect.poll(() => agent.locator('[data-testid="presence"][data-role="lender"]').getAttribute('title')).toContain('Ben Okafor (you)')

    // The admin sees the agent's room, and signing out returns to the sign-in.
    await admin.getByRole('button', { name: 'Refresh' }).click()
    await admin.locator('[data-testid="room-row"]', { hasText: 'Repayment plan, Zhang Wei' }).waitFor()
    await admin.locator('[data-testid="staff-signout"]').click()
    await admin.locator('[data-testid="staff-signin"]').waitFor()
    const me = await admin.evaluate(async () => (await fetch('/api/auth/me')).status)
    expect(me).toBe(401)
    expect(pageErrors).toEqual([])
  }, 90_000)
})
