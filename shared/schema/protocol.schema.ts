// JSON Schemas of the socket.io payloads (client → server), and their validators.
// Unknown fields are refused: a payload is exactly what the protocol says or nothing happens.
// Each event also has a size limit (its payload as JSON, in bytes) with room for every valid
// payload: a bigger one is answered `too_large` with the limit before it is even validated.
import { CHAT_MAX_LENGTH } from '../protocol/chat.ts'
import { PAUSE_MINUTES, PAUSE_REASON_MAX, type ChatSendPayload, type ConfirmPayload, type PauseCallPayload, type PauseEndPayload, type RatingPayload, type WithdrawPayload } from '../protocol/socket.ts'
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

/** 4000 characters escaped as \uXXXX are 24 000 bytes. */
export const CHAT_SEND_MAX_BYTES = 32 * 1024

export const confirmSchema = {
  $id: 'https://negotiation-room.local/schema/confirm.json',
  type: 'object',
  additionalProperties: false,
  required: ['hash', 'fullName'],
  properties: {
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    fullName: { type: 'string', minLength: 1, maxLength: 200 },
    // The consent record (all three or none, checked below).
    summaryLang: { enum: ['en', 'zh'] },
    summaryHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    shownAt: {
      anyOf: [
        { type: 'integer', minimum: 0 },
        { type: 'string', format: 'date-time' },
      ],
    },
  },
} as const

export const CONFIRM_MAX_BYTES = 4 * 1024

export const RATING_COMMENT_MAX = 2000

export const ratingSchema = {
  $id: 'https://negotiation-room.local/schema/rating-submit.json',
  type: 'object',
  additionalProperties: false,
  required: ['stars'],
  properties: {
    stars: { type: 'integer', minimum: 1, maximum: 5 },
    comment: { type: 'string', maxLength: RATING_COMMENT_MAX },
  },
} as const

export const RATING_MAX_BYTES = 16 * 1024

export const withdrawSchema = {
  $id: 'https://negotiation-room.local/schema/confirm-withdraw.json',
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const

export const WITHDRAW_MAX_BYTES = 1024

export const pauseCallSchema = {
  $id: 'https://negotiation-room.local/schema/pause-call.json',
  type: 'object',
  additionalProperties: false,
  required: ['minutes'],
  properties: {
    minutes: { type: 'integer', minimum: PAUSE_MINUTES.min, maximum: PAUSE_MINUTES.max },
    reason: { type: 'string', maxLength: PAUSE_REASON_MAX },
  },
} as const

/** 500 characters escaped as \uXXXX are 3 000 bytes. */
export const PAUSE_CALL_MAX_BYTES = 4 * 1024

export const pauseEndSchema = {
  $id: 'https://negotiation-room.local/schema/pause-end.json',
  type: 'object',
  additionalProperties: false,
  properties: {},
} as const

export const PAUSE_END_MAX_BYTES = 1024

const notBlank = (field: string, value: string): string | null => (value.trim() === '' ? `/${field}: must not be blank` : null)

const FULL_NAME_MAX = confirmSchema.properties.fullName.maxLength

// The rules of a chat text and a typed full name have one owner, here: the validators below check them, and
// the room checks them again for callers that do not come through a transport.

/** Null when `text` may be sent as a chat message. */
export function chatTextProblem(text: string): string | null {
  return notBlank('text', text) ?? ([...text].length > CHAT_MAX_LENGTH ? `/text: must NOT have more than ${CHAT_MAX_LENGTH} characters` : null)
}

/** Null when `fullName` may sign a confirmation (it is stored trimmed). */
export function fullNameProblem(fullName: string): string | null {
  return notBlank('fullName', fullName) ?? (fullName.trim().length > FULL_NAME_MAX ? `/fullName: must NOT have more than ${FULL_NAME_MAX} characters` : null)
}

export const validateChatSend: (x: unknown) => Validation<ChatSendPayload> = compileValidator<ChatSendPayload>(chatSendSchema, {
  check: (p) => chatTextProblem(p.text),
})

const CONSENT = ['summaryLang', 'summaryHash', 'shownAt'] as const

export const validateConfirm: (x: unknown) => Validation<ConfirmPayload> = compileValidator<ConfirmPayload>(confirmSchema, {
  check: (p) => {
    const name = fullNameProblem(p.fullName)
    if (name) return name
    const given = CONSENT.filter((k) => p[k] !== undefined)
    if (given.length > 0 && given.length < CONSENT.length) {
      const missing = CONSENT.find((k) => p[k] === undefined)!
      return `/${missing}: is required with ${given.join(', ')}`
    }
    if (typeof p.shownAt === 'string' && Number.isNaN(Date.parse(p.shownAt))) return '/shownAt: is not a valid time'
    return null
  },
})

export const validateRating: (x: unknown) => Validation<RatingPayload> = compileValidator<RatingPayload>(ratingSchema)

export const validateWithdraw: (x: unknown) => Validation<WithdrawPayload> = compileValidator<WithdrawPayload>(withdrawSchema)

export const validatePauseCall: (x: unknown) => Validation<PauseCallPayload> = compileValidator<PauseCallPayload>(pauseCallSchema)

export const validatePauseEnd: (x: unknown) => Validation<PauseEndPayload> = compileValidator<PauseEndPayload>(pauseEndSchema)
