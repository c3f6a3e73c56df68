// Which renderer drew a cached agreement PDF: a hash of everything that decides its text and layout, so a
// changed renderer, wording, font or key address never serves a file drawn by the one before.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findCjkFont } from './cjkFont.ts'

/** Bump when the PDF changes through something the source hash below cannot see. */
export const PDF_RENDERER_REVISION = 1

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g

/** `entry` and every source file it imports relatively, transitively, sorted by path. */
export function sourceClosure(entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const text = fs.readFileSync(file, 'utf8')
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1]!)
      if (fs.existsSync(target)) visit(target)
    }
  }
  visit(entry)
  return [...seen].sort()
}

/** The hash of the renderer's sources (relative to `root`), the inputs given, and the revision: 16 hex digits. */
export function rendererHash(entry: string, root: string, inputs: readonly string[]): string {
  const h = createHash('sha256').update(`revision ${PDF_RENDERER_REVISION}\n`)
  for (const input of inputs) h.update(`input ${input}\n`)
  for (const file of sourceClosure(entry)) {
    h.update(`file ${path.relative(root, file)}\n`).update(fs.readFileSync(file)).update('\n')
  }
  return h.digest('hex').slice(0, 16)
}

function packageVersion(name: string): string {
  try {
    return `${name}@${(createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version}`
  } catch {
    return `${name}@?`
  }
}

/** Which font files would be embedded; none found is the renderer's error to report, at the first render. */
function fontIdentity(): string {
  try {
    const f = findCjkFont()
    return `${f.source} ${f.regular.file}#${f.regular.family ?? ''} ${f.bold.file}#${f.bold.family ?? ''}`
  } catch {
    return 'none'
  }
}

/**
 * The version of this process's agreement renderer: its sources (agreementPdf.ts and all it imports, the text
 * tables included), pdfkit's version, the font it embeds, and the public-key address it prints.
 */
export function pdfRendererVersion(publicKeyUrl: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  return rendererHash(path.join(here, 'agreementPdf.ts'), path.resolve(here, '../..'), [
    packageVersion('pdfkit'),
    packageVersion('@embedpdf/fonts-sc'),
    `font ${fontIdentity()}`,
    `key ${publicKeyUrl}`,
  ])
}
