// The field shell and its wrappers in a DOM: the label names the control, the help line turns into the
// error, a figure is published only when meant (Enter, blur, a pause) and only when it reads, Escape goes
// back to the shared value, and an emptied field goes back to or clears the shared value.
import { createRawSnippet, flushSync, mount, unmount } from 'svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanupAfterEach } from '../../../../test/support/client/domCleanup.ts'
import { i18n, t } from '../../lib/i18n.svelte.ts'
import type { Scalar } from '../../../../shared/document/roomDoc.ts'
import SharedField from './SharedField.svelte'
import TermField from './TermField.svelte'
import DateField from './DateField.svelte'
import ChoiceField from './ChoiceField.svelte'
import TextField from './TextField.svelte'
import { PUBLISH_PAUSE_MS } from './fieldDraft.svelte.ts'
import { CONFIRMATION_AT_STAKE } from './confirmationAtStake.ts'
import type { Confirmation } from '../../../../shared/protocol/index.ts'

const cleanup = cleanupAfterEach()
afterEach(() => {
  vi.useRealTimers()
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function show(component: any, props: Record<string, unknown>, context?: Map<unknown, unknown>): HTMLElement {
  const target = document.body.appendChild(document.createElement('div'))
  const app = mount(component, { target, props, ...(context ? { context } : {}) })
  flushSync()
  cleanup.push(() => void unmount(app))
  return target
}

const common = { editors: [], flash: null, onEditing: () => {} }
const help = (target: HTMLElement, id: string) => target.querySelector(`#${id}-help`)!

function type(input: HTMLInputElement, text: string, event = 'input'): void {
  input.value = text
  input.dispatchEvent(new Event(event, { bubbles: true }))
  flushSync()
}

/** Types `text` one key at a time, as a person does (each prefix is the input's value in turn). */
function typeKeys(input: HTMLInputElement, text: string, msBetween = 150): void {
  input.value = ''
  for (const ch of text) {
    type(input, input.value + ch)
    vi.advanceTimersByTime(msBetween)
  }
}

function press(input: HTMLInputElement, key: string): void {
  input.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  flushSync()
}

function blur(input: HTMLInputElement): void {
  input.dispatchEvent(new Event('blur'))
  flushSync()
}

describe('SharedField', () => {
  const control = createRawSnippet(() => ({ render: () => '<input id="f" class="input">' }))

  it('labels the control and shows the help while there is no error', () => {
    const target = show(SharedField, { ...common, id: 'f', label: 'Loan amount', help: 'What is lent', error: null, control })
    const label = target.querySelector('label')!
    expect(label.textContent).toBe('Loan amount')
    expect(label.getAttribute('for')).toBe('f')
    expect(target.querySelector('#f')).not.toBeNull()
    expect(help(target, 'f').textContent).toBe('What is lent')
    expect(help(target, 'f').classList.contains('error')).toBe(false)
  })

  it('shows an error in place of the help, with or without the "!"', () => {
    const withIcon = show(SharedField, { ...common, id: 'f', label: 'L', help: 'H', error: 'Too large', control })
    expect(help(withIcon, 'f').classList.contains('error')).toBe(true)
    expect(help(withIcon, 'f').querySelector('.icon')?.textContent).toBe('!')
    expect(help(withIcon, 'f').textContent).toBe('!Too large')
    document.body.innerHTML = ''
    const plain = show(SharedField, { ...common, id: 'f', label: 'L', help: 'H', error: 'Too large', errorIcon: false, control })
    expect(help(plain, 'f').querySelector('.icon')).toBeNull()
    expect(help(plain, 'f').textContent).toBe('Too large')
  })
})

describe('TermField', () => {
  function term(extra: Record<string, unknown> = {}) {
    const commits: Scalar[] = []
    const target = show(TermField, {
      ...common,
      id: 'term-principal',
      label: 'Loan amount',
      help: 'What is lent',
      kind: 'amount',
      value: 1_000_000,
      digits: 2,
      disabled: false,
      sharedError: null,
      onCommit: (v: Scalar) => {
        commits.push(v)
        return null
      },
      ...extra,
    })
    const id = (extra.id as string | undefined) ?? 'term-principal'
    return { target, commits, input: target.querySelector<HTMLInputElement>(`#${id}`)! }
  }

  it('shows the shared value in groups of three and publishes readable text as minor units on Enter', () => {
    const { input, commits, target } = term()
    expect(input.value).toBe('10,000')
    type(input, '12,500.50')
    expect(commits).toEqual([])
    press(input, 'Enter')
    expect(commits).toEqual([1_250_050])
    expect(input.value).toBe('12,500.50')
    expect(help(target, 'term-principal').textContent).toBe('What is lent')
    expect(input.getAttribute('aria-invalid')).toBeNull()
  })

  it('publishes nothing while a person types key by key, then the whole figure once after a pause', () => {
    vi.useFakeTimers()
    const { input, commits } = term()
    typeKeys(input, '150000')
    expect(commits).toEqual([])
    vi.advanceTimersByTime(PUBLISH_PAUSE_MS)
    flushSync()
    expect(commits).toEqual([15_000_000])
    expect(input.value).toBe('150,000')
  })

  it('reads in groups of three while it is typed, keeps the caret after the same digit, and keeps decimals as typed on a pause', () => {
    vi.useFakeTimers()
    const { input, commits } = term()
    const seen: string[] = []
    input.value = ''
    for (const ch of '150000') {
      type(input, input.value + ch)
      seen.push(input.value)
    }
    expect(seen).toEqual(['1', '15', '150', '1,500', '15,000', '150,000'])
    expect(input.selectionStart).toBe(7)
    // A digit typed inside the figure: the groups shift and the caret stays after it.
    input.value = '1250,000'
    input.setSelectionRange(2, 2)
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: '2' }))
    flushSync()
    expect(input.value).toBe('1,250,000')
    expect(input.selectionStart).toBe(3)
    // Backspace right after a comma takes the digit before it.
    input.value = '1250,000'
    input.setSelectionRange(1, 1)
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }))
    flushSync()
    expect(input.value).toBe('250,000')
    expect(input.selectionStart).toBe(0)
    type(input, '1,234.5')
    vi.advanceTimersByTime(PUBLISH_PAUSE_MS)
    flushSync()
    expect(commits).toEqual([123_450])
    expect(input.value).toBe('1,234.5')
    blur(input)
    expect(input.value).toBe('1,234.50')
  })

  it('groups only money: days, months and rates stay as typed', () => {
    const days = term({ id: 'baseline-daysPastDue', kind: 'days', value: 1 })
    type(days.input, '12345')
    expect(days.input.value).toBe('12345')
  })

  it('publishes on leaving the field, and accepts spaces between the groups', () => {
    const { input, commits } = term()
    type(input, '150 000')
    blur(input)
    expect(commits).toEqual([15_000_000])
    expect(input.value).toBe('150,000')
  })

  it('does not publish a figure that already says the shared value', () => {
    const { input, commits } = term()
    type(input, '10000.00')
    press(input, 'Enter')
    expect(commits).toEqual([])
    expect(input.value).toBe('10,000')
  })

  it('keeps unreadable text to itself and says why, on Enter, blur and after a pause alike', () => {
    vi.useFakeTimers()
    const { input, commits, target } = term()
    type(input, '12abc')
    expect(help(target, 'term-principal').textContent).toBe(`!${t('valid.amount')}`)
    expect(input.getAttribute('aria-invalid')).toBe('true')
    vi.advanceTimersByTime(PUBLISH_PAUSE_MS * 2)
    press(input, 'Enter')
    blur(input)
    expect(commits).toEqual([])
    expect(input.value).toBe('12abc')
    expect(help(target, 'term-principal').textContent).toBe(`!${t('valid.amount')}`)
  })

  it('Escape puts the shared value back, drops the error and cancels the pending publish', () => {
    vi.useFakeTimers()
    const { input, commits, target } = term()
    type(input, '12abc')
    press(input, 'Escape')
    expect(input.value).toBe('10,000')
    expect(help(target, 'term-principal').textContent).toBe('What is lent')
    expect(input.getAttribute('aria-invalid')).toBeNull()
    type(input, '15')
    press(input, 'Escape')
    vi.advanceTimersByTime(PUBLISH_PAUSE_MS * 2)
    expect(commits).toEqual([])
    expect(input.value).toBe('10,000')
  })

  it('shows the refusal the commit answers with, and keeps the draft', () => {
    const { input, target } = term({ onCommit: () => 'Over the limit' })
    type(input, '5')
    expect(help(target, 'term-principal').textContent).toBe('What is lent')
    press(input, 'Enter')
    expect(help(target, 'term-principal').textContent).toBe('!Over the limit')
    expect(input.value).toBe('5')
  })

  it('names the limit a rate or a term breaks, and never publishes it', () => {
    const rate = term({ id: 'term-annualRatePct', kind: 'rate', value: '4.35' })
    type(rate.input, '4.12345')
    press(rate.input, 'Enter')
    expect(help(rate.target, 'term-annualRatePct').textContent).toBe(`!${t('valid.rateDecimals', { digits: 4 })}`)
    expect(rate.commits).toEqual([])
    document.body.innerHTML = ''
    const months = term({ id: 'term-termMonths', kind: 'months', value: 120 })
    type(months.input, '601')
    blur(months.input)
    expect(help(months.target, 'term-termMonths').textContent).toBe(`!${t('valid.monthsMax', { max: 600 })}`)
    expect(help(months.target, 'term-termMonths').textContent).toContain('At most 600')
    expect(months.commits).toEqual([])
  })

  it('puts the shared value back when a required field is left empty', () => {
    const { input, commits } = term()
    type(input, '')
    expect(commits).toEqual([])
    blur(input)
    expect(input.value).toBe('10,000')
  })

  it('clears an optional field that is emptied, once it is published', () => {
    let cleared = 0
    const { input, commits } = term({ optional: true, onClear: () => cleared++ })
    type(input, ' ')
    expect(cleared).toBe(0)
    press(input, 'Enter')
    expect(cleared).toBe(1)
    expect(commits).toEqual([])
  })
})

describe('an edit that would clear the other side\'s confirmation', () => {
  const lenderConfirmed: Confirmation = { role: 'lender', name: 'Li Na', fullName: 'Li Na', hash: '115d2c9ae0f14b7a', ts: 1 }
  let atStake: Confirmation | null = lenderConfirmed
  const context = () => new Map<unknown, unknown>([[CONFIRMATION_AT_STAKE, () => atStake]])
  const notice = (target: HTMLElement) => target.querySelector('#term-upfrontFee-clears')!

  function fee() {
    const commits: Scalar[] = []
    const props = {
      ...common,
      id: 'term-upfrontFee',
      label: 'Upfront fee',
      help: 'H',
      kind: 'amount',
      value: 0,
      digits: 2,
      disabled: false,
      sharedError: null,
      onCommit: (v: Scalar) => (commits.push(v), null),
    }
    const target = show(TermField, props, context())
    return { target, commits, input: target.querySelector<HTMLInputElement>('#term-upfrontFee')! }
  }

  it('says whose confirmation publishing clears while the draft differs, before anything is written', () => {
    atStake = lenderConfirmed
    const { target, input, commits } = fee()
    expect(notice(target).getAttribute('role')).toBe('status')
    expect(notice(target).textContent).toBe('')
    type(input, '3000')
    expect(commits).toEqual([])
    expect(notice(target).textContent).toBe('Li Na (Lender) has confirmed version 115d2c9a; changing this clears that confirmation.')
    // Back to what is shared: nothing would change, so nothing is said.
    type(input, '0')
    expect(notice(target).textContent).toBe('')
    type(input, '3000')
    press(input, 'Escape')
    expect(notice(target).textContent).toBe('')
  })

  it('says it in Chinese too', () => {
    atStake = lenderConfirmed
    i18n.lang = 'zh'
    const { target, input } = fee()
    type(input, '3000')
    expect(notice(target).textContent).toBe('Li Na（出借人）已确认版本 115d2c9a；修改此项会清除该确认。')
  })

  it('says nothing when no confirmation of the current content stands', () => {
    atStake = null
    const { target, input } = fee()
    type(input, '3000')
    expect(notice(target).textContent).toBe('')
  })
})

describe('DateField', () => {
  it('publishes a complete date on Enter or blur, not on change alone', () => {
    const commits: string[] = []
    const target = show(DateField, {
      ...common,
      id: 'commit-firstDueDate',
      label: 'First payment',
      help: 'H',
      value: undefined,
      disabled: false,
      sharedError: null,
      onCommit: (v: string) => (commits.push(v), null),
    })
    const input = target.querySelector<HTMLInputElement>('#commit-firstDueDate')!
    type(input, '2025-07-31', 'change')
    expect(commits).toEqual([])
    blur(input)
    expect(commits).toEqual(['2025-07-31'])
  })
})

describe('TextField', () => {
  it('is free text, so it is written as typed', () => {
    const written: string[] = []
    const target = show(TextField, {
      ...common,
      id: 'waiver-feesReason',
      label: 'Reason',
      help: 'H',
      value: '',
      disabled: false,
      maxlength: 200,
      error: null,
      onInput: (v: string) => written.push(v),
    })
    const input = target.querySelector<HTMLInputElement>('#waiver-feesReason')!
    type(input, 'J')
    type(input, 'Jo')
    expect(written).toEqual(['J', 'Jo'])
  })
})

describe('FieldActivity', () => {
  it('says who is editing which field, in English and Chinese', () => {
    const control = createRawSnippet(() => ({ render: () => '<input id="f" class="input">' }))
    const editors = [{ clientId: 2, self: false, name: 'Li Na', color: '#123456', role: 'lender', editing: 'principal' }]
    const en = show(SharedField, { ...common, editors, id: 'f', label: 'Loan amount', help: 'H', error: null, control })
    expect(en.querySelector('.activity')?.textContent?.trim()).toBe('Li Na is editing Loan amount')
    document.body.innerHTML = ''
    i18n.lang = 'zh'
    const zh = show(SharedField, { ...common, editors, id: 'f', label: '借款金额', help: 'H', error: null, control })
    expect(zh.querySelector('.activity')?.textContent?.trim()).toBe('Li Na 正在编辑借款金额')
  })
})

describe('ChoiceField', () => {
  const options = [
    { value: 'a', label: 'Alpha' },
    { value: 'b', label: 'Beta' },
  ]

  it('as radios, names the group with a legend and commits the chosen value', () => {
    const commits: string[] = []
    const target = show(ChoiceField, {
      ...common,
      id: 'term-graceInterest',
      label: 'Grace interest',
      help: 'H',
      options,
      value: 'a',
      disabled: false,
      error: 'Pick one',
      variant: 'radio',
      onCommit: (v: string) => commits.push(v),
    })
    const legend = target.querySelector('fieldset.radios legend')!
    expect(legend.id).toBe('term-graceInterest-legend')
    expect(legend.textContent).toBe('Grace interest')
    expect(target.querySelector('label[for]')).toBeNull()
    expect(help(target, 'term-graceInterest').textContent).toBe('Pick one')
    const beta = target.querySelector<HTMLInputElement>('input[value="b"]')!
    beta.checked = true
    beta.dispatchEvent(new Event('change', { bubbles: true }))
    expect(commits).toEqual(['b'])
  })

  it('as a list, is labelled like any other field', () => {
    const target = show(ChoiceField, { ...common, id: 'term-method', label: 'Method', help: 'H', options, value: 'b', disabled: false, error: null, onCommit: () => {} })
    expect(target.querySelector('label[for="term-method"]')?.textContent).toBe('Method')
    expect(target.querySelector<HTMLSelectElement>('#term-method')!.value).toBe('b')
  })
})
