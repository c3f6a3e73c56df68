// Finds a font with Chinese glyphs for the agreement PDF: an env override, the npm package, then Debian's.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/** One face as pdfkit's registerFont takes it: a file, and the face's PostScript name inside a collection (.ttc). */
export interface FontFace {
  file: string
  family?: string
}

export interface CjkFont {
  regular: FontFace
  bold: FontFace
  /** Where it was found, for logs and error messages. */
  source: 'env' | 'npm:@embedpdf/fonts-sc' | 'debian'
}

const NPM_PACKAGE = '@embedpdf/fonts-sc'

/** Debian/Ubuntu font files with Simplified Chinese glyphs (fonts-noto-cjk, fonts-wqy-zenhei). */
const SYSTEM_CANDIDATES: CjkFont[] = [
  {
    regular: { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
    bold: { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', family: 'NotoSansCJKsc-Bold' },
    source: 'debian',
  },
  {
    regular: { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
    bold: { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
    source: 'debian',
  },
]

function fromEnv(env: NodeJS.ProcessEnv): CjkFont | null {
  const regular = env['AGREEMENT_FONT']
  if (!regular) return null
  const face = (spec: string): FontFace => {
    // "file.ttc#PostScriptName" selects a face in a collection.
    const [file, family] = spec.split('#')
    return family ? { file: file!, family } : { file: file! }
  }
  return { regular: face(regular), bold: face(env['AGREEMENT_FONT_BOLD'] ?? regular), source: 'env' }
}

function fromNpm(): CjkFont | null {
  try {
    // The package exports only its JS entry; the .otf files sit in fonts/ beside dist/.
    const entry = createRequire(import.meta.url).resolve(NPM_PACKAGE)
    const dir = path.join(path.dirname(entry), '..', 'fonts')
    return {
      regular: { file: path.join(dir, 'NotoSansHans-Regular.otf') },
      bold: { file: path.join(dir, 'NotoSansHans-Bold.otf') },
      source: `npm:${NPM_PACKAGE}`,
    }
  } catch {
    return null
  }
}

function exists(font: CjkFont): boolean {
  return fs.existsSync(font.regular.file) && fs.existsSync(font.bold.file)
}

/**
 * The CJK-capable font to embed. Order: AGREEMENT_FONT / AGREEMENT_FONT_BOLD (a path, "file.ttc#Face"
 * for a collection), the npm package @embedpdf/fonts-sc (Noto Sans SC, OFL-1.1), then fonts-noto-cjk
 * or fonts-wqy-zenhei from Debian. Throws with the fix when there is none.
 */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont {
  const configured = fromEnv(env)
  if (configured) {
    if (!exists(configured)) throw new Error(`AGREEMENT_FONT: no font file at ${configured.regular.file} / ${configured.bold.file}`)
    return configured
  }
  for (const candidate of [fromNpm(), ...SYSTEM_CANDIDATES]) {
    if (candidate && exists(candidate)) return candidate
  }
  throw new Error(
    `no font with Chinese glyphs for the agreement PDF: run \`npm install\` (it brings ${NPM_PACKAGE}), ` +
      'or `apt-get install fonts-noto-cjk`, or set AGREEMENT_FONT=/path/to/font.ttf',
  )
}

let cached: { font: CjkFont; regular: Buffer; bold: Buffer } | null = null

/** The font files' bytes, read once per process (about 8 MB each; pdfkit embeds only the glyphs used). */
export function loadCjkFont(): { font: CjkFont; regular: Buffer; bold: Buffer } {
  if (!cached) {
    const font = findCjkFont()
    const regular = fs.readFileSync(font.regular.file)
    const bold = font.bold.file === font.regular.file ? regular : fs.readFileSync(font.bold.file)
    cached = { font, regular, bold }
  }
  return cached
}
