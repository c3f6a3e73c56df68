// The OpenID Connect authorization code flow with PKCE (S256), state and nonce, for one organisation's
// identity provider at a time: begin → the browser goes to the IdP → complete with the callback URL.
import * as client from 'openid-client'
import { DEFAULT_OIDC_SCOPES } from '../../../shared/schema/oidcConfig.schema.ts'
import type { OrgOidcConfig } from '../../../shared/protocol/oidc.ts'
import type { StaffRole } from '../../../shared/protocol/staff.ts'
import { OidcError } from './OidcError.ts'
import { PrivateAddressError, publicAddressFetch } from './publicAddressFetch.ts'
import { rolesFromClaims } from './rolesFromClaims.ts'

/** How long a started sign-in may take at the identity provider. */
export const PENDING_TTL_MS = 10 * 60_000

/** What the caller keeps between begin and complete (in the pending cookie, see pendingCookie.ts). */
export interface PendingSignIn {
  state: string
  nonce: string
  codeVerifier: string
  /** The redirect URI sent; the token request must repeat it exactly. */
  redirectUri: string
  /** ms since the epoch. */
  createdAt: number
}

/** The person the identity provider vouched for. */
export interface OidcIdentity {
  /** The IdP's stable id for the person; with `issuer`, the key to link a staff account to (an email can change hands). */
  subject: string
  issuer: string
  email: string
  emailVerified: boolean
  name: string
  /** Roles from the organisation's rolesClaim / roleMap; [] when none matched. */
  roles: StaffRole[]
  /** False when the organisation takes no roles from its IdP (no rolesClaim): keep the roles an admin set. */
  rolesFromIdp: boolean
}

export interface OidcSignInOptions {
  /** Lets http:// issuers through (an IdP on loopback in tests); validateOidcConfig still keeps http to loopback. */
  allowInsecureRequests?: boolean
  /**
   * Lets the identity provider be at a private address (loopback, 10/8, 192.168/16 …). Off by default so an
   * organisation's admin cannot point the server at internal services (OIDC_ALLOW_PRIVATE_ISSUERS turns it on).
   */
  allowPrivateAddresses?: boolean
  /** How long a discovery document is reused (default one hour). */
  discoveryTtlMs?: number
  /** Per request to the identity provider, in seconds (default 10). */
  timeoutSeconds?: number
  now?: () => number
}

type Claims = Record<string, unknown>

export class OidcSignIn {
  private readonly discovered = new Map<string, { at: number; metadata: Promise<client.ServerMetadata> }>()
  private readonly now: () => number

  constructor(private readonly options: OidcSignInOptions = {}) {
    this.now = options.now ?? Date.now
  }

  /** The URL to send the browser to, and what to keep until it comes back. */
  async beginSignIn(config: OrgOidcConfig, redirectUri: string): Promise<{ authorizationUrl: URL; pending: PendingSignIn }> {
    const conf = await this.configurationFor(config)
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      redirectUri,
      createdAt: this.now(),
    }
    const scopes = new Set(['openid', ...(config.scopes ?? DEFAULT_OIDC_SCOPES)])
    const authorizationUrl = client.buildAuthorizationUrl(conf, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: [...scopes].join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    })
    return { authorizationUrl, pending }
  }

  /** Checks the callback (`currentUrl`: the redirect URI with the query the IdP added), redeems the code and reads who signed in. */
  async completeSignIn(config: OrgOidcConfig, currentUrl: URL, pending: PendingSignIn): Promise<OidcIdentity> {
    const age = this.now() - pending.createdAt
    if (age > PENDING_TTL_MS || age < -60_000) throw new OidcError('oidc_pending_expired', 'the sign-in took longer than 10 minutes; start it again')
    const params = currentUrl.searchParams
    if (params.get('state') !== pending.state) throw new OidcError('oidc_state_mismatch', 'the answer from the identity provider does not belong to the sign-in started here')
    const idpError = params.get('error')
    if (idpError !== null) throw idpRefusal(idpError, params.get('error_description'))

    const conf = await this.configurationFor(config)
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
    try {
      tokens = await client.authorizationCodeGrant(conf, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
    } catch (err) {
      if (err instanceof client.AuthorizationResponseError) throw idpRefusal(err.error, err.error_description ?? null)
      throw new OidcError('oidc_token_refused', `the identity provider's answer was refused: ${messageOf(err)}`, { cause: err })
    }
    const idToken = tokens.claims()
    if (!idToken) throw new OidcError('oidc_token_refused', 'the identity provider sent no ID token')
    let claims: Claims = { ...idToken }
    // Many IdPs keep email, name and groups out of the ID token when an access token is issued; userinfo has them.
    const userinfo = conf.serverMetadata().userinfo_endpoint
    if (userinfo !== undefined && this.lacksClaims(claims, config)) {
      try {
        const info = await client.fetchUserInfo(conf, tokens.access_token, idToken.sub)
        claims = { ...info, ...idToken }
      } catch (err) {
        throw new OidcError('oidc_token_refused', `the identity provider's userinfo was refused: ${messageOf(err)}`, { cause: err })
      }
    }
    return identityOf(claims, idToken.sub, idToken.iss, config)
  }

  private lacksClaims(claims: Claims, config: OrgOidcConfig): boolean {
    return typeof claims.email !== 'string' || typeof claims.name !== 'string' || (config.rolesClaim !== undefined && !(config.rolesClaim.split('.')[0]! in claims))
  }

  /** A client configuration per call (cheap), on discovery cached per issuer. */
  private async configurationFor(config: OrgOidcConfig): Promise<client.Configuration> {
    const metadata = await this.discover(config.issuer)
    const methods = metadata.token_endpoint_auth_methods_supported
    // client_secret_basic is the spec's default and what IdPs support most; post only where basic is not offered.
    const auth = methods === undefined || methods.includes('client_secret_basic') || !methods.includes('client_secret_post') ? client.ClientSecretBasic(config.clientSecret) : client.ClientSecretPost(config.clientSecret)
    const conf = new client.Configuration(metadata, config.clientId, { client_secret: config.clientSecret }, auth)
    conf.timeout = this.options.timeoutSeconds ?? 10
    if (this.options.allowInsecureRequests) client.allowInsecureRequests(conf)
    if (!this.options.allowPrivateAddresses) conf[client.customFetch] = publicAddressFetch
    return conf
  }

  private discover(issuer: string): Promise<client.ServerMetadata> {
    const cached = this.discovered.get(issuer)
    const ttl = this.options.discoveryTtlMs ?? 3_600_000
    if (cached && this.now() - cached.at < ttl) return cached.metadata
    const metadata = client
      .discovery(new URL(issuer), 'discovery', undefined, client.None(), {
        execute: this.options.allowInsecureRequests ? [client.allowInsecureRequests] : [],
        timeout: this.options.timeoutSeconds ?? 10,
        ...(this.options.allowPrivateAddresses ? {} : { [client.customFetch]: publicAddressFetch }),
      })
      .then((c) => c.serverMetadata())
      .catch((err: unknown) => {
        this.discovered.delete(issuer) // the next sign-in tries again
        throw new OidcError('oidc_discovery_failed', `the identity provider at ${issuer} could not be reached or described itself wrongly: ${messageOf(err)}`, { cause: err })
      })
    this.discovered.set(issuer, { at: this.now(), metadata })
    return metadata
  }
}

function idpRefusal(error: string, description: string | null): OidcError {
  const said = `${error.slice(0, 100)}${description ? `: ${description.slice(0, 300)}` : ''}`
  return error === 'access_denied'
    ? new OidcError('oidc_access_denied', `the sign-in was declined at the identity provider (${said})`)
    : new OidcError('oidc_idp_error', `the identity provider refused the sign-in (${said})`)
}

/** The error's message, or the refused address's when openid-client wrapped that refusal in its own error. */
function messageOf(err: unknown): string {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof PrivateAddressError) return e.message
  return err instanceof Error ? err.message : String(err)
}

function identityOf(claims: Claims, subject: string, issuer: string, config: OrgOidcConfig): OidcIdentity {
  const email = typeof claims.email === 'string' ? claims.email.trim() : ''
  if (email === '') throw new OidcError('oidc_missing_email', 'the identity provider gave no email address; ask its administrator to release the email claim (scope "email")')
  const str = (k: string): string => (typeof claims[k] === 'string' ? (claims[k] as string).trim() : '')
  const name = str('name') || [str('given_name'), str('family_name')].filter(Boolean).join(' ') || str('preferred_username') || email
  const roles = rolesFromClaims(claims, config)
  return {
    subject,
    issuer,
    email,
    // Some IdPs (Cognito) send the string "true".
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    name,
    roles: roles ?? [],
    rolesFromIdp: roles !== null,
  }
}
