import { describe, expect, it } from 'vitest'
import { messages, type MessageKey } from './index.ts'
import { BASELINE_KEYS } from '../../../shared/restructuring/baseline.ts'
import { COMMITMENT_KEYS, CREDIT_REPORTING } from '../../../shared/restructuring/commitments.ts'
import { reasonKey, WAIVER_CATEGORIES } from '../../../shared/restructuring/waivers.ts'
import { GRACE_INTEREST, METHODS } from '../lib/termFields.ts'
import { codeValueLabel, labelKey, mapFieldLabel, METHOD_HELP, METHOD_LABEL, PROBLEM_TEXT, ROLE_LABEL, WARNING_TEXT } from './labels.ts'

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

describe('labels of the replay', () => {
  const both = (key: MessageKey | undefined, what: string) => {
    expect(key, what).toBeDefined()
    for (const lang of ['en', 'zh'] as const) expect(messages[lang][key!], `${what} in ${lang}`).toMatch(/\S/)
    expect(messages.zh[key!], `${what} is translated`).not.toBe(messages.en[key!])
  }

  it('names every key of the baseline, waivers and commitments in English and Chinese', () => {
    for (const key of BASELINE_KEYS) both(mapFieldLabel('baseline', key), `baseline.${key}`)
    for (const c of WAIVER_CATEGORIES) for (const key of [c, reasonKey(c)]) both(mapFieldLabel('waivers', key), `waivers.${key}`)
    for (const key of COMMITMENT_KEYS) both(mapFieldLabel('commitments', key), `commitments.${key}`)
    expect(mapFieldLabel('commitments', 'toString')).toBeUndefined()
  })

  it('names every coded value: reporting choices, lapse outcomes, methods, grace interest', () => {
    for (const v of CREDIT_REPORTING) both(codeValueLabel('creditReporting', v), `creditReporting=${v}`)
    for (const v of [true, false]) both(codeValueLabel('lapseRestoresBaseline', v), `lapseRestoresBaseline=${v}`)
    for (const v of METHODS) {
      both(codeValueLabel('method', v), `method=${v}`)
      both(codeValueLabel('originalMethod', v), `originalMethod=${v}`)
    }
    for (const v of GRACE_INTEREST) both(codeValueLabel('graceInterest', v), `graceInterest=${v}`)
    expect(codeValueLabel('creditReporting', 'constructor')).toBeUndefined()
    expect(codeValueLabel('principal', 100)).toBeUndefined()
  })

  it('names every role', () => {
    for (const role of ['borrower', 'lender', 'observer'] as const) both(ROLE_LABEL[role], role)
  })
})
