import { describe, expect, it } from 'vitest'
import { CHAT_MAX_LENGTH } from '../../shared/protocol/chat.ts'
import { PAUSE_MINUTES, PAUSE_REASON_MAX } from '../../shared/protocol/socket.ts'
import { RATING_COMMENT_MAX } from '../../shared/schema/protocol.schema.ts'
import { jsonBytes, oversized } from './payloadSize.ts'
import { SOCKET_COMMANDS } from './socketCommands.ts'

// The worst valid payload of each event: the longest strings, in the characters JSON spends most on
// (a control character is 6 bytes as \uXXXX, an astral one 4 in UTF-8 and one code point for ajv).
const ASTRAL = '\u{1F600}'
const worst: Record<keyof typeof SOCKET_COMMANDS, unknown[]> = {
  'chat:send': [
    { clientId: 'c'.repeat(128), text: 'a' + '\u0001'.repeat(CHAT_MAX_LENGTH - 1) },
    { clientId: 'c'.repeat(128), text: ASTRAL.repeat(CHAT_MAX_LENGTH) },
  ],
  confirm: [
    {
      hash: 'a'.repeat(64),
      fullName: 'a' + '\u0001'.repeat(199),
      summaryLang: 'zh',
      summaryHash: 'b'.repeat(64),
      shownAt: '2026-12-05T08:00:00.000+08:00',
    },
  ],
  'confirm:withdraw': [{}],
  'rating:submit': [{ stars: 5, comment: '\u0001'.repeat(RATING_COMMENT_MAX) }],
  'pause:call': [
    { minutes: PAUSE_MINUTES.max, reason: '\u0001'.repeat(PAUSE_REASON_MAX) },
    { minutes: PAUSE_MINUTES.max, reason: ASTRAL.repeat(PAUSE_REASON_MAX) },
  ],
  'pause:end': [{}],
}

describe('socket.io payload limits', () => {
  it('every valid payload fits its event’s limit (a limit never refuses what the schema accepts)', () => {
    for (const [event, payloads] of Object.entries(worst) as [keyof typeof SOCKET_COMMANDS, unknown[]][]) {
      const command = SOCKET_COMMANDS[event]
      for (const p of payloads) {
        expect(command.validate(p).ok, event).toBe(true)
        expect(jsonBytes(p), event).toBeLessThanOrEqual(command.maxBytes)
        expect(oversized(p, command.maxBytes), event).toBeNull()
      }
    }
  })

  it('answers too_large with the limit, counting UTF-8 bytes', () => {
    expect(jsonBytes({ t: '文' })).toBe(Buffer.byteLength('{"t":"文"}'))
    expect(jsonBytes(undefined)).toBe(0)
    expect(oversized({ t: 'x'.repeat(100) }, 50)).toEqual({ ok: false, error: 'too_large', message: expect.stringContaining('at most 50'), limit: 50 })
  })
})
