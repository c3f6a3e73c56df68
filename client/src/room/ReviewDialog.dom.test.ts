// The review dialog says what changed since the reader last confirmed (or else last reviewed), with before
// → after figures for the changed terms and the instalment and APR they lead to. The transport is faked
// (test/support/client); the store, the client and the Yjs document are the real ones.
import { flushSync, mount, unmount } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../../test/support/client/domCleanup.ts'
import * as Y from 'yjs'
import { i18n } from '../lib/i18n.svelte.ts'
import { openFakeRoom, roomState, type FakeRoom } from '../../../test/support/client/fakeRoom.ts'
import ReviewDialog from './ReviewDialog.svelte'
import { eventText } from './eventText.ts'
import type { RoomEventLine } from '../../../shared/protocol/index.ts'

const cleanup = cleanupAfterEach()
afterEach(() => {
  localStorage.clear()
})

const settle = () => new Promise((r) => setTimeout(r, 0))

/** ¥12,000 over 12 months at 8.3 %, no fee; the borrower's screen, in step with the server. */
function room(server = new Y.Doc()): { room: FakeRoom; server: Y.Doc; change: (f: (terms: Y.Map<unknown>) => void) => void } {
  const terms = server.getMap('terms')
  if (terms.size === 0) {
    terms.set('principal', 1_200_000)
    terms.set('annualRatePct', '8.3')
    terms.set('termMonths', 12)
    terms.set('method', 'annuity')
    server.getMap('commitments').set('firstDueDate', '2026-02-28')
  }
  const r = openFakeRoom()
  r.join(server)
  r.socket.push('room:state', roomState({ currentHash: r.store.localHash }))
  cleanup.push(() => r.close())
  const change = (f: (terms: Y.Map<unknown>) => void) => {
    const before = Y.encodeStateVector(server)
    f(terms)
    r.serverUpdate(Y.encodeStateAsUpdate(server, before))
    r.socket.push('room:state', roomState({ currentHash: r.store.localHash }))
    flushSync()
  }
  return { room: r, server, change }
}

/** Opens the review (a fresh dialog each time, as the room mounts it open); answers its element and a close. */
function openReview(r: FakeRoom): { target: HTMLElement; close: () => void } {
  const target = document.body.appendChild(document.createElement('div'))
  const dialog = mount(ReviewDialog, { target, props: { store: r.store, open: true, onClose: () => {}, onSetDueDate: () => {} } })
  flushSync()
  return { target, close: () => void unmount(dialog) }
}

const changes = (target: HTMLElement) => [...target.querySelectorAll('[data-testid="review-changes"] li')].map((li) => li.textContent)
const heading = (target: HTMLElement) => target.querySelector('#review-since-title')?.textContent

async function confirm(r: FakeRoom, target: HTMLElement): Promise<void> {
  const name = target.querySelector<HTMLInputElement>('#review-name')!
  name.value = 'Zhang Wei'
  name.dispatchEvent(new Event('input', { bubbles: true }))
  flushSync()
  target.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  await settle()
  const sent = r.socket.requests('confirm')
  expect(sent).toHaveLength(1)
  sent[0]!.ack({ ok: true, state: roomState({ currentHash: r.store.localHash }) })
  await settle()
  flushSync()
}

describe('ReviewDialog: what changed since', () => {
  it('says nothing the first time, then the changed fee with the instalment and APR since the last confirmation', async () => {
    const { room: r, change } = room()
    const first = openReview(r)
    expect(first.target.querySelector('[data-testid="review-changes"]')).toBeNull()
    await confirm(r, first.target)
    first.close()

    change((terms) => terms.set('upfrontFee', 300_000))
    const again = openReview(r)
    expect(heading(again.target)).toBe('Changed since you last confirmed')
    const lines = changes(again.target)
    expect(lines[0]).toBe('Upfront fee CN¥0.00 → CN¥3,000.00')
    expect(lines[1]).toMatch(/^APR 8\.\d\d % → \d\d\.\d\d %$/)
    // The fee does not change the instalment, so no line says it did.
    expect(lines).toHaveLength(2)
    again.close()

    // Opening the review again does not move the mark: the confirmation is still what is compared with.
    change((terms) => terms.set('termMonths', 24))
    const third = openReview(r)
    expect(heading(third.target)).toBe('Changed since you last confirmed')
    expect(changes(third.target).slice(0, 2)).toEqual(['Term, months 12 → 24', 'Upfront fee CN¥0.00 → CN¥3,000.00'])
    expect(changes(third.target)[2]).toMatch(/^Monthly payment CN¥1,04\d\.\d\d → CN¥5\d\d\.\d\d$/)
  })

  it('without a confirmation, compares with the last opening of the review, in Chinese too', () => {
    i18n.lang = 'zh'
    const { room: r, change } = room()
    openReview(r).close()
    change((terms) => terms.set('annualRatePct', '9.5'))
    const again = openReview(r)
    expect(heading(again.target)).toBe('自您上次核对以来的修改')
    expect(changes(again.target)[0]).toBe('年利率（%） 8.30 % → 9.50 %')
    again.close()
    // That opening is now the mark: with nothing changed since, nothing is listed.
    const third = openReview(r)
    expect(third.target.querySelector('[data-testid="review-changes"]')).toBeNull()
  })

  it('a reload keeps the mark: the new page still lists what changed since the confirmation', async () => {
    const { room: r, server, change } = room()
    const first = openReview(r)
    await confirm(r, first.target)
    first.close()
    change((terms) => terms.set('upfrontFee', 300_000))
    r.close()

    // A new page on the same room and role (the store reads the mark back from localStorage).
    const reloaded = room(server).room
    const again = openReview(reloaded)
    expect(heading(again.target)).toBe('Changed since you last confirmed')
    expect(changes(again.target)[0]).toBe('Upfront fee CN¥0.00 → CN¥3,000.00')
  })

  it('names restructuring changes by their own field, and a clause edit as an edit', () => {
    const { room: r, server } = room()
    openReview(r).close()
    const before = Y.encodeStateVector(server)
    server.getMap('commitments').set('creditReporting', 'no_change')
    server.getText('clauses').insert(0, 'Paid by transfer.')
    r.serverUpdate(Y.encodeStateAsUpdate(server, before))
    flushSync()
    expect(changes(openReview(r).target)).toEqual(['Reporting to the credit bureau — → No change in reporting', 'Additional conditions edited'])
  })
})

describe('the chat line of cleared confirmations', () => {
  const line = (changes: unknown[]): RoomEventLine => ({ kind: 'event', seq: 5, ts: 0, type: 'cleared', actor: { role: 'lender', name: 'Li Na' }, params: { hash: 'ab', changes } })
  const fee = { section: 'terms', key: 'upfrontFee', kind: 'money', before: 0, after: 300_000 }
  const apr = { section: 'figures', key: 'aprPct', kind: 'rate', before: '8.2999', after: '28.3012' }

  it('says what changed, with the figures, in English and Chinese', () => {
    expect(eventText(line([fee, apr]), 'mediator', 'CNY')).toBe('Confirmations cleared — Upfront fee CN¥0.00 → CN¥3,000.00 · APR 8.30 % → 28.30 %')
    i18n.lang = 'zh'
    expect(eventText(line([fee, apr]), 'mediator', 'CNY')).toBe('确认已清除：前期费用 ¥0.00 → ¥3,000.00 · 年化利率 8.30 % → 28.30 %')
  })

  it('an older line without changes reads as before; a computed rate moving under 0.01 shows four decimals', () => {
    expect(eventText(line([]), 'mediator', 'CNY')).toBe('The proposal changed, so the confirmations were cleared')
    expect(eventText(line([{ ...apr, after: '8.3001' }]), 'mediator', 'CNY')).toBe('Confirmations cleared — APR 8.2999 % → 8.3001 %')
  })
})
