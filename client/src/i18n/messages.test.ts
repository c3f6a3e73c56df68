import { describe, expect, it } from 'vitest'
import { errorKey, messages, translate, type MessageKey } from './index.ts'
import { ERROR_CODES_FOR_TEST } from '../../../test/support/protocol/errorCodes.ts'
import * as agreement from './agreement.ts'
import * as attachments from './attachments.ts'
import * as chat from './chat.ts'
import * as common from './common.ts'
import * as confirm from './confirm.ts'
import * as connection from './connection.ts'
import * as errors from './errors.ts'
import * as exports from './exports.ts'
import * as lobby from './lobby.ts'
import * as observers from './observers.ts'
import * as pause from './pause.ts'
import * as proposal from './proposal.ts'
import * as replay from './replay.ts'
import * as restructuring from './restructuring.ts'
import * as results from './results.ts'
import * as glossary from './glossary.ts'
import * as disclosure from './disclosure.ts'
import * as deescalate from './deescalate.ts'
import * as staff from './staff.ts'

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

  it('holds each key in one feature file only, the file of its first segment', () => {
    // The agreement's table is the PDF's (its 'agreement.*' and the plain-language summary's 'review.*');
    // the review dialog's label 'review.fingerprint' is the one key both hold, and the dialog's wins.
    expect(Object.keys(agreement.en).filter((k) => k in confirm.en)).toEqual(['review.fingerprint'])
    expect(messages.en['review.fingerprint']).toBe(confirm.en['review.fingerprint'])
    expect(messages.zh['review.fingerprint']).toBe(confirm.zh['review.fingerprint'])

    const features = { attachments, chat, common, confirm, connection, lobby, proposal, replay, restructuring, results, exports, pause, glossary, disclosure, deescalate, observers, staff }
    const fileOf = new Map<string, string>()
    for (const [name, table] of Object.entries(features)) {
      for (const key of Object.keys(table.en)) {
        expect(fileOf.get(key), `${key} in ${name}`).toBeUndefined()
        fileOf.set(key, name)
      }
    }
    for (const code of Object.keys(errors.en)) fileOf.set(`error.${code}`, 'errors')
    for (const key of Object.keys(agreement.en)) if (!fileOf.has(key)) fileOf.set(key, 'agreement')
    expect(fileOf.size).toBe(Object.keys(messages.en).length)

    const filesOfSegment = new Map<string, Set<string>>()
    for (const [key, name] of fileOf) {
      if (name === 'agreement') continue
      const segment = key.split('.')[0]!
      filesOfSegment.set(segment, (filesOfSegment.get(segment) ?? new Set()).add(name))
    }
    for (const [segment, names] of filesOfSegment) expect([...names], segment).toHaveLength(1)
  })
})
