// The chat panel in a DOM: what people write stays text, and the keyboard sends as the label says
// (Enter sends, Shift+Enter is a new line, an IME's Enter only confirms the characters).
import { flushSync, mount, unmount } from 'svelte'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../../../test/support/client/domCleanup.ts'
import { MAX_CHAT_LENGTH } from '../../lib/chatLog.ts'
import { i18n } from '../../lib/i18n.svelte.ts'
import { openFakeRoom, type FakeRoom } from '../../../../test/support/client/fakeRoom.ts'
import ChatPanel from './ChatPanel.svelte'

const cleanup = cleanupAfterEach()

function show(): { room: FakeRoom; target: HTMLElement } {
  i18n.lang = 'en'
  const room = openFakeRoom()
  room.join()
  const target = document.body.appendChild(document.createElement('div'))
  const panel = mount(ChatPanel, { target, props: { store: room.store } })
  flushSync()
  cleanup.push(() => room.close(), () => void unmount(panel))
  return { room, target }
}

function type(box: HTMLTextAreaElement, text: string): void {
  box.value = text
  box.dispatchEvent(new Event('input', { bubbles: true }))
  flushSync()
}

function press(box: HTMLTextAreaElement, init: KeyboardEventInit): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init })
  box.dispatchEvent(e)
  flushSync()
  return e
}

describe('ChatPanel', () => {
  it('renders what people write as text, never as HTML', () => {
    const { room, target } = show()
    const text = '<img src="x" onerror="globalThis.pwned = 1"><b>bold</b> & <script>alert(1)</script>'
    room.socket.push('chat:message', { kind: 'chat', id: 'm1', seq: 2, ts: 1_700_000_000_000, role: 'lender', name: '<i>Li Na</i>', text, clientId: 'c1' })
    flushSync()
    const line = target.querySelector('[data-testid="chat-message"]')
    expect(line?.querySelector('.bubble')?.textContent).toBe(text)
    expect(line?.querySelector('.who')?.textContent).toBe('<i>Li Na</i>')
    expect(line?.querySelectorAll('img, b, i, script')).toHaveLength(0)
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
  })

  it('sends on Enter and clears the box; Shift+Enter and an IME composition do not send', () => {
    const { room, target } = show()
    const box = target.querySelector<HTMLTextAreaElement>('#chat-input')!
    type(box, 'Could the rate come down?')
    expect(press(box, { key: 'Enter', shiftKey: true }).defaultPrevented).toBe(false)
    expect(press(box, { key: 'Enter', isComposing: true }).defaultPrevented).toBe(false)
    expect(room.socket.requests('chat:send')).toHaveLength(0)

    expect(press(box, { key: 'Enter' }).defaultPrevented).toBe(true)
    expect(room.socket.requests('chat:send').map((r) => r.payload.text)).toEqual(['Could the rate come down?'])
    expect(box.value).toBe('')
    expect(target.querySelector('[data-testid="chat-pending"]')?.getAttribute('data-status')).toBe('sending')
  })

  it('refuses a message over the limit before it is sent', () => {
    const { room, target } = show()
    const box = target.querySelector<HTMLTextAreaElement>('#chat-input')!
    type(box, 'x'.repeat(MAX_CHAT_LENGTH + 1))
    expect(box.getAttribute('aria-invalid')).toBe('true')
    expect(target.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true)
    press(box, { key: 'Enter' })
    expect(room.socket.requests('chat:send')).toHaveLength(0)
  })

  it('lets the text choose its direction, in the log and in the box', () => {
    const { room, target } = show()
    room.socket.push('chat:message', { kind: 'chat', id: 'm1', seq: 2, ts: 1_700_000_000_000, role: 'lender', name: 'Li Na', text: 'مرحبا', clientId: 'c1' })
    flushSync()
    expect(target.querySelector('[data-testid="chat-message"] .bubble')?.getAttribute('dir')).toBe('auto')
    expect(target.querySelector('#chat-input')?.getAttribute('dir')).toBe('auto')
  })

  it('offers "jump to latest" while the reader is scrolled up, counting what arrived below', async () => {
    const { room, target } = show()
    const log = target.querySelector<HTMLOListElement>('ol.log')!
    // happy-dom lays nothing out: give the log a height and a scroll position above the bottom.
    Object.defineProperty(log, 'scrollHeight', { configurable: true, value: 1000 })
    Object.defineProperty(log, 'clientHeight', { configurable: true, value: 200 })
    log.scrollTop = 100
    log.dispatchEvent(new Event('scroll'))
    flushSync()
    const jump = () => target.querySelector<HTMLButtonElement>('[data-testid="chat-jump"]')
    expect(jump()?.textContent?.trim()).toBe('Jump to the latest ↓')

    for (const [i, text] of ['One', 'Two'].entries()) {
      room.socket.push('chat:message', { kind: 'chat', id: `m${i}`, seq: 3 + i, ts: 1_700_000_000_000 + i, role: 'lender', name: 'Li Na', text, clientId: `c${i}` })
    }
    flushSync()
    expect(jump()?.textContent?.trim()).toBe('2 new ↓')
    expect(log.scrollTop).toBe(100) // reading history is not interrupted

    jump()!.click()
    flushSync()
    await Promise.resolve()
    await new Promise((r) => setTimeout(r, 0))
    expect(jump()).toBeNull()
    expect(log.scrollTop).toBe(1000)
  })
})
