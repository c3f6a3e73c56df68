import { describe, expect, it } from 'vitest'
import { messages, type MessageKey } from './index.ts'
import { labelKey, METHOD_HELP, METHOD_LABEL, PROBLEM_TEXT, WARNING_TEXT } from './labels.ts'

const exists = (key: string): key is MessageKey => Object.hasOwn(messages.en, key)

describe('labels of typed unions', () => {
  it('reads only the values of the union, never a prototype key', () => {
    expect(labelKey(METHOD_LABEL, 'bullet')).toBe('method.bullet')
    expect(labelKey(METHOD_HELP, 'annuity')).toBe('method.annuity.help')
    for (const v of ['toString', '__proto__', 'constructor', '', 'Bullet', undefined]) expect(labelKey(METHOD_LABEL, v)).toBeUndefined()
  })

  it('gives each verifier code its own reason when there is one, else the generic one', () => {
    for (const [code, key] of Object.entries(PROBLEM_TEXT)) {
      const own = `replay.problem.${code}`
      expect(key, code).toBe(exists(own) ? own : 'replay.problem.other')
    }
    for (const [code, key] of Object.entries(WARNING_TEXT)) expect(key, code).toBe(`replay.warning.${code}`)
  })
})
