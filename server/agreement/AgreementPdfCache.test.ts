// The PDF cache never serves a file drawn by another renderer or in another language, and renders once per key.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { agreementHash, type Agreement } from '../../shared/agreement/agreement.ts'
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'
import { removeTemporaryKeys, sampleLockInput, temporaryServerKey } from '../../test/support/agreement/sampleAgreement.ts'
import { AgreementPdfCache } from './AgreementPdfCache.ts'
import { buildAgreement } from './buildAgreement.ts'
import { pdfRendererVersion, rendererHash, sourceClosure } from './pdfRendererVersion.ts'

const key = temporaryServerKey()
afterAll(removeTemporaryKeys)
const agreement: Agreement = buildAgreement(sampleLockInput(), key)
const hash = agreementHash(agreement)

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-cache-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

/** A renderer that says which version drew the file, counting its calls. */
function renderer(version: string) {
  const calls: AgreementLang[] = []
  const render = async (_a: Agreement, lang: AgreementLang): Promise<Buffer> => {
    calls.push(lang)
    return Buffer.from(`%PDF- drawn by ${version} in ${lang}`)
  }
  return { calls, cache: new AgreementPdfCache(dir, version, render) }
}

describe('AgreementPdfCache', () => {
  it('renders once per agreement, language and renderer version, and serves the file after a restart', async () => {
    const first = renderer('v1')
    const [a, b] = await Promise.all([first.cache.get(agreement, hash, 'zh'), first.cache.get(agreement, hash, 'zh')])
    expect(a.toString()).toBe('%PDF- drawn by v1 in zh')
    expect(b.equals(a)).toBe(true)
    expect(first.calls).toEqual(['zh'])
    expect(fs.readdirSync(dir)).toEqual([`${hash}.zh.v1.pdf`])

    const restarted = renderer('v1')
    expect((await restarted.cache.get(agreement, hash, 'zh')).toString()).toBe('%PDF- drawn by v1 in zh')
    expect(restarted.calls).toEqual([])
  })

  it('keys the file by language: a zh file is never served for en', async () => {
    const r = renderer('v1')
    await r.cache.get(agreement, hash, 'zh')
    expect((await r.cache.get(agreement, hash, 'en')).toString()).toBe('%PDF- drawn by v1 in en')
    expect(r.calls).toEqual(['zh', 'en'])
  })

  it('never serves a file drawn by an older renderer, nor one cached under the old name (hash.lang.pdf)', async () => {
    await renderer('v1').cache.get(agreement, hash, 'en')
    fs.writeFileSync(path.join(dir, `${hash}.en.pdf`), '%PDF- from before renderer versions')
    const next = renderer('v2')
    expect((await next.cache.get(agreement, hash, 'en')).toString()).toBe('%PDF- drawn by v2 in en')
    expect(next.calls).toEqual(['en'])
  })

  it('refuses a hash that is not hex SHA-256 and a version unfit for a file name', async () => {
    await expect(renderer('v1').cache.get(agreement, '../x', 'en')).rejects.toThrow(/hex SHA-256/)
    expect(() => new AgreementPdfCache(dir, '../v1')).toThrow(/renderer version/)
  })
})

describe('pdfRendererVersion', () => {
  it('is the same for the same renderer, and changes with the public-key address it prints', () => {
    const v = pdfRendererVersion('https://bank.example/api/public-key')
    expect(v).toMatch(/^[0-9a-f]{16}$/)
    expect(pdfRendererVersion('https://bank.example/api/public-key')).toBe(v)
    expect(pdfRendererVersion('/api/public-key')).not.toBe(v)
  })

  it('covers the layout and the text tables the renderer imports', () => {
    const files = sourceClosure(path.join(import.meta.dirname, 'agreementPdf.ts')).map((f) => path.relative(path.join(import.meta.dirname, '../..'), f))
    expect(files).toEqual(expect.arrayContaining(['server/agreement/pdf/scheduleTable.ts', 'shared/i18n/agreementTextZh.ts', 'shared/i18n/agreementTextEn.ts']))
  })

  it('changes when any file the renderer imports changes, not when an unrelated one does', () => {
    fs.mkdirSync(path.join(dir, 'pdf'))
    const entry = path.join(dir, 'render.ts')
    fs.writeFileSync(entry, "import { draw } from './pdf/draw.ts'\nexport const render = draw\n")
    fs.writeFileSync(path.join(dir, 'pdf/draw.ts'), "import type { T } from '../text.ts'\nexport const draw = 1\n")
    fs.writeFileSync(path.join(dir, 'text.ts'), "export const title = 'Loan agreement'\n")
    fs.writeFileSync(path.join(dir, 'unrelated.ts'), 'export const x = 1\n')
    const before = rendererHash(entry, dir, ['key /api/public-key'])
    expect(rendererHash(entry, dir, ['key /api/public-key'])).toBe(before)
    fs.writeFileSync(path.join(dir, 'unrelated.ts'), 'export const x = 2\n')
    expect(rendererHash(entry, dir, ['key /api/public-key'])).toBe(before)
    fs.writeFileSync(path.join(dir, 'text.ts'), "export const title = 'Loan Agreement'\n")
    expect(rendererHash(entry, dir, ['key /api/public-key'])).not.toBe(before)
  })
})
