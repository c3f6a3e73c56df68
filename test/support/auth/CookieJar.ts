// Just enough of a browser for HTTP sign-in flows in tests: cookies by host and path (ports share cookies,
// as in browsers), and redirects followed by hand so a test can stop at, or rewrite, any hop.

interface Cookie {
  host: string
  path: string
  name: string
  value: string
}

export class CookieJar {
  private cookies: Cookie[] = []

  /** Takes the Set-Cookie headers of a response to `url`; Max-Age<=0 or a past Expires deletes. */
  store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim())
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/'
      let expired = false
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=')
        if (k.toLowerCase() === 'path') path = v
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true
        if (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) expired = true
      }
      this.cookies = this.cookies.filter((c) => !(c.host === url.hostname && c.path === path && c.name === name))
      if (!expired) this.cookies.push({ host: url.hostname, path, name, value })
    }
  }

  header(url: URL): string {
    return this.cookies
      .filter((c) => c.host === url.hostname && (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ')
  }

  has(name: string): boolean {
    return this.cookies.some((c) => c.name === name)
  }

  /** Replaces a cookie's value wherever it is kept (to forge or swap one in a test). */
  set(name: string, value: string): void {
    for (const c of this.cookies) if (c.name === name) c.value = value
  }

  /** Requests `url`, following redirects (a 303 becomes a GET) until a non-redirect answer or until `stopAt` says so. */
  async follow(url: string | URL, opts: { init?: RequestInit; stopAt?: (next: URL) => boolean; maxHops?: number } = {}): Promise<{ res: Response; url: URL; visited: URL[] } | { stoppedAt: URL; visited: URL[] }> {
    let next = new URL(url)
    let init: RequestInit = opts.init ?? {}
    const visited: URL[] = []
    for (let hop = 0; hop < (opts.maxHops ?? 20); hop++) {
      visited.push(next)
      const headers = new Headers(init.headers)
      const cookie = this.header(next)
      if (cookie) headers.set('cookie', cookie)
      const res = await fetch(next, { ...init, headers, redirect: 'manual' })
      this.store(next, res)
      const location = res.headers.get('location')
      if (res.status < 300 || res.status >= 400 || location === null) return { res, url: next, visited }
      await res.body?.cancel()
      next = new URL(location, next)
      init = {}
      if (opts.stopAt?.(next)) return { stoppedAt: next, visited }
    }
    throw new Error(`more than ${opts.maxHops ?? 20} redirects from ${String(url)}`)
  }
}
