import { describe, expect, it } from 'vitest'
import { errorKey, messages, translate, type MessageKey } from './index.ts'
import { ERROR_CODES_FOR_TEST } from '../../../test/support/protocol/errorCodes.ts'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message table', () => {
  it('has every key in both languages with the same placeholders', () => {
    const keys = Object.keys(messages.en) as MessageKey[]
    expect(Object.keys(messages.zh).sort()).toEqual([...keys].sort())
    for (const k of keys) {
      expect(messages.zh[k], k).not.toBe('')
      expect(placeholders(messages.zh[k]), k).toEqual(placeholders(messages.en[k]))
    }
  })

  it('uses the Chinese method names', () => {
    expect(messages.zh['method.annuity']).toBe('等额本息')
    expect(messages.zh['method.equal_principal']).toBe('等额本金')
    expect(messages.zh['method.interest_only']).toBe('先息后本')
    expect(messages.zh['method.bullet']).toBe('一次性还本付息')
  })

  it('translates every error code the server can send', () => {
    for (const code of ERROR_CODES_FOR_TEST) expect(errorKey(code), code).not.toBe('error.unknown')
    expect(translate('en', errorKey('something_new'), { code: 'something_new' })).toContain('something_new')
  })

})
