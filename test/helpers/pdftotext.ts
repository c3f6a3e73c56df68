// poppler's pdftotext, to read a PDF back as a person's PDF reader extracts it (a loud skip when it is
// missing, a failure under CI=true, like the Chromium, PostgreSQL and Redis suites).
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const PDFTOTEXT = process.env.PDFTOTEXT_PATH || '/usr/bin/pdftotext'
export const PDFTOTEXT_INSTALL = 'sudo apt-get install -y poppler-utils'
export const HAVE_PDFTOTEXT = fs.existsSync(PDFTOTEXT)

/** Prints the loud banner saying `suite` is skipped because pdftotext is missing. */
export function warnPdftotextMissing(suite: string): void {
  const line = '!'.repeat(78)
  console.warn(`\n${line}\n!! ${suite} SKIPPED: ${PDFTOTEXT} is missing. Install it with: ${PDFTOTEXT_INSTALL}\n${line}\n`)
}

/** The text of `pdf` as pdftotext extracts it (UTF-8, reading order). */
export async function pdftotext(pdf: Uint8Array): Promise<string> {
  if (!HAVE_PDFTOTEXT) throw new Error(`${PDFTOTEXT} is missing: install poppler-utils (${PDFTOTEXT_INSTALL})`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdftotext-'))
  const file = path.join(dir, 'in.pdf')
  try {
    fs.writeFileSync(file, pdf)
    return await new Promise<string>((resolve, reject) => {
      execFile(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`pdftotext failed: ${stderr || err.message}`))
        else resolve(stdout)
      })
    })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
