// An organisation's identity-provider settings: set by its admin (validated, the client secret sealed before
// it reaches the store), read back whole only for a sign-in (configFor), and shown without the secret.
import type { OrgOidcConfig, OrgOidcView } from '../../shared/protocol/oidc.ts'
import { validateOidcConfig } from '../../shared/schema/oidcConfig.schema.ts'
import type { Validation } from '../../shared/schema/validate.ts'
import type { Logger } from '../log.ts'
import type { OrgRecord, OrgStore, StoredOidcConfig } from '../store/OrgStore.ts'
import { open, seal, secretBoxKey } from './secretBox.ts'

export class OidcSettings {
  private readonly key: Buffer

  constructor(
    private readonly store: OrgStore,
    serverSecret: string,
    private readonly log?: Logger,
  ) {
    this.key = secretBoxKey(serverSecret, 'oidc client secret')
  }

  /**
   * Checks an admin's PUT body (validateOidcConfig) and keeps it. Without `clientSecret` the one already set is
   * kept, since it is never shown and an admin changing the roles claim cannot send it again.
   */
  async set(orgId: string, body: unknown): Promise<Validation<OrgRecord | null>> {
    let candidate = body
    if (isObject(body) && body.clientSecret === undefined) {
      const kept = await this.configFor(orgId)
      if (kept) candidate = { ...body, clientSecret: kept.clientSecret }
    }
    const checked = validateOidcConfig(candidate)
    if (!checked.ok) return checked
    const { clientSecret, ...rest } = checked.value
    const stored: StoredOidcConfig = { ...rest, sealedClientSecret: seal(this.key, orgId, clientSecret) }
    return { ok: true, value: await this.store.setOrgOidc(orgId, stored) }
  }

  clear(orgId: string): Promise<OrgRecord | null> {
    return this.store.setOrgOidc(orgId, null)
  }

  /** The settings with the secret opened, or null: none set, no such organisation, or a secret that does not open (SECRET changed). */
  async configFor(orgId: string): Promise<OrgOidcConfig | null> {
    const stored = (await this.store.getOrg(orgId))?.oidc
    if (!stored) return null
    const { sealedClientSecret, ...rest } = stored
    const clientSecret = open(this.key, orgId, sealedClientSecret)
    if (clientSecret === null) {
      this.log?.warn({ orgId }, "the organisation's OIDC client secret does not open (was SECRET changed?); its admin must set it again")
      return null
    }
    return { ...rest, clientSecret }
  }
}

/** The settings as an admin sees them: never the secret; the redirect URI to register at the identity provider. */
export function oidcView(stored: StoredOidcConfig, redirectUri: string): OrgOidcView {
  const { sealedClientSecret: _sealed, ...rest } = stored
  return { ...rest, hasClientSecret: true, redirectUri }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}
