// An organisation's OpenID Connect sign-in: its settings (set by its admin) and the refusals of a sign-in.
import type { StaffRole } from './staff.ts'

/** One organisation's identity provider, as registered there (the redirect URI is ours, see the README). */
export interface OrgOidcConfig {
  /** The issuer URL; its `/.well-known/openid-configuration` is read (https; http only on loopback). */
  issuer: string
  clientId: string
  clientSecret: string
  /** The claim holding the person's roles or groups, e.g. "roles", "groups", or a dotted path "realm_access.roles". Absent: an admin sets roles. */
  rolesClaim?: string
  /** Claim value → staff role. Absent: values that are exactly a role name ("agent", …) count. */
  roleMap?: Record<string, StaffRole>
  /** Scopes asked for; "openid" is always added. Default: openid email profile. */
  scopes?: string[]
}

/** Why a sign-in through the identity provider did not happen (stable codes; the UI translates them). */
export type OidcErrorCode =
  /** The organisation has no identity provider configured (or no such organisation). */
  | 'oidc_not_configured'
  /** The identity provider's discovery document could not be read or is not for this issuer. */
  | 'oidc_discovery_failed'
  /** No sign-in was started in this browser (no pending cookie), or it was for another organisation. */
  | 'oidc_no_pending'
  /** The sign-in was started more than 10 minutes ago. */
  | 'oidc_pending_expired'
  /** The `state` coming back is not the one sent: a forged or crossed callback. */
  | 'oidc_state_mismatch'
  /** The person declined, or cancelled, at the identity provider. */
  | 'oidc_access_denied'
  /** The identity provider answered with another error (its code and description are in the message). */
  | 'oidc_idp_error'
  /** The code exchange or the ID token check failed (PKCE, nonce, signature, issuer, audience …). */
  | 'oidc_token_refused'
  /** The identity provider gave no email address for the person. */
  | 'oidc_missing_email'
  /** The email matches a member not yet linked to this identity, but the identity provider does not mark it verified: linking could hand over their account. */
  | 'oidc_email_unverified'
  /** The email belongs to a member already linked to another identity of the provider. */
  | 'oidc_email_taken'
  /** The member is disabled (or the organisation is gone). */
  | 'oidc_account_disabled'

/** PUT /api/org/oidc (admin): without clientSecret the one already set is kept (it is never answered). */
export type OrgOidcSettings = Omit<OrgOidcConfig, 'clientSecret'> & { clientSecret?: string }

/** GET /api/org, PUT /api/org/oidc: the settings without the secret, and the redirect URI to register at the IdP. */
export type OrgOidcView = Omit<OrgOidcConfig, 'clientSecret'> & { hasClientSecret: true; redirectUri: string }

export interface OidcRefusal {
  error: OidcErrorCode
  message: string
}
