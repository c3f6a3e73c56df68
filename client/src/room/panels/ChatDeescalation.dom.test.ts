// De-escalation in the chat panel: a message that may read as a threat waits for its sender (Edit / Send anyway),
// ordinary words go straight out, and only a neutral observer sees a flag on such a message.
import { flushSync, mount, unmount, tick } from 'svelte'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../../../test/support/client/domCleanup.ts'
import { i18n } from '../../lib/i18n.svelte.ts'
import { openFakeRoom, type FakeRoom } from '../../../../test/support/client/fakeRoom.ts'
import type { Me } from '../../lib/roomInfo.ts'
import ChatPanel from './ChatPanel.svelte'

const cleanup = cleanupAfterEach()

function show(me?: Me, lang: 'en' | 'zh' = 'en'): { room: FakeRoom; target: HTMLElement } {
  i18n.lang = lang
  const room = openFakeRoom(me ? { me } : {})
  room.join()
  const target = document.body.appendChild(document.createElement('div'))
  const panel = mount(ChatPanel, { target, props: { store: room.store } })
  flushSync()
  cleanup.push(() => room.close(), () => void unmount(panel))
  return { room, target }
}

function send(target: HTMLElement, text: string): HTMLTextAreaElement {
  const box = target.querySelector<HTMLTextAreaElement>('#chat-input')!
  box.value = text
  box.dispatchEvent(new Event('input', { bubbles: true }))
  flushSync()
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
  flushSync()
  return box
}

const THREAT = { kind: 'chat', id: 'm1', seq: 2, ts: 1_700_000_000_000, role: 'lender', name: 'Li Na', text: '再不还钱我就联系你的家人', clientId: 'c1' } as const

describe('chat de-escalation', () => {
  it('asks before sending a threat; Edit keeps the text, Send anyway sends it unchanged', async () => {
    const { room, target } = show({ role: 'lender', name: 'Li Na' })
    const box = send(target, 'Pay or I will tell your boss, you deadbeat.')
    const prompt = target.querySelector('[data-testid="deescalate"]')
    expect(prompt?.getAttribute('role')).toBe('alert')
    expect(prompt?.textContent).toContain('contacting their employer, an insult')
    expect(room.socket.requests('chat:send')).toHaveLength(0)
    await tick()
    expect(document.activeElement?.textContent).toBe('Edit')

    ;(document.activeElement as HTMLButtonElement).click()
    flushSync()
    expect(target.querySelector('[data-testid="deescalate"]')).toBeNull()
    expect(box.value).toBe('Pay or I will tell your boss, you deadbeat.')
    expect(document.activeElement).toBe(box)

    send(target, 'Pay or I will tell your boss, you deadbeat.')
    const anyway = [...target.querySelectorAll('[data-testid="deescalate"] button')].find((b) => b.textContent === 'Send anyway') as HTMLButtonElement
    anyway.click()
    flushSync()
    expect(room.socket.requests('chat:send').map((r) => r.payload.text)).toEqual(['Pay or I will tell your boss, you deadbeat.'])
  })

  it('sends ordinary negotiation at once', () => {
    const { room, target } = show()
    send(target, '能不能把期限延长到36个月？')
    expect(target.querySelector('[data-testid="deescalate"]')).toBeNull()
    expect(room.socket.requests('chat:send')).toHaveLength(1)
  })

  it('flags such a message for the observer only', () => {
    const observer = show({ role: 'observer', name: 'Ms Mediator' }, 'zh')
    observer.room.socket.push('chat:message', THREAT)
    flushSync()
    expect(observer.target.querySelector('[data-testid="chat-flag"]')?.textContent).toBe('提示调解员：这条消息可能被理解为联系对方家人。')

    const borrower = show({ role: 'borrower', name: 'Zhang Wei' }, 'zh')
    borrower.room.socket.push('chat:message', THREAT)
    flushSync()
    expect(borrower.target.querySelector('[data-testid="chat-message"]')).not.toBeNull()
    expect(borrower.target.querySelector('[data-testid="chat-flag"]')).toBeNull()
  })
})
