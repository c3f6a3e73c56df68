// What every page carries: the title block with the fingerprint on page one, the footer on each page.
import { fingerprint, type Agreement } from '../../../shared/agreement/agreement.ts'
import { COLOR, F, MARGIN, PAGE, WIDTH, type Layout } from './pdfLayout.ts'
import { utc } from './pdfText.ts'

export function drawHeader(l: Layout, a: Agreement): void {
  const doc = l.doc
  const fp = fingerprint(a.contentHash)
  // Fingerprint panel, top right: the same 8 characters the parties saw when they confirmed.
  const boxW = 128
  const boxX = MARGIN.left + WIDTH - boxW
  doc.roundedRect(boxX, MARGIN.top - 4, boxW, 42, 4).fill(COLOR.panel)
  doc.font(F.body).fontSize(8).fillColor(COLOR.muted).text(l.t('agreement.fingerprint'), boxX + 10, MARGIN.top + 2, { width: boxW - 20 })
  doc.font(F.mono).fontSize(14).fillColor(COLOR.accent).text(fp, boxX + 10, MARGIN.top + 15, { width: boxW - 20 })

  doc.font(F.bold).fontSize(22).fillColor(COLOR.accent).text(l.t('agreement.title'), MARGIN.left, MARGIN.top - 4, { width: WIDTH - boxW - 12 })
  doc.font(F.body).fontSize(8.5).fillColor(COLOR.muted).text(l.t('agreement.subtitle'), MARGIN.left, doc.y + 2, { width: WIDTH - boxW - 12 })
  doc.y = Math.max(doc.y, MARGIN.top + 44) + 10
  doc.font(F.bold).fontSize(13).fillColor(COLOR.ink).text(a.title, MARGIN.left, doc.y, { width: WIDTH })
  const meta = [
    `${l.t('agreement.room')} ${a.roomId}`,
    `${l.t('agreement.agreedAt')} ${utc(a.lockedAt)}`,
    `${l.t('agreement.currency')} ${a.currency}`,
  ].join('   ·   ')
  doc.font(F.body).fontSize(9).fillColor(COLOR.muted).text(meta, MARGIN.left, doc.y + 3, { width: WIDTH })
  doc.y += 12
}

export function drawFooters(l: Layout, a: Agreement): void {
  const doc = l.doc
  const range = doc.bufferedPageRange()
  const total = range.count
  const fp = fingerprint(a.contentHash)
  for (let i = 0; i < total; i++) {
    doc.switchToPage(range.start + i)
    // Writing inside the bottom margin would otherwise make pdfkit open a new page.
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = PAGE.height - 40
    doc.moveTo(MARGIN.left, y - 6).lineTo(MARGIN.left + WIDTH, y - 6).lineWidth(0.4).strokeColor(COLOR.rule).stroke()
    const left = `${l.t('agreement.title')} · ${l.t('agreement.footer.fingerprint', { fp })}`
    doc.font(F.body).fontSize(7.5).fillColor(COLOR.muted).text(left, MARGIN.left, y, { width: WIDTH / 2, lineBreak: false })
    doc.text(l.t('agreement.footer.page', { n: i + 1, total }), MARGIN.left + WIDTH / 2, y, { width: WIDTH / 2, align: 'right', lineBreak: false })
    doc.page.margins.bottom = bottom
  }
}
