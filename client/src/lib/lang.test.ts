import { describe, expect, it } from 'vitest'
import { initialLang } from './lang.ts'

describe('language', () => {
  it('prefers the stored choice, then the browser language', () => {
    expect(initialLang('en', ['zh-CN'])).toBe('en')
    expect(initialLang(null, ['zh-TW', 'en'])).toBe('zh')
    expect(initialLang(null, ['fr-FR', 'en-GB'])).toBe('en')
    expect(initialLang(null, ['fr'])).toBe('en')
  })
})
