// A cooling-off pause on one screen: the banner says who paused and why (as text), counts down, lets only its caller
// end it; the fields are read-only and the confirm bar frozen until the server's room:state drops the pause; the
// dialog sends pause:call. The transport is faked (test/support/client); store and client are the real ones.
import { flushSync, mount, unmount, type Component } from 'svelte'
import { describe, expect, it } from 'vitest'
import type { PauseInfo } from '../../../../shared/protocol/index.ts'
import { cleanupAfterEach } from '../../../../test/support/client/domCleanup.ts'
import { loanDoc, openFakeRoom, roomState, type FakeRoom } from '../../../../test/support/client/fakeRoom.ts'
import { i18n } from '../../lib/i18n.svelte.ts'
import type { Me } from '../../lib/roomInfo.ts'
import ConfirmBar from '../ConfirmBar.svelte'
import ConnectionNotice from '../connection/ConnectionNotice.svelte'
import PauseBanner from './PauseBanner.svelte'
import PauseDialog from './PauseDialog.svelte'

const cleanup = cleanupAfterEach()

const PAUSE: PauseInfo = { byRole: 'lender', byName: 'City Bank', reason: '<b>Need</b> to ask my manager', startedAt: Date.now(), endsAt: Date.now() + 4 * 60_000 + 30_500 }

function room(me?: Me): FakeRoom {
  const r = openFakeRoom(me ? { me } : {})
  r.join(loanDoc({ commitments: { firstDueDate: '2027-01-05' } }))
  r.socket.push('room:state', roomState({ currentHash: r.store.localHash, pause: PAUSE, pausesLeft: { borrower: 2, lender: 1 } }))
  flushSync()
  cleanup.push(() => r.close())
  return r
}

function show<P extends Record<string, unknown>>(component: Component<P>, props: P): HTMLElement {
  const target = document.body.appendChild(document.createElement('div'))
  const shown = mount(component, { target, props })
  flushSync()
  cleanup.push(() => void unmount(shown))
  return target
}

const q = (el: HTMLElement, id: string): HTMLElement | null => el.querySelector(`[data-testid="${id}"]`)

describe('a cooling-off pause on screen', () => {
  it('names who paused and why (as text), counts down, freezes the fields and the confirm bar until the server lifts it', () => {
    const r = room()
    const banner = show(PauseBanner, { store: r.store, pause: PAUSE })
    expect(q(banner, 'pause-by')!.textContent).toBe('City Bank (Lender) paused the room.')
    expect(q(banner, 'pause-reason')!.textContent).toBe('<b>Need</b> to ask my manager')
    expect(banner.querySelector('b')).toBeNull()
    expect(q(banner, 'pause-countdown')!.textContent).toMatch(/^04:(3[01]|29)$/)
    expect(q(banner, 'pause-countdown')!.getAttribute('role')).toBe('timer')
    // The borrower did not call it: no way to end it.
    expect(q(banner, 'pause-end')).toBeNull()

    expect(r.store.canEdit('terms')).toBe(false)
    expect(r.store.canEdit('clauses')).toBe(false)
    const bar = show(ConfirmBar, { store: r.store, onReview: () => {}, onSetDueDate: () => {}, onPause: () => {} })
    expect(q(bar, 'confirm-paused')!.textContent).toBe('Paused: confirming is possible again once the pause ends.')
    expect(q(bar, 'review-confirm')).toBeNull()
    expect(q(bar, 'pause-open')).toBeNull()

    r.socket.push('room:state', roomState({ currentHash: r.store.localHash, pausesLeft: { borrower: 2, lender: 1 } }))
    flushSync()
    expect(r.store.pause).toBeNull()
    expect(r.store.canEdit('terms')).toBe(true)
    expect(q(bar, 'review-confirm')).not.toBeNull()
    expect(q(bar, 'pause-open')!.textContent).toBe('Pause')
  })

  it('in Chinese, and its caller can end it early (pause:end)', () => {
    i18n.lang = 'zh'
    const r = room({ role: 'lender', name: 'City Bank' })
    const banner = show(PauseBanner, { store: r.store, pause: PAUSE })
    expect(q(banner, 'pause-by')!.textContent).toBe('City Bank（出借人）暂停了协商。')
    q(banner, 'pause-end')!.click()
    expect(r.socket.requests('pause:end')).toHaveLength(1)
  })

  it('the dialog checks the minutes, says how many pauses are left, and sends pause:call with the reason', async () => {
    const r = room()
    r.socket.push('room:state', roomState({ currentHash: r.store.localHash, pausesLeft: { borrower: 1, lender: 2 } }))
    let closed = 0
    const dialog = show(PauseDialog, { store: r.store, open: true, onClose: () => closed++ })
    expect(dialog.textContent).toContain('You can call 1 more pause(s) in this room.')
    const minutes = q(dialog, 'pause-minutes') as HTMLInputElement
    const submit = q(dialog, 'pause-submit') as HTMLButtonElement
    minutes.value = '31'
    minutes.dispatchEvent(new Event('input', { bubbles: true }))
    flushSync()
    expect(submit.disabled).toBe(true)
    expect(minutes.getAttribute('aria-invalid')).toBe('true')
    minutes.value = '10'
    minutes.dispatchEvent(new Event('input', { bubbles: true }))
    const reason = q(dialog, 'pause-reason-input') as HTMLTextAreaElement
    reason.value = '  I need a moment  '
    reason.dispatchEvent(new Event('input', { bubbles: true }))
    flushSync()
    expect(submit.disabled).toBe(false)
    submit.click()
    const [sent] = r.socket.requests('pause:call')
    expect(sent!.payload).toEqual({ minutes: 10, reason: 'I need a moment' })
    sent!.ack({ ok: true, state: roomState({ pause: PAUSE }) })
    await Promise.resolve()
    await Promise.resolve()
    expect(closed).toBe(1)
  })

  it('a change that reached the server after the pause (4403 paused) is said plainly after the restart', () => {
    const r = room()
    r.ws().serverClose(4403, 'paused: the room is paused until 2026-12-06T06:30:00.000Z')
    expect(r.store.notice).toMatchObject({ kind: 'restarted' })
    const notice = show(ConnectionNotice, { notice: r.store.notice!, onDismiss: () => {} })
    expect(notice.textContent).toContain('The room was paused before your last change reached it, so that change was not kept')
  })
})
