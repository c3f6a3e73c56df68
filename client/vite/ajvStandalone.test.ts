// The browser's precompiled validators must answer exactly like the server's ajv.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileAll, loadSharedSchemas } from './ajvStandalone.ts'
import { termsSchema, validateTerms } from '../../shared/schema/terms.schema.ts'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'

describe('precompiled schemas for the browser', () => {
  it('agree with the runtime validator on the terms schema', async () => {
    const schemas = await loadSharedSchemas()
    expect(schemas.map((x) => JSON.stringify(x))).toContain(JSON.stringify(termsSchema))
    const code = compileAll(schemas)
    expect(code).not.toMatch(/require\(/)
    // The format checkers are resolved from this package when the module is loaded from a data: URL.
    const formatsUrl = import.meta.resolve('ajv-formats/dist/formats.js')
    const source = code.replace("'ajv-formats/dist/formats.js'", JSON.stringify(formatsUrl))
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as {
      compiled: Map<string, ((x: unknown) => boolean) & { errors?: { instancePath: string; schemaPath: string }[] | null }>
    }
    const validate = mod.compiled.get(JSON.stringify(termsSchema))!
    expect(validate).toBeTypeOf('function')
    const terms = fc.record(
      {
        principal: fc.oneof(fc.integer({ min: -5, max: 20_000_000_000_000 }), fc.double(), fc.constant('100')),
        annualRatePct: fc.oneof(fc.constantFrom('4.35', '0', '100', '100.00001', '04.3', '1e2', ''), fc.string()),
        termMonths: fc.integer({ min: -1, max: 700 }),
        method: fc.constantFrom('annuity', 'equal_principal', 'interest_only', 'bullet', 'other'),
        graceMonths: fc.integer({ min: -1, max: 700 }),
        graceInterest: fc.constantFrom('capitalize', 'pay', 'x'),
        upfrontFee: fc.integer({ min: -1, max: 20_000_000 }),
        extra: fc.string(),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(terms, (t) => {
        const server = validateTerms(t)
        const ok = validate(t)
        // Cross-field checks after the schema (safe range) only narrow an accepted value.
        if (!ok) {
          expect(server.ok).toBe(false)
          const e = validate.errors![0]!
          expect(server.ok ? '' : server.error.split(':')[0]).toContain(e.instancePath || '/')
        } else if (!server.ok) {
          expect(server.error).toMatch(/^\/graceMonths: amounts would exceed/)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('compile every shared schema and agree with ajv on arbitrary documents, formats included', async () => {
    const schemas = await loadSharedSchemas()
    const code = compileAll(schemas).replace("'ajv-formats/dist/formats.js'", JSON.stringify(import.meta.resolve('ajv-formats/dist/formats.js')))
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
      compiled: Map<string, (x: unknown) => boolean>
    }
    expect(mod.compiled.size).toBe(new Set(schemas.map((x) => JSON.stringify(x))).size)
    const dates = fc.constantFrom('2025-02-28', '2025-02-30', '2024-02-29', 'not a date', '2025-13-01')
    const doc = fc.dictionary(
      fc.constantFrom('asOfDate', 'firstDueDate', 'outstandingPrincipal', 'fees', 'text', 'clientId', 'hash', 'fullName', 'title', 'currency'),
      fc.oneof(dates, fc.integer({ min: -2, max: 1000 }), fc.string(), fc.boolean()),
    )
    for (const schema of schemas) {
      const ajv = new Ajv({ allErrors: false, $data: true, strict: true })
      addFormats(ajv)
      const reference = ajv.compile(schema)
      const browser = mod.compiled.get(JSON.stringify(schema))!
      fc.assert(
        fc.property(doc, (d) => {
          expect(browser(d)).toBe(reference(d))
        }),
        { numRuns: 200 },
      )
    }
  })
})
