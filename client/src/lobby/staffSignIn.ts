// What the staff sign-in says when it did not happen, and which organisation's identity provider to offer.
import type { ApiResult } from '../lib/api.ts'
import type { MessageKey, Params } from '../i18n/index.ts'
import type { OidcErrorCode } from '../../../shared/protocol/oidc.ts'

const OIDC_CODES: readonly OidcErrorCode[] = [
  'oidc_not_configured',
  'oidc_discovery_failed',
  'oidc_no_pending',
  'oidc_pending_expired',
  'oidc_state_mismatch',
  'oidc_access_denied',
  'oidc_idp_error',
  'oidc_token_refused',
  'oidc_missing_email',
  'oidc_email_unverified',
  'oidc_email_taken',
  'oidc_account_disabled',
]

export type Said = { key: MessageKey; params?: Params }

/** The message for a `?signin_error=` code the OIDC callback redirected with. */
export function oidcErrorMessage(code: string): Said {
  return (OIDC_CODES as readonly string[]).includes(code)
    ? { key: `staff.oidc.${code as OidcErrorCode}` }
    : { key: 'staff.oidc.unknown', params: { code } }
}

/** The message for a refused POST /api/auth/login, or null when the generic error message fits. */
export function loginErrorMessage(r: Extract<ApiResult<unknown>, { ok: false }>): Said | null {
  if (r.status === 401) return { key: 'staff.signin.invalid' }
  if (r.status === 429) {
    const minutes = Math.ceil((r.retryAfter ?? 60) / 60)
    return minutes <= 1 ? { key: 'staff.signin.rateLimitedOne' } : { key: 'staff.signin.rateLimited', params: { minutes } }
  }
  return null
}

const OIDC_ORG = 'nr.oidcOrg'

/**
 * Reads `?signin_error=` and `?org=` from the address and removes the error (a reload should not repeat it).
 * The organisation comes from `?org=<id>` (a link on the intranet) or from this browser's last sign-in through
 * an identity provider.
 */
export function takeSignInParams(loc: Location = location, hist: History = history): { error: string | null; orgId: string | null } {
  const q = new URLSearchParams(loc.search)
  const error = q.get('signin_error')
  if (error !== null) {
    q.delete('signin_error')
    const rest = q.toString()
    hist.replaceState(hist.state, '', loc.pathname + (rest ? `?${rest}` : '') + loc.hash)
  }
  let remembered: string | null = null
  try {
    remembered = localStorage.getItem(OIDC_ORG)
  } catch {
    remembered = null
  }
  return { error, orgId: q.get('org') || remembered }
}

/** Kept when the identity provider link is followed, so the link is offered again on this browser. */
export function rememberOidcOrg(orgId: string): void {
  try {
    localStorage.setItem(OIDC_ORG, orgId)
  } catch {
    /* private mode: the ?org= link still works */
  }
}

export function oidcStartPath(orgId: string): string {
  return `/api/auth/oidc/${encodeURIComponent(orgId)}/start`
}
