// The signed agreement as a PDF a person reads before filing it: summary first, schedule last.
import PDFDocument from 'pdfkit'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { agreedFigures } from '../../shared/agreement/agreementFigures.ts'
import { agreementT, type AgreementLang } from '../../shared/i18n/agreementText.ts'
import { loadCjkFont } from './cjkFont.ts'
import { drawFooters, drawHeader } from './pdf/pageFrame.ts'
import { F, Layout, MARGIN } from './pdf/pdfLayout.ts'
import { drawRestructuring, drawSides } from './pdf/restructuringSection.ts'
import { drawSchedule } from './pdf/scheduleTable.ts'
import { drawConfirmations, drawIntegrity, drawParties } from './pdf/signatureSection.ts'
import { drawComparison, drawKeyFigures, drawSummary } from './pdf/summarySection.ts'
import { drawClauses, drawCommitments, drawDisclosure, drawProfile, drawWarnings } from './pdf/textSections.ts'

export { MAX_SCHEDULE_ROWS } from './pdf/scheduleTable.ts'

export interface RenderOptions {
  /** The address of GET /api/public-key as a reader reaches it (PUBLIC_URL); the bare path when unknown. */
  publicKeyUrl?: string
}

export const PUBLIC_KEY_PATH = '/api/public-key'

/** Renders the agreement in English or Chinese; user text (names, clauses) may be in either script in both. */
export async function renderAgreementPdf(agreement: Agreement, lang: AgreementLang, options: RenderOptions = {}): Promise<Buffer> {
  const figures = agreedFigures(agreement.content)
  if (!figures.ok) throw new Error(`agreement content is not valid: ${figures.errors.join('; ')}`)
  const checked = figures.checked
  const terms = checked.terms
  const font = loadCjkFont()
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: lang === 'zh' ? 'zh-CN' : 'en',
    displayTitle: true,
    info: {
      Title: `${agreementT(lang, 'agreement.title')} — ${agreement.title}`,
      Author: 'Negotiation Room',
      Subject: `${agreement.roomId} ${agreement.contentHash}`,
      Keywords: agreement.contentHash,
      CreationDate: new Date(agreement.lockedAt),
    },
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  doc.registerFont(F.body, font.regular, font.font.regular.family)
  doc.registerFont(F.bold, font.bold, font.font.bold.family)
  const l = new Layout(doc, lang, agreement.currency)

  drawHeader(l, agreement)
  drawParties(l, agreement)
  drawKeyFigures(l, agreement.computed, terms)
  drawSummary(l, agreement, terms)
  drawRestructuring(l, agreement, checked)
  drawCommitments(l, agreement, checked)
  drawSides(l, agreement, checked)
  drawComparison(l, agreement, terms)
  drawDisclosure(l, agreement)
  drawWarnings(l, agreement)
  drawClauses(l, agreement)
  drawProfile(l, agreement)
  drawConfirmations(l, agreement)
  drawIntegrity(l, agreement, options.publicKeyUrl ?? PUBLIC_KEY_PATH)
  drawSchedule(l, agreement)
  drawFooters(l, agreement)
  doc.end()
  return done
}
