// The phone's Chat tab badge: the history counts as read, the other side's new messages count until
// the chat is on screen, and one's own messages and room events never count.
import { describe, expect, it } from 'vitest'
import type { ChatItem } from '../lib/chatLog.ts'
import { UnreadCount } from './unreadCount.ts'

const msg = (key: string, mine = false): ChatItem => ({
  kind: 'message',
  key,
  mine,
  message: { kind: 'chat', id: key, seq: 1, ts: 1, role: mine ? 'borrower' : 'lender', name: 'Li Na', text: key, clientId: key },
})
const event = (key: string): ChatItem => ({
  kind: 'event',
  key,
  event: { kind: 'event', seq: 1, ts: 1, type: 'joined', actor: { role: 'lender', name: 'Li Na' }, params: {} },
})

describe('UnreadCount', () => {
  it('counts nothing before the history arrives, and the history as read', () => {
    const u = new UnreadCount()
    expect(u.update([], false)).toBe(0)
    expect(u.update([msg('a'), msg('b'), event('e')], false)).toBe(0)
  })

  it("counts the other side's new messages while the chat is hidden, and none once it is shown", () => {
    const u = new UnreadCount()
    const history = [msg('a')]
    u.update(history, false)
    const later = [...history, msg('b'), msg('mine', true), event('e2'), msg('c')]
    expect(u.update(later, false)).toBe(2)
    expect(u.update(later, true)).toBe(0)
    expect(u.update([...later, msg('d')], false)).toBe(1)
  })
})
