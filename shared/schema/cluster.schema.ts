// JSON Schema of what server processes tell each other over Redis (server/cluster). Another
// process is trusted no more than a client: a message that does not match is dropped and logged.
import type { ClusterMessage } from '../protocol/cluster.ts'
import { archiveEventSchema } from './archive.schema.ts'
import { compileValidator, type Validation } from './validate.ts'

const NODE_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
const ROOM_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const
const BASE64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' } as const

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


export const clusterMessageSchema = {
  $id: 'https://negotiation-room.local/schema/cluster-message.json',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'node', 'roomId', 'events'],
      properties: { kind: { const: 'events' }, node: NODE_ID, roomId: ROOM_ID, events: { type: 'array', minItems: 1, maxItems: 64, items: archiveEventSchema } },
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
