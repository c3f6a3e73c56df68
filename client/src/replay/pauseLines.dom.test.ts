// A cooling-off pause in the replay's timeline (eventLabel) and in the chat lines the room and the replay show
// (eventText), in English and Chinese; the reason is carried as given.
import { afterEach, describe, expect, it } from 'vitest'
import type { ArchiveEvent } from '../../../shared/protocol/eventLog.ts'
import type { RoomEventLine } from '../../../shared/protocol/chat.ts'
import { i18n } from '../lib/i18n.svelte.ts'
import { eventText } from '../room/eventText.ts'
import { eventLabel } from './eventLabel.ts'

afterEach(() => {
  i18n.lang = 'en'
})

const TS = Date.UTC(2026, 0, 5, 6, 30)
const archived = (type: string, payload: object, role: 'borrower' | 'system' = 'borrower'): ArchiveEvent => ({
  seq: 5,
  ts: TS,
  actor: { role, name: role === 'system' ? 'server' : 'Zhang Wei' },
  type,
  payload,
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
})
const line = (type: 'paused' | 'resumed', params: Record<string, unknown>, role: 'observer' | 'system' = 'observer'): RoomEventLine => ({
  kind: 'event',
  seq: 5,
  ts: TS,
  type,
  actor: { role, name: role === 'system' ? 'server' : 'Chen Jing' },
  params,
})

describe('pause lines', () => {
  it('in the replay timeline', () => {
    expect(eventLabel(archived('paused', { minutes: 5, reason: 'Need a break', startedAt: TS, endsAt: TS + 300_000 }))).toBe(
      'Called a 5-minute cooling-off pause: “Need a break”',
    )
    expect(eventLabel(archived('paused', { minutes: 2, startedAt: TS, endsAt: TS + 120_000 }))).toBe('Called a 2-minute cooling-off pause')
    expect(eventLabel(archived('resumed', { endsAt: TS, reason: 'expired' }, 'system'))).toBe('The cooling-off pause ended')
    expect(eventLabel(archived('resumed', { endsAt: TS, reason: 'ended' }))).toBe('Ended the cooling-off pause early')
    i18n.lang = 'zh'
    expect(eventLabel(archived('paused', { minutes: 5, reason: 'Need a break' }))).toBe('发起了 5 分钟的冷静暂停：“Need a break”')
    expect(eventLabel(archived('resumed', { reason: 'expired' }, 'system'))).toBe('冷静暂停已结束')
  })

  it('in the chat, naming the neutral by its label', () => {
    expect(eventText(line('paused', { minutes: 10, reason: 'Let us all cool down' }), 'mediator', 'CNY')).toBe(
      'Chen Jing (mediator) called a 10-minute cooling-off pause: “Let us all cool down”',
    )
    expect(eventText(line('resumed', { reason: 'expired' }, 'system'), 'mediator', 'CNY')).toBe('The cooling-off pause ended; the proposal can be changed again')
    i18n.lang = 'zh'
    expect(eventText(line('resumed', { reason: 'ended' }), 'mediator', 'CNY')).toBe('Chen Jing（调解员）提前结束了冷静暂停，方案可以继续修改')
    expect(eventText(line('paused', { minutes: 3 }), 'mediator', 'CNY')).toBe('Chen Jing（调解员）发起了 3 分钟的冷静暂停')
  })
})
