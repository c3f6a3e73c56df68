import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_DISCLOSURE_RULES } from '../shared/disclosure/disclosures.ts'
import { disclosureRulesFrom } from './disclosureRules.ts'

describe('disclosureRulesFrom (LPR_TABLE)', () => {
  it('keeps the defaults when unset', () => {
    expect(disclosureRulesFrom(undefined)).toBe(DEFAULT_DISCLOSURE_RULES)
    expect(disclosureRulesFrom('  ')).toBe(DEFAULT_DISCLOSURE_RULES)
  })

  it('reads JSON text or a file', () => {
    const table = [{ effective: '2026-01-20', ratePct: '2.90' }]
    expect(disclosureRulesFrom(JSON.stringify(table)).lpr).toEqual(table)
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lpr-')), 'lpr.json')
    fs.writeFileSync(file, JSON.stringify(table))
    expect(disclosureRulesFrom(file)).toEqual({ ...DEFAULT_DISCLOSURE_RULES, lpr: table })
  })

  it('refuses a bad table rather than warn with a wrong ceiling', () => {
    expect(() => disclosureRulesFrom('[{"effective":"soon","ratePct":"3"}]')).toThrow('LPR_TABLE: [0].effective: expected YYYY-MM-DD')
    expect(() => disclosureRulesFrom('/nonexistent/lpr.json')).toThrow()
  })
})
