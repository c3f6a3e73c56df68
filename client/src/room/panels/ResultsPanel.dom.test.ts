// The results panel in a DOM: money in the room's currency as Intl writes it for each language, and the
// chart/schedule tabs that follow the arrow keys (WAI-ARIA tabs).
import { flushSync, mount, unmount } from 'svelte'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../../../test/support/client/domCleanup.ts'
import * as Y from 'yjs'
import { i18n } from '../../lib/i18n.svelte.ts'
import { openFakeRoom } from '../../../../test/support/client/fakeRoom.ts'
import ResultsPanel from './ResultsPanel.svelte'

const cleanup = cleanupAfterEach()

/** 12,000.00 over 12 months at 0 %: 1,000.00 a month, 12,000.00 in all. */
function show(currency: string): HTMLElement {
  const server = new Y.Doc()
  const terms = server.getMap('terms')
  terms.set('principal', 1_200_000)
  terms.set('annualRatePct', '0')
  terms.set('termMonths', 12)
  terms.set('method', 'annuity')
  const room = openFakeRoom({ info: { currency } })
  room.join(server)
  const target = document.body.appendChild(document.createElement('div'))
  const panel = mount(ResultsPanel, { target, props: { store: room.store } })
  flushSync()
  cleanup.push(() => room.close(), () => void unmount(panel))
  return target
}

/** The exact final text of a figure (the moving digits beside it are decorative). */
const figure = (target: HTMLElement, testid: string) => target.querySelector(`[data-testid="${testid}"] .visually-hidden`)?.textContent

describe('ResultsPanel', () => {
  it('formats money with Intl in the chosen language and the room’s currency', () => {
    i18n.lang = 'en'
    const target = show('CNY')
    expect(figure(target, 'instalment')).toBe('CN¥1,000.00')
    expect(figure(target, 'total-paid')).toBe('CN¥12,000.00')
    i18n.lang = 'zh'
    flushSync()
    expect(figure(target, 'instalment')).toBe('¥1,000.00')
    expect(figure(target, 'total-paid')).toBe('¥12,000.00')
  })

  it('writes a currency without minor units without decimals', () => {
    i18n.lang = 'zh'
    // JPY has no minor unit: 1,200,000 "minor" units are ¥1,200,000.
    const target = show('JPY')
    expect(figure(target, 'instalment')).toBe('JP¥100,000')
  })

  it('moves between the chart and the schedule with the arrow keys', () => {
    const target = show('CNY')
    const chartTab = target.querySelector<HTMLButtonElement>('#tab-chart')!
    expect(chartTab.getAttribute('aria-selected')).toBe('true')
    expect(target.querySelector('#panel-chart')).not.toBeNull()
    chartTab.focus()
    chartTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
    flushSync()
    const scheduleTab = target.querySelector<HTMLButtonElement>('#tab-schedule')!
    expect(scheduleTab.getAttribute('aria-selected')).toBe('true')
    expect(scheduleTab.tabIndex).toBe(0)
    expect(chartTab.tabIndex).toBe(-1)
    expect(document.activeElement).toBe(scheduleTab)
    expect(target.querySelector('#panel-chart')).toBeNull()
    // The schedule of 12 months (rows are windowed, so count what the table says it holds).
    expect(target.querySelector('#panel-schedule table')?.getAttribute('aria-rowcount')).toBe('14')
    scheduleTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }))
    flushSync()
    expect(document.activeElement).toBe(chartTab)
    expect(target.querySelector('#panel-chart')).not.toBeNull()
  })
})
