// JSON Schemas of the archive file and the dispute bundle (DESIGN.md "Archive and replay"), and their validators.
// Events refuse unknown fields: whatever is not hashed must not ride along unnoticed.
import type { ArchiveEvent } from '../protocol/eventLog.ts'
import { compileValidator, type Messages, type Validation } from './validate.ts'

export const ARCHIVE_FORMAT = 'negotiation-room-archive'
export const DISPUTE_BUNDLE_FORMAT = 'negotiation-room-dispute-bundle'
export const ARCHIVE_VERSION = 1

const HASH = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const

/** One log event as exported: the 'update' payload is base64 text, every other payload a JSON object. */
export const archiveEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'ts', 'actor', 'type', 'payload', 'prevHash', 'hash'],
  properties: {
    seq: { type: 'integer', minimum: 1 },
    ts: { type: 'integer', minimum: 0 },
    actor: {
      type: 'object',
      additionalProperties: false,
      required: ['role', 'name'],
      properties: {
        role: { enum: ['borrower', 'lender', 'observer', 'system'] },
        name: { type: 'string' },
        staffId: { type: 'string', minLength: 1, maxLength: 200 },
        orgId: { type: 'string', minLength: 1, maxLength: 200 },
      },
    },
    type: { type: 'string', pattern: '^[a-z][a-z_]{0,39}$' },
    payload: {},
    prevHash: HASH,
    hash: HASH,
  },
  if: { properties: { type: { const: 'update' } } },
  then: { properties: { payload: { type: 'string' } } },
  else: { properties: { payload: { type: 'object' } } },
} as const

/** The server's signed end of the export (shared/archive/anchor.ts); absent in exports made before it existed. */
const anchorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['roomId', 'lastSeq', 'lastHash', 'exportedAt', 'kid', 'signature'],
  properties: {
    roomId: { type: 'string', minLength: 1, maxLength: 200 },
    lastSeq: { type: 'integer', minimum: 1 },
    lastHash: HASH,
    exportedAt: { type: 'string', format: 'date-time' },
    kid: { type: 'string', maxLength: 200 },
    signature: { type: 'string', pattern: '^[A-Za-z0-9_-]{86}$' },
  },
} as const

function archiveSchema(events: object) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['format', 'version', 'roomId', 'title', 'currency', 'exportedAt', 'events'],
    properties: {
      format: { const: ARCHIVE_FORMAT },
      version: { const: ARCHIVE_VERSION },
      roomId: { type: 'string', minLength: 1, maxLength: 200 },
      title: { type: 'string', maxLength: 1000 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      exportedAt: { type: 'string', format: 'date-time' },
      events,
      anchor: anchorSchema,
    },
  } as const
}

const publicKeySchema = {
  type: 'object',
  required: ['kty', 'crv', 'x'],
  properties: {
    kty: { const: 'OKP' },
    crv: { const: 'Ed25519' },
    x: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    kid: { type: 'string' },
  },
} as const

function bundleSchema(archive: object) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['format', 'version', 'archive', 'agreement', 'publicKey'],
    properties: {
      format: { const: DISPUTE_BUNDLE_FORMAT },
      version: { const: ARCHIVE_VERSION },
      archive,
      // The agreement is checked field by field by verifyAgreement, which says precisely what is wrong.
      agreement: { anyOf: [{ type: 'object' }, { type: 'null' }] },
      publicKey: { anyOf: [publicKeySchema, { type: 'null' }] },
    },
  } as const
}

const fullEvents = { type: 'array', items: archiveEventSchema }
const anyEvents = { type: 'array' }

export const archiveFileSchema = { $id: 'https://negotiation-room.local/schema/archive.json', ...archiveSchema(fullEvents) }
export const disputeBundleSchema = {
  $id: 'https://negotiation-room.local/schema/dispute-bundle.json',
  ...bundleSchema(archiveSchema(fullEvents)),
}

const eventMessages = (prefix: string): Messages => ({
  [`${prefix}/then/properties/payload/type`]: "must be base64 text in an 'update' event",
  [`${prefix}/else/properties/payload/type`]: 'must be a JSON object',
  [`${prefix}/properties/prevHash/pattern`]: 'must be 64 lowercase hex digits',
  [`${prefix}/properties/hash/pattern`]: 'must be 64 lowercase hex digits',
  [`${prefix}/properties/type/pattern`]: 'must be a lowercase event type such as "update"',
})

const archiveMessages = (prefix: string): Messages => ({
  [`${prefix}/properties/format/const`]: `must be "${ARCHIVE_FORMAT}"`,
  [`${prefix}/properties/version/const`]: `must be ${ARCHIVE_VERSION} (the version this program reads)`,
  [`${prefix}/properties/currency/pattern`]: 'must be an ISO 4217 code such as "CNY"',
  [`${prefix}/properties/exportedAt/format`]: 'must be an ISO 8601 date-time',
  [`${prefix}/properties/anchor/properties/lastHash/pattern`]: 'must be 64 lowercase hex digits',
  [`${prefix}/properties/anchor/properties/exportedAt/format`]: 'must be an ISO 8601 date-time',
  [`${prefix}/properties/anchor/properties/signature/pattern`]: 'must be a base64url Ed25519 signature (86 characters)',
  ...eventMessages(`${prefix}/properties/events/items`),
})

const bundleMessages: Messages = {
  '#/properties/format/const': `must be "${DISPUTE_BUNDLE_FORMAT}"`,
  '#/properties/version/const': `must be ${ARCHIVE_VERSION} (the version this program reads)`,
  '#/properties/agreement/anyOf/0/type': 'must be the signed agreement object or null',
  '#/properties/publicKey/anyOf/0/type': 'must be an Ed25519 public key (JWK) or null',
  '#/properties/publicKey/anyOf/0/required': 'must be an Ed25519 public key (JWK: kty, crv, x) or null',
  '#/properties/publicKey/anyOf/0/properties/kty/const': 'must be "OKP" (an Ed25519 JWK)',
  '#/properties/publicKey/anyOf/0/properties/crv/const': 'must be "Ed25519"',
  '#/properties/publicKey/anyOf/0/properties/x/pattern': 'must be the base64url of a 32-byte key',
  ...archiveMessages('#/properties/archive'),
}

/** The archive as a whole (every event's shape included). */
export const validateArchiveFileShape: (x: unknown) => Validation<unknown> = compileValidator(archiveFileSchema, {
  messages: archiveMessages('#'),
})

/** The dispute bundle as a whole (the archive's events included; the agreement only as an object). */
export const validateDisputeBundleShape: (x: unknown) => Validation<unknown> = compileValidator(disputeBundleSchema, {
  messages: bundleMessages,
})

// The verifier checks the envelope first, then each event in order, so that a malformed event is
// reported by its seq like any other tampering. Exported as …Schema: the browser build precompiles
// every such export (client/vite/ajvStandalone.ts), and the replay view verifies archives too.
export const archiveEnvelopeSchema = { $id: 'https://negotiation-room.local/schema/archive-envelope.json', ...archiveSchema(anyEvents) }
export const disputeBundleEnvelopeSchema = {
  $id: 'https://negotiation-room.local/schema/dispute-bundle-envelope.json',
  ...bundleSchema(archiveSchema(anyEvents)),
}
export const archiveEventRecordSchema = { $id: 'https://negotiation-room.local/schema/archive-event.json', ...archiveEventSchema }

export const validateArchiveEnvelope: (x: unknown) => Validation<unknown> = compileValidator(archiveEnvelopeSchema, { messages: archiveMessages('#') })

export const validateDisputeBundleEnvelope: (x: unknown) => Validation<unknown> = compileValidator(disputeBundleEnvelopeSchema, {
  messages: bundleMessages,
})

export const validateArchiveEvent: (x: unknown) => Validation<ArchiveEvent> = compileValidator<ArchiveEvent>(archiveEventRecordSchema, {
  messages: eventMessages('#'),
})
