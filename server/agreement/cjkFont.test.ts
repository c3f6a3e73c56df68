import { describe, expect, it } from 'vitest'
import { findCjkFont } from './cjkFont.ts'

describe('findCjkFont', () => {
  it('prefers the npm package, so a fresh `npm install` is enough', () => {
    const font = findCjkFont({})
    expect(font.source).toBe('npm:@embedpdf/fonts-sc')
    expect(font.regular.file).toMatch(/NotoSansHans-Regular\.otf$/)
    expect(font.bold.file).toMatch(/NotoSansHans-Bold\.otf$/)
  })

  it('takes AGREEMENT_FONT first, with "#Face" for a collection, and names a missing file', () => {
    const font = findCjkFont({ AGREEMENT_FONT: `${findCjkFont({}).regular.file}#Face` })
    expect(font).toMatchObject({ source: 'env', regular: { family: 'Face' }, bold: { family: 'Face' } })
    expect(() => findCjkFont({ AGREEMENT_FONT: '/nonexistent/font.ttf' })).toThrow(/AGREEMENT_FONT: no font file at \/nonexistent\/font\.ttf/)
  })
})
