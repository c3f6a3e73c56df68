import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMajor } from '../../../shared/format/money.ts'
import { editAmount, group, regroup, ungroup } from './groupedAmount.ts'

/** "1,5|0,000" → the text and the caret index the "|" marks. */
function at(marked: string): { text: string; caret: number } {
  return { text: marked.replace('|', ''), caret: marked.indexOf('|') }
}

/** Types one key at the caret of a marked text, as the input would before the field regroups it. */
function typeAt(marked: string, key: string): { text: string; caret: number } {
  const { text, caret } = at(marked)
  return regroup(text.slice(0, caret) + key + text.slice(caret), caret + key.length)
}

const digits = fc.stringMatching(/^\d{0,16}$/)
const figure = fc.tuple(digits, fc.option(fc.stringMatching(/^\d{0,3}$/), { nil: undefined })).map(([w, f]) => (f === undefined ? w : `${w}.${f}`))

describe('grouped amount', () => {
  it('groups the whole part in threes and keeps the decimals as typed', () => {
    expect(group('150000')).toBe('150,000')
    expect(group('1234567.8')).toBe('1,234,567.8')
    expect(group('1234.')).toBe('1,234.')
    expect(group('.50')).toBe('.50')
    expect(group('999')).toBe('999')
    expect(group('12abc')).toBe('12abc')
  })

  it('reads "150,000" while "150000" is typed key by key, the caret at the end', () => {
    let state = { text: '', caret: 0 }
    for (const key of '150000') state = regroup(state.text + key, state.caret + 1)
    expect(state).toEqual({ text: '150,000', caret: 7 })
  })

  it('keeps the caret after the same digit when a group shifts', () => {
    expect(typeAt('1|50,000', '2')).toEqual(at('1,2|50,000'))
    expect(typeAt('|999', '1')).toEqual(at('1|,999'))
    expect(typeAt('1,234|.5', '0')).toEqual(at('12,340|.5'))
    expect(typeAt('1,234.|', '5')).toEqual(at('1,234.5|'))
  })

  it('deletes the digit before a mark on Backspace and the one after it on Delete', () => {
    // The input has already dropped the comma; the field takes the digit with it.
    expect(editAmount('1,234', '1234', 1, 'deleteContentBackward')).toEqual(at('|234'))
    expect(editAmount('12,345', '12345', 2, 'deleteContentBackward')).toEqual(at('1|,345'))
    expect(editAmount('12,345', '12345', 2, 'deleteContentForward')).toEqual(at('1,2|45'))
    // A digit deleted next to a mark regroups as usual.
    expect(editAmount('12,345', '1,345', 1, 'deleteContentBackward')).toEqual(at('1|,345'))
    expect(editAmount('1,234,567', '1,23,567', 4, 'deleteContentBackward')).toEqual(at('123|,567'))
  })

  it('takes a pasted grouped figure as it is, and groups a pasted plain or spaced one', () => {
    expect(editAmount('', '1,234,567.89', 12, 'insertFromPaste')).toEqual(at('1,234,567.89|'))
    expect(editAmount('', '1234567.89', 10, 'insertFromPaste')).toEqual(at('1,234,567.89|'))
    expect(editAmount('', '1 234 567', 9, 'insertFromPaste')).toEqual(at('1,234,567|'))
  })

  it('turns full-width digits typed with a Chinese IME into a grouped figure', () => {
    expect(regroup('１２３４５', 5)).toEqual(at('12,345|'))
  })

  it('leaves text that is not a plain figure as typed, caret and all', () => {
    for (const text of ['12abc', '-500', '1.2.3', '¥100', '1e5']) expect(regroup(text, 2)).toEqual({ text, caret: 2 })
  })

  it('ungroups what it groups, and the grouped text reads as the same amount', () => {
    fc.assert(
      fc.property(figure, (x) => {
        expect(ungroup(group(x))).toBe(x)
        const plain = parseMajor(x, 3)
        if (plain.ok) expect(parseMajor(group(x), 3)).toEqual(plain)
      }),
    )
  })

  it('keeps the caret after the same digit wherever it is, and regrouping grouped text changes nothing', () => {
    fc.assert(
      fc.property(figure, fc.nat(), (x, n) => {
        const caret = n % (x.length + 1)
        const out = regroup(x, caret)
        expect(ungroup(out.text)).toBe(x)
        expect(ungroup(out.text.slice(0, out.caret))).toBe(x.slice(0, caret))
        expect(regroup(out.text, out.caret)).toEqual(out)
      }),
    )
  })

  it('after typing a digit anywhere in grouped text, the caret stands right after that digit', () => {
    fc.assert(
      fc.property(figure, fc.nat(), fc.constantFrom(...'0123456789'), (x, n, key) => {
        const grouped = group(x)
        const caret = n % (grouped.length + 1)
        const out = regroup(grouped.slice(0, caret) + key + grouped.slice(caret), caret + 1)
        const plainCaret = ungroup(grouped.slice(0, caret)).length
        expect(ungroup(out.text)).toBe(ungroup(grouped).slice(0, plainCaret) + key + ungroup(grouped).slice(plainCaret))
        expect(out.text[out.caret - 1]).toBe(key)
        expect(ungroup(out.text.slice(0, out.caret)).length).toBe(plainCaret + 1)
      }),
    )
  })
})
