// HTTP calls of the public contract (DESIGN.md "HTTP"). Errors come back as values with a stable code.

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; error: string; message: string; /** Seconds, from a 429's Retry-After. */ retryAfter?: number }

/** A bearer key (operator key, room token), a staff session (its cookie goes by itself; the CSRF token is sent), or nothing. */
export type Credential = string | { csrf: string } | null

async function call<T>(method: string, path: string, auth: Credential, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (typeof auth === 'string' && auth) headers.Authorization = `Bearer ${auth}`
  else if (auth && typeof auth === 'object') headers['X-CSRF-Token'] = auth.csrf
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    return { ok: false, status: 0, error: 'network', message: '' }
  }
  let data: unknown = null
  const text = await res.text()
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = null
  }
  if (!res.ok) {
    const d = (data ?? {}) as { error?: unknown; message?: unknown }
    const retryAfter = Number(res.headers.get('Retry-After'))
    return {
      ok: false,
      status: res.status,
      error: typeof d.error === 'string' ? d.error : `http_${res.status}`,
      message: typeof d.message === 'string' ? d.message : '',
      ...(retryAfter > 0 ? { retryAfter } : {}),
    }
  }
  return { ok: true, status: res.status, data: data as T }
}

export const api = {
  get: <T>(path: string, auth: Credential) => call<T>('GET', path, auth),
  post: <T>(path: string, auth: Credential, body: unknown) => call<T>('POST', path, auth, body),
  patch: <T>(path: string, auth: Credential, body: unknown) => call<T>('PATCH', path, auth, body),
  delete: <T>(path: string, auth: Credential) => call<T>('DELETE', path, auth),
}

/** Fetches a file with the Authorization header and saves it through a temporary blob link. */
export async function downloadWithToken(path: string, token: string, filename: string): Promise<ApiResult<null>> {
  let res: Response
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } })
  } catch {
    return { ok: false, status: 0, error: 'network', message: '' }
  }
  if (!res.ok) {
    let error = `http_${res.status}`
    let message = ''
    try {
      const d = (await res.json()) as { error?: string; message?: string }
      if (d.error) error = d.error
      if (d.message) message = d.message
    } catch {
      /* not JSON */
    }
    return { ok: false, status: res.status, error, message }
  }
  const blob = await res.blob()
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return { ok: true, status: res.status, data: null }
}
