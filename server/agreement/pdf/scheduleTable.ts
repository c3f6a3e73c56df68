// The repayment schedule, last in the PDF: one row per payment, with the title repeated on each new page.
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import type { AgreementTextKey } from '../../../shared/i18n/agreementText.ts'
import { COLOR, F, MARGIN, WIDTH, type Layout } from './pdfLayout.ts'

/** A schedule longer than this is cut (with a note); the contract caps terms well below it. */
export const MAX_SCHEDULE_ROWS = 600

export function drawSchedule(l: Layout, a: Agreement): void {
  const doc = l.doc
  doc.addPage()
  doc.y = MARGIN.top
  const c = a.computed
  const dated = c.payments.some((r) => r.dueDate)
  const title = (key: AgreementTextKey) => {
    doc.font(F.bold).fontSize(12).fillColor(COLOR.accent).text(l.t(key), MARGIN.left, doc.y, { width: WIDTH, continued: false })
    doc.font(F.body).fontSize(8.5).fillColor(COLOR.muted).text(l.t('agreement.schedule.amountsIn', { currency: a.currency }), MARGIN.left, doc.y + 1)
    doc.y += 6
  }
  title('agreement.schedule.heading')
  const noW = 40
  const dateW = dated ? 78 : 0
  const w = (WIDTH - noW - dateW) / 4
  const columns = [
    { title: l.t('agreement.schedule.period'), width: noW, align: 'right' as const },
    ...(dated ? [{ title: l.t('agreement.schedule.dueDate'), width: dateW, align: 'left' as const }] : []),
    { title: l.t('agreement.schedule.payment'), width: w, align: 'right' as const },
    { title: l.t('agreement.schedule.principal'), width: w, align: 'right' as const },
    { title: l.t('agreement.schedule.interest'), width: w, align: 'right' as const },
    { title: l.t('agreement.schedule.balance'), width: w, align: 'right' as const },
  ]
  const rows = c.payments.slice(0, MAX_SCHEDULE_ROWS)
  const body = rows.map((r) => [
    String(r.period),
    ...(dated ? [r.dueDate ?? ''] : []),
    l.plain(r.payment),
    l.plain(r.principal),
    l.plain(r.interest),
    l.plain(r.balance),
  ])
  const sum = (f: (r: (typeof rows)[number]) => number) => c.payments.reduce((s, r) => s + f(r), 0)
  body.push([
    l.t('agreement.schedule.total'),
    ...(dated ? [''] : []),
    l.plain(sum((r) => r.payment)),
    l.plain(sum((r) => r.principal)),
    l.plain(sum((r) => r.interest)),
    '',
  ])
  l.table(columns, body, { size: 8.5, pad: 2.5, onNewPage: () => title('agreement.schedule.continued') })
  if (c.payments.length > rows.length) l.paragraph(`… ${c.payments.length - rows.length} more rows`, 8.5, COLOR.muted)
}
