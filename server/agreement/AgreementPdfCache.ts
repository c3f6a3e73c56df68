// Rendered agreement PDFs (~0.5 s each) kept on disk under DATA_DIR/agreements, named by the agreement's hash,
// the language and the renderer's version (pdfRendererVersion.ts): a signed agreement never changes, but its
// rendering does when the layout or wording does, and a file drawn by an older renderer is never served.
import fs from 'node:fs'
import path from 'node:path'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'
import { renderAgreementPdf } from './agreementPdf.ts'

function checkedVersion(v: string): string {
  if (!/^[0-9a-z]{1,64}$/.test(v)) throw new Error('renderer version must be 1 to 64 lowercase letters or digits')
  return v
}

export class AgreementPdfCache {
  /** Renders in progress, so that concurrent downloads render once. */
  private readonly rendering = new Map<string, Promise<Buffer>>()

  private version: string | (() => string)

  /**
   * `rendererVersion`: letters and digits that change whenever `render` would draw differently; given as a
   * function, it is computed at the first PDF rather than at start-up (the server's hashes the renderer's sources).
   */
  constructor(
    private readonly dir: string,
    rendererVersion: string | (() => string),
    private readonly render: (agreement: Agreement, lang: AgreementLang) => Promise<Buffer> = renderAgreementPdf,
  ) {
    this.version = typeof rendererVersion === 'string' ? checkedVersion(rendererVersion) : rendererVersion
  }

  private get rendererVersion(): string {
    if (typeof this.version !== 'string') this.version = checkedVersion(this.version())
    return this.version
  }

  /** The file the PDF of the agreement whose agreementHash is `hash` is kept in, in `lang`, by this renderer. */
  fileOf(hash: string, lang: AgreementLang): string {
    return path.join(this.dir, `${hash}.${lang}.${this.rendererVersion}.pdf`)
  }

  /** The PDF of `agreement` (whose agreementHash is `hash`) in `lang`. */
  get(agreement: Agreement, hash: string, lang: AgreementLang): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return Promise.reject(new Error('agreement hash must be hex SHA-256'))
    const file = this.fileOf(hash, lang)
    const key = `${hash}.${lang}`
    const inFlight = this.rendering.get(key)
    if (inFlight) return inFlight
    const job = (async () => {
      try {
        return await fs.promises.readFile(file)
      } catch {
        const pdf = await this.render(agreement, lang)
        // Written under a temporary name, then renamed: a reader never sees half a file.
        await fs.promises.mkdir(this.dir, { recursive: true })
        const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
        await fs.promises.writeFile(tmp, pdf)
        await fs.promises.rename(tmp, file)
        return pdf
      }
    })()
    this.rendering.set(key, job)
    void job.then(
      () => this.rendering.delete(key),
      () => this.rendering.delete(key),
    )
    return job
  }
}
