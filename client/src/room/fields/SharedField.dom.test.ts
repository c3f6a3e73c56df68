// The field shell and its wrappers in a DOM: the label names the control, the help line turns into the
// error, only readable text is written, and an emptied field goes back to or clears the shared value.
import { createRawSnippet, flushSync, mount, unmount } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import { i18n, t } from '../../lib/i18n.svelte.ts'
import type { Scalar } from '../../../../shared/document/roomDoc.ts'
import SharedField from './SharedField.svelte'
import TermField from './TermField.svelte'
import DateField from './DateField.svelte'
import ChoiceField from './ChoiceField.svelte'

let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup.reverse()) c()
  cleanup = []
  document.body.innerHTML = ''
  i18n.lang = 'en'
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function show(component: any, props: Record<string, unknown>): HTMLElement {
  const target = document.body.appendChild(document.createElement('div'))
  const app = mount(component, { target, props })
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
    return { target, commits, input: target.querySelector<HTMLInputElement>('#term-principal')! }
  }

  it('shows the shared value and commits readable text as minor units', () => {
    const { input, commits, target } = term()
    expect(input.value).toBe('10000')
    type(input, '12,500.50')
    expect(commits).toEqual([1_250_050])
    expect(help(target, 'term-principal').textContent).toBe('What is lent')
    expect(input.getAttribute('aria-invalid')).toBeNull()
  })

  it('keeps unreadable text to itself and says why', () => {
    const { input, commits, target } = term()
    type(input, '12abc')
    expect(commits).toEqual([])
    expect(help(target, 'term-principal').textContent).toBe(`!${t('valid.amount')}`)
    expect(input.getAttribute('aria-invalid')).toBe('true')
  })

  it('shows the refusal the commit answers with', () => {
    const { input, target } = term({ onCommit: () => 'Over the limit' })
    type(input, '5')
    expect(help(target, 'term-principal').textContent).toBe('!Over the limit')
  })

  it('puts the shared value back when a required field is left empty', () => {
    const { input, commits } = term()
    type(input, '')
    expect(commits).toEqual([])
    input.dispatchEvent(new Event('blur'))
    flushSync()
    expect(input.value).toBe('10000')
  })

  it('clears an optional field that is emptied', () => {
    let cleared = 0
    const { input, commits } = term({ optional: true, onClear: () => cleared++ })
    type(input, ' ')
    expect(cleared).toBe(1)
    expect(commits).toEqual([])
  })
})

describe('DateField', () => {
  it('commits a complete date on change', () => {
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
    type(target.querySelector<HTMLInputElement>('#commit-firstDueDate')!, '2025-07-31', 'change')
    expect(commits).toEqual(['2025-07-31'])
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
