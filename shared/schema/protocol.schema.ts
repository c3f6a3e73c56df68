// JSON Schemas of the socket.io payloads (client → server), and their validators.
// Unknown fields are refused: a payload is exactly what the protocol says or nothing happens.
import { CHAT_MAX_LENGTH } from '../protocol/chat.ts'
import type { ChatSendPayload, ConfirmPayload, WithdrawPayload } from '../protocol/socket.ts'
import { compileValidator, type Validation } from './validate.ts'

/** Client-chosen idempotency keys: UUIDs and the like. */
export const CLIENT_ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$'

export const chatSendSchema = {
  $id: 'https://negotiation-room.local/schema/chat-send.json',
  type: 'object',
  additionalProperties: false,
  required: ['clientId', 'text'],
  properties: {
    clientId: { type: 'string', pattern: CLIENT_ID_PATTERN },
    text: { type: 'string', minLength: 1, maxLength: CHAT_MAX_LENGTH },
  },
} as const

export const confirmSchema = {
  $id: 'https://negotiation-room.local/schema/confirm.json',
  type: 'object',
  additionalProperties: false,
  required: ['hash', 'fullName'],
  properties: {
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    fullName: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const

export const withdrawSchema = {
  $id: 'https://negotiation-room.local/schema/confirm-withdraw.json',
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const

const notBlank = (field: string, value: string): string | null => (value.trim() === '' ? `/${field}: must not be blank` : null)

export const validateChatSend: (x: unknown) => Validation<ChatSendPayload> = compileValidator<ChatSendPayload>(chatSendSchema, {
  check: (p) => notBlank('text', p.text),
})

export const validateConfirm: (x: unknown) => Validation<ConfirmPayload> = compileValidator<ConfirmPayload>(confirmSchema, {
  check: (p) => notBlank('fullName', p.fullName),
})

export const validateWithdraw: (x: unknown) => Validation<WithdrawPayload> = compileValidator<WithdrawPayload>(withdrawSchema)
