// A staff member's browser, as far as the API sees it: the session cookie kept from sign-in and sent back,
// and the CSRF token sent as X-CSRF-Token on state-changing requests (unless a test leaves it out).
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SessionInfo } from '../../shared/protocol/staff.ts'
import type { Endpoint } from './server.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface Answer<T = unknown> {
  status: number
  body: T
  headers: Headers
}

export interface RequestOptions {
  /** Send the session's CSRF token (default true). */
  csrf?: boolean
  /** Authorization: Bearer … instead of the cookie. */
  bearer?: string
}

export class StaffBrowser {
  cookie: string | null = null
  csrfToken: string | null = null

  constructor(private readonly server: Endpoint) {}

  async login(body: Record<string, unknown>): Promise<Answer<SessionInfo & { error?: string }>> {
    const res = await this.request<SessionInfo & { error?: string }>('POST', '/api/auth/login', body)
    const set = res.headers.get('set-cookie')
    if (res.status === 200 && set) {
      this.cookie = set.split(';')[0]!
      this.csrfToken = res.body.csrfToken
    }
    return res
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, o: RequestOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (o.bearer) headers.Authorization = `Bearer ${o.bearer}`
    if (this.cookie) headers.Cookie = this.cookie
    if (this.csrfToken && (o.csrf ?? true)) headers['X-CSRF-Token'] = this.csrfToken
    const res = await fetch(`${this.server.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers }
  }
}

/** `npm run cli -- …` as a separate process, with the given environment and stdin. */
export function runCli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin)
  })
}
