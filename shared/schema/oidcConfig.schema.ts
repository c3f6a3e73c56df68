// JSON Schema of an organisation's OpenID Connect settings (OrgOidcConfig), as its admin sets them.
import type { OrgOidcConfig } from '../protocol/oidc.ts'
import { STAFF_ROLES } from '../protocol/staff.ts'
import { compileValidator, type Validation } from './validate.ts'

export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'] as const

export const oidcConfigSchema = {
  $id: 'https://negotiation-room.local/schema/oidc-config.json',
  type: 'object',
  additionalProperties: false,
  required: ['issuer', 'clientId', 'clientSecret'],
  properties: {
    issuer: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 },
    clientId: { type: 'string', minLength: 1, maxLength: 512 },
    clientSecret: { type: 'string', minLength: 1, maxLength: 2048 },
    rolesClaim: { type: 'string', pattern: '^[A-Za-z0-9_:/-]+(\\.[A-Za-z0-9_:/-]+)*$', maxLength: 200 },
    roleMap: {
      type: 'object',
      maxProperties: 200,
      propertyNames: { type: 'string', minLength: 1, maxLength: 256 },
      additionalProperties: { enum: [...STAFF_ROLES] },
    },
    // RFC 6749 scope-token characters.
    scopes: { type: 'array', maxItems: 20, uniqueItems: true, items: { type: 'string', pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$', maxLength: 100 } },
  },
} as const

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** A secret sent over plain HTTP is readable on the way, so http:// is for an identity provider on this machine only. */
function checkIssuer(config: OrgOidcConfig): string | null {
  const url = new URL(config.issuer)
  if (url.search || url.hash) return '/issuer: must not have a query or fragment'
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return '/issuer: must be https (http only on localhost)'
  return null
}

export const validateOidcConfig: (x: unknown) => Validation<OrgOidcConfig> = compileValidator<OrgOidcConfig>(oidcConfigSchema, {
  messages: {
    '#/properties/issuer/pattern': 'must be an http(s) URL',
    '#/properties/rolesClaim/pattern': 'must be a claim name or a dotted path such as realm_access.roles',
    '#/properties/roleMap/additionalProperties/enum': `must be one of ${STAFF_ROLES.join(', ')}`,
  },
  check: checkIssuer,
})
