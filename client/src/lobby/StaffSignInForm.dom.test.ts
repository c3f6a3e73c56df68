// The staff sign-in says why it did not happen: a wrong password, too many failures (in minutes, from the
// server's Retry-After), and each code the identity provider's callback comes back with — in both languages.
import { flushSync, mount, tick, unmount } from 'svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanupAfterEach } from '../../../test/support/client/domCleanup.ts'
import { i18n } from '../lib/i18n.svelte.ts'
import StaffSignInForm from './StaffSignInForm.svelte'
import type { SessionInfo } from '../../../shared/protocol/staff.ts'

const cleanup = cleanupAfterEach()
afterEach(() => vi.unstubAllGlobals())
const settle = async () => {
  flushSync()
  await tick()
  await new Promise((r) => setTimeout(r, 0))
  flushSync()
}

const SESSION: SessionInfo = {
  staff: { id: 's1', name: 'Ada', email: 'ada@acme.test', roles: ['admin'], orgId: 'o1', orgName: 'Acme Bank' },
  csrfToken: 'csrf',
  expiresAt: 0,
}

/** The server's answer to POST /api/auth/login, and what the form sent. */
function serverAnswers(status: number, body: unknown, headers: Record<string, string> = {}) {
  const sent: { url: string; body: unknown }[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, body: JSON.parse(String(init.body)) })
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })
  })
  return sent
}

function form(props: { orgId?: string | null; signinError?: string | null } = {}) {
  const target = document.createElement('div')
  document.body.append(target)
  const signedIn: SessionInfo[] = []
  const c = mount(StaffSignInForm, { target, props: { ...props, onSignedIn: (s: SessionInfo) => signedIn.push(s) } })
  cleanup.push(() => unmount(c))
  const input = (id: string) => target.querySelector<HTMLInputElement>(`#${id}`)!
  const type = (id: string, v: string) => {
    input(id).value = v
    input(id).dispatchEvent(new Event('input', { bubbles: true }))
  }
  const submit = async () => {
    type('staff-email', 'ada@acme.test')
    type('staff-password', 'wrong password')
    flushSync()
    target.querySelector<HTMLButtonElement>('[data-testid="staff-signin-submit"]')!.click()
    await settle()
  }
  const error = () => target.querySelector('[data-testid="staff-signin-error"]')?.textContent ?? null
  return { target, type, submit, error, signedIn }
}

describe('staff sign-in form', () => {
  it('signs in with email, password and the organisation typed', async () => {
    const sent = serverAnswers(200, SESSION)
    const f = form()
    f.type('staff-org', ' Acme Bank ')
    await f.submit()
    expect(sent).toEqual([{ url: '/api/auth/login', body: { email: 'ada@acme.test', password: 'wrong password', org: 'Acme Bank' } }])
    expect(f.signedIn).toEqual([SESSION])
    expect(f.error()).toBeNull()
  })

  it('says the email or password is wrong on 401, in English and Chinese', async () => {
    serverAnswers(401, { error: 'unauthorized', message: 'the e-mail address or the password is wrong' })
    const f = form()
    await f.submit()
    expect(f.error()).toBe('The email address or the password is not right. Check them and try again.')
    i18n.lang = 'zh'
    flushSync()
    expect(f.error()).toBe('邮箱或密码不正确，请检查后重试。')
    expect(f.signedIn).toEqual([])
  })

  it('turns a 429 Retry-After into minutes to wait', async () => {
    serverAnswers(429, { error: 'rate_limited', message: '' }, { 'Retry-After': '840' })
    const f = form()
    await f.submit()
    expect(f.error()).toBe('Too many failed sign-ins. Try again in 14 minutes.')
  })

  it('says a minute when less is left', async () => {
    serverAnswers(429, { error: 'rate_limited', message: '' }, { 'Retry-After': '20' })
    const f = form()
    await f.submit()
    expect(f.error()).toBe('Too many failed sign-ins. Try again in a minute.')
  })

  it('explains a refused identity-provider sign-in by its code, and an unknown code by name', async () => {
    const f = form({ signinError: 'oidc_access_denied', orgId: 'org-1' })
    await settle()
    expect(f.error()).toBe('The sign-in was cancelled at the identity provider.')
    i18n.lang = 'zh'
    flushSync()
    expect(f.error()).toBe('登录已在身份提供方处取消。')
    const odd = form({ signinError: 'something_new' })
    await settle()
    expect(odd.error()).toBe('登录未完成（something_new）。请重试。')
  })

  it('offers the identity provider only when the organisation is known', async () => {
    const without = form()
    expect(without.target.querySelector('[data-testid="staff-signin-idp"]')).toBeNull()
    const known = form({ orgId: 'org 1' })
    const link = known.target.querySelector<HTMLAnchorElement>('[data-testid="staff-signin-idp"]')!
    expect(link.getAttribute('href')).toBe('/api/auth/oidc/org%201/start')
    expect(link.textContent).toBe("Sign in with your organisation's identity provider")
  })
})
