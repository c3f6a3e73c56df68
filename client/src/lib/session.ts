// Where secrets live in the browser: room tokens and the operator key, per tab (sessionStorage), never in the address bar.

const tokenKey = (roomId: string) => `nr.token.${roomId}`
const OPERATOR_KEY = 'nr.operatorKey'

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null
  } catch {
    return null
  }
}

/**
 * Reads `#token=…` from the address, keeps it in sessionStorage and removes it from the address bar
 * (so it is not shared by a screenshot or a copied URL). Falls back to the stored token on reload.
 */
export function takeRoomToken(roomId: string, loc: Location = location, hist: History = history): string | null {
  const hash = new URLSearchParams(loc.hash.replace(/^#/, ''))
  const fromHash = hash.get('token')
  const store = storage()
  if (fromHash) {
    store?.setItem(tokenKey(roomId), fromHash)
    hash.delete('token')
    const rest = hash.toString()
    hist.replaceState(hist.state, '', loc.pathname + loc.search + (rest ? `#${rest}` : ''))
    return fromHash
  }
  return store?.getItem(tokenKey(roomId)) ?? null
}

/**
 * A link pasted into a tab already on its page (a re-issued invite, a resume link) only changes the fragment,
 * which loads nothing: reload, so the page opens with the new token. Returns the listener's removal.
 */
export function reloadOnNewToken(win: Pick<Window, 'addEventListener' | 'removeEventListener' | 'location'> = window): () => void {
  const onHash = () => {
    if (new URLSearchParams(win.location.hash.replace(/^#/, '')).get('token')) win.location.reload()
  }
  win.addEventListener('hashchange', onHash)
  return () => win.removeEventListener('hashchange', onHash)
}

export function forgetRoomToken(roomId: string): void {
  storage()?.removeItem(tokenKey(roomId))
}

export function getOperatorKey(): string {
  return storage()?.getItem(OPERATOR_KEY) ?? ''
}

export function setOperatorKey(key: string): void {
  const store = storage()
  if (!store) return
  if (key) store.setItem(OPERATOR_KEY, key)
  else store.removeItem(OPERATOR_KEY)
}

/** The token's claims, read without verifying (the server verifies; the UI only needs role and name). */
export function readTokenClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1]
  if (!part) return null
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=')
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>
  } catch {
    return null
  }
}
