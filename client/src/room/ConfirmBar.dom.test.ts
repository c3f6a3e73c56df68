// Confirming needs a first due date: when someone cleared it, the confirm bar and the review say so, offer the
// way to the date field, and do not let the reader confirm. The transport is faked (test/support/client); the
// store, the client and the Yjs document are the real ones.
import { flushSync, mount, unmount } from 'svelte'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../../test/support/client/domCleanup.ts'
import * as Y from 'yjs'
import { i18n } from '../lib/i18n.svelte.ts'
import { openFakeRoom, roomState, type FakeRoom } from '../../../test/support/client/fakeRoom.ts'
import ConfirmBar from './ConfirmBar.svelte'
import ReviewDialog from './ReviewDialog.svelte'

const cleanup = cleanupAfterEach()

/** The borrower's screen of a complete loan, in step with the server, with or without a first due date. */
function room(firstDueDate: string | null): FakeRoom {
  const server = new Y.Doc()
  const terms = server.getMap('terms')
  terms.set('principal', 1_200_000)
  terms.set('annualRatePct', '8.3')
  terms.set('termMonths', 12)
  terms.set('method', 'annuity')
  if (firstDueDate) server.getMap('commitments').set('firstDueDate', firstDueDate)
  const r = openFakeRoom()
  r.join(server)
  r.socket.push('room:state', roomState({ currentHash: r.store.localHash }))
  flushSync()
  cleanup.push(() => r.close())
  return r
}

type BarProps = { store: FakeRoom['store']; onReview: () => void; onSetDueDate: () => void }
type DialogProps = { store: FakeRoom['store']; open: boolean; onClose: () => void; onSetDueDate: () => void }

/** Mounts the bar or the dialog as the room does; answers the element holding it. */
function show(which: 'bar', props: BarProps): HTMLElement
function show(which: 'dialog', props: DialogProps): HTMLElement
function show(which: 'bar' | 'dialog', props: BarProps | DialogProps): HTMLElement {
  const target = document.body.appendChild(document.createElement('div'))
  const shown = which === 'bar' ? mount(ConfirmBar, { target, props: props as BarProps }) : mount(ReviewDialog, { target, props: props as DialogProps })
  flushSync()
  cleanup.push(() => void unmount(shown))
  return target
}

describe('ConfirmBar without a first due date', () => {
  it('says it must be set, offers the way to the field, and keeps "Review and confirm" disabled', () => {
    const r = room(null)
    let asked = 0
    const bar = show('bar', { store: r.store, onReview: () => {}, onSetDueDate: () => asked++ })
    expect(bar.querySelector('[data-testid="due-date-missing"]')?.textContent).toBe(
      'Set the first due date before confirming: every payment is dated from it.',
    )
    expect(bar.querySelector<HTMLButtonElement>('[data-testid="review-confirm"]')!.disabled).toBe(true)
    const go = [...bar.querySelectorAll('button')].find((b) => b.textContent === 'Set the first due date')!
    go.click()
    expect(asked).toBe(1)
  })

  it('in Chinese too', () => {
    i18n.lang = 'zh'
    const bar = show('bar', { store: room(null).store, onReview: () => {}, onSetDueDate: () => {} })
    expect(bar.querySelector('[data-testid="due-date-missing"]')?.textContent).toBe('请先设定首期还款日再确认：每期还款日期都从这一天算起。')
    expect([...bar.querySelectorAll('button')].some((b) => b.textContent === '设定首期还款日')).toBe(true)
  })

  it('with the date set, says nothing of it and lets the reader review', () => {
    const bar = show('bar', { store: room('2026-02-28').store, onReview: () => {}, onSetDueDate: () => {} })
    expect(bar.querySelector('[data-testid="due-date-missing"]')).toBeNull()
    expect(bar.querySelector<HTMLButtonElement>('[data-testid="review-confirm"]')!.disabled).toBe(false)
  })
})

describe('ReviewDialog without a first due date', () => {
  it('says it must be set, offers the way to the field, and cannot be submitted', () => {
    const r = room(null)
    let asked = 0
    const dialog = show('dialog', { store: r.store, open: true, onClose: () => {}, onSetDueDate: () => asked++ })
    const notice = dialog.querySelector('[data-testid="review-due-date-missing"]')!
    expect(notice.textContent).toContain('Set the first due date before confirming')
    expect(dialog.querySelector<HTMLButtonElement>('[data-testid="review-submit"]')!.disabled).toBe(true)
    notice.querySelector('button')!.click()
    expect(asked).toBe(1)
    // Not even by Enter in the name field: nothing is sent.
    const name = dialog.querySelector<HTMLInputElement>('#review-name')!
    name.value = 'Zhang Wei'
    name.dispatchEvent(new Event('input', { bubbles: true }))
    dialog.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(r.socket.requests('confirm')).toHaveLength(0)
  })

  it('with the date set, has no such notice', () => {
    const dialog = show('dialog', { store: room('2026-02-28').store, open: true, onClose: () => {}, onSetDueDate: () => {} })
    expect(dialog.querySelector('[data-testid="review-due-date-missing"]')).toBeNull()
  })
})
