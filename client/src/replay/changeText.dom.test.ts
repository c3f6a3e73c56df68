// The replay's change lines show money exactly as the room does (format.ts money(): the currency's symbol in
// the chosen language, groups of three, the minor digits), in English and Chinese.
import { afterEach, describe, expect, it } from 'vitest'
import { i18n } from '../lib/i18n.svelte.ts'
import { money } from '../lib/format.ts'
import { changeText, valueText } from './changeText.ts'
import type { ChangeEntry } from './groupChanges.ts'

afterEach(() => {
  i18n.lang = 'en'
})

const entry = (key: string, from: number, to: number, root: 'terms' | 'profile' | 'baseline' = 'terms'): ChangeEntry => ({
  kind: 'key',
  seq: 9,
  firstSeq: 7,
  ts: Date.UTC(2026, 0, 5, 6, 30),
  actor: { role: 'borrower', name: 'Zhang Wei' },
  root,
  key,
  from,
  to,
})

describe('replay change lines', () => {
  it('show a changed amount before → after as the room shows money, in English', () => {
    const line = changeText(entry('principal', 10_000_000, 15_000_000), 'CNY', 'mediator')
    expect(line).toContain(`changed the loan amount ${money(10_000_000, 'CNY')} → ${money(15_000_000, 'CNY')}`)
    expect(line).toMatch(/CN¥100,000\.00 → CN¥150,000\.00$/)
  })

  it('and in Chinese', () => {
    i18n.lang = 'zh'
    const line = changeText(entry('principal', 10_000_000, 15_000_000), 'CNY', 'mediator')
    expect(line).toContain(`由 ${money(10_000_000, 'CNY')} 改为 ${money(15_000_000, 'CNY')}`)
    expect(line).toMatch(/¥100,000\.00 改为 ¥150,000\.00$/)
  })

  it('format every money figure alike: fees, the baseline and the declared situation, any currency', () => {
    for (const lang of ['en', 'zh'] as const) {
      i18n.lang = lang
      expect(valueText('upfrontFee', 123_456, 'CNY')).toBe(money(123_456, 'CNY'))
      expect(valueText('outstandingPrincipal', 8_000_000, 'CNY', 'baseline')).toBe(money(8_000_000, 'CNY'))
      expect(valueText('monthlyIncome', 1_200_000, 'USD', 'profile')).toBe(money(1_200_000, 'USD'))
      expect(valueText('principal', 5_000_000, 'JPY')).toBe(money(5_000_000, 'JPY'))
    }
  })
})
