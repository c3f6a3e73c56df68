// A sign-in through an identity provider that did not happen: a stable code, a message, and the HTTP status to answer.
import type { OidcErrorCode, OidcRefusal } from '../../../shared/protocol/oidc.ts'

const STATUS: Record<OidcErrorCode, number> = {
  oidc_not_configured: 404,
  oidc_discovery_failed: 502,
  oidc_no_pending: 400,
  oidc_pending_expired: 400,
  oidc_state_mismatch: 400,
  oidc_access_denied: 401,
  oidc_idp_error: 502,
  oidc_token_refused: 502,
  oidc_missing_email: 422,
  oidc_email_unverified: 403,
  oidc_email_taken: 409,
  oidc_account_disabled: 403,
}

export class OidcError extends Error {
  override readonly name = 'OidcError'
  constructor(
    readonly code: OidcErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }

  get status(): number {
    return STATUS[this.code]
  }

  toRefusal(): OidcRefusal {
    return { error: this.code, message: this.message }
  }
}
