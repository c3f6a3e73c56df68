// The glossary by keyboard: a term's "?" is a focusable button that opens the dialog at its entry, Escape
// (or Close) shuts it and focus returns to the button; the room's own figures read as text.
import { flushSync, mount, unmount, tick } from 'svelte'
import { describe, expect, it } from 'vitest'
import { cleanupAfterEach } from '../../../test/support/client/domCleanup.ts'
import { i18n } from './i18n.svelte.ts'
import GlossaryTerm from './GlossaryTerm.svelte'
import GlossaryDialog from './GlossaryDialog.svelte'
import { glossary } from './glossaryState.svelte.ts'
import { glossaryFacts } from './glossaryFacts.ts'
import { DEFAULT_DISCLOSURE_RULES } from '../../../shared/disclosure/disclosures.ts'
import { computeSchedule } from '../../../shared/terms/schedule.ts'
import type { Terms } from '../../../shared/terms/types.ts'

const cleanup = cleanupAfterEach()
const settle = async () => {
  flushSync()
  await tick()
  await new Promise((r) => setTimeout(r, 0))
}

const terms: Terms = { principal: 100_000_000, annualRatePct: '4.35', termMonths: 36, method: 'annuity', upfrontFee: 1_200_000 }

function page(facts = {}) {
  const target = document.createElement('div')
  document.body.append(target)
  const term = mount(GlossaryTerm, { target, props: { term: 'apr' } })
  const dialog = mount(GlossaryDialog, { target, props: { facts } })
  cleanup.push(() => {
    unmount(dialog)
    unmount(term)
    glossary.open = false
  })
  const button = target.querySelector<HTMLButtonElement>('button[data-glossary-term="apr"]')!
  const dlg = target.querySelector<HTMLDialogElement>('dialog')!
  return { button, dlg }
}

describe('glossary', () => {
  it('opens from the keyboard at the term, closes on Escape, and gives focus back', async () => {
    const { button, dlg } = page()
    expect(button.type).toBe('button')
    expect(button.getAttribute('aria-label')).toBe('What is “APR (annualised rate, IRR method)”?')
    button.focus()
    button.click() // Enter or Space on a focused button
    await settle()
    expect(dlg.open).toBe(true)
    expect(document.activeElement?.id).toBe('glossary-apr')
    expect(dlg.querySelectorAll('dt')).toHaveLength(20)
    dlg.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await settle()
    expect(dlg.open).toBe(false)
    expect(document.activeElement).toBe(button)
  })

  it('closes with its Close button too', async () => {
    const { button, dlg } = page()
    button.click()
    await settle()
    const close = [...dlg.querySelectorAll('button')].find((b) => b.textContent === 'Close')!
    close.click()
    await settle()
    expect(dlg.open).toBe(false)
    expect(document.activeElement).toBe(button)
  })

  it('explains with the room’s own figures, in Chinese too, as text', async () => {
    i18n.lang = 'zh'
    const facts = glossaryFacts(terms, computeSchedule(terms), 'CNY', DEFAULT_DISCLOSURE_RULES, Date.parse('2026-01-10T00:00:00Z'))
    expect(facts.apr).toMatch(/^¥12,000\.00 的手续费使年化利率由 4\.35 % 升至 5\.\d\d %。$/)
    expect(facts.protection_ceiling).toContain('12.00 %')
    const { button, dlg } = page({ ...facts, principal: '<b>not html</b>' })
    button.click()
    await settle()
    expect(dlg.querySelector('h2')?.textContent).toBe('术语表')
    expect(dlg.querySelector('[data-testid="glossary-yours-apr"]')?.textContent).toContain('升至')
    expect(dlg.querySelector('[data-testid="glossary-yours-principal"]')?.textContent).toContain('<b>not html</b>')
    expect(dlg.querySelector('b')).toBeNull()
  })
})
