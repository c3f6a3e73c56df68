// JSON Schema of what server processes tell each other over Redis (server/cluster). Another
// process is trusted no more than a client: a message that does not match is dropped and logged.
import type { ClusterMessage } from '../protocol/cluster.ts'
import { compileValidator, type Validation } from './validate.ts'

const NODE_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
const ROOM_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
const BASE64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' } as const
const ROLE = { enum: ['borrower', 'lender', 'observer', 'system'] } as const

const identity = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'name'],
  properties: {
    role: { enum: ['borrower', 'lender', 'observer'] },
    name: { type: 'string', maxLength: 200 },
    label: { enum: ['mediator', 'advisor', 'lawyer', 'other'] },
  },
} as const

const event = {
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
      properties: { role: ROLE, name: { type: 'string', maxLength: 200 } },
    },
    type: { enum: ['create', 'update', 'chat', 'join', 'leave', 'confirm', 'withdraw', 'cleared', 'lock', 'rating', 'attachment', 'amend'] },
    // base64 of the Yjs update for 'update', the JSON object otherwise.
    payload: { anyOf: [BASE64, { type: 'object' }] },
    prevHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
} as const

export const clusterMessageSchema = {
  $id: 'https://negotiation-room.local/schema/cluster-message.json',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'node', 'roomId', 'events'],
      properties: { kind: { const: 'events' }, node: NODE_ID, roomId: ROOM_ID, events: { type: 'array', minItems: 1, maxItems: 64, items: event } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'node', 'roomId', 'update'],
      properties: { kind: { const: 'awareness' }, node: NODE_ID, roomId: ROOM_ID, update: BASE64 },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'node', 'roomId', 'online', 'ask'],
      properties: {
        kind: { const: 'presence' },
        node: NODE_ID,
        roomId: ROOM_ID,
        online: { type: 'array', maxItems: 1000, items: identity },
        ask: { type: 'boolean' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'node'],
      properties: { kind: { const: 'heartbeat' }, node: NODE_ID, leaving: { type: 'boolean' } },
    },
  ],
} as const

export const validateClusterMessage: (x: unknown) => Validation<ClusterMessage> = compileValidator<ClusterMessage>(clusterMessageSchema)
