// The first things a reader sees: the key figures, the plain-language summary and the before/after comparison.
import type { Agreement, AgreementComputed } from '../../../shared/agreement/agreement.ts'
import type { Terms } from '../../../shared/terms/types.ts'
import { COLOR, F, MARGIN, WIDTH, type Layout } from './pdfLayout.ts'
import { breakdownFormula, instalmentLabel, methodName, pct, rateDiff, signedDiff, signedPct, when } from './pdfText.ts'

export function drawKeyFigures(l: Layout, c: AgreementComputed, terms: Terms): void {
  const doc = l.doc
  const gap = 8
  const w = (WIDTH - 3 * gap) / 4
  const h = 62
  const y = doc.y
  const cells: Array<[string, string]> = [
    [l.t(terms.method === 'bullet' ? 'agreement.field.atMaturity' : 'agreement.keyFigures.instalment'), l.money(c.regularInstalment)],
    [l.t('agreement.keyFigures.totalPaid'), l.money(c.totalPaid)],
    [l.t('agreement.keyFigures.apr'), pct(l, c.aprPct)],
    [l.t('agreement.keyFigures.term'), l.t('agreement.field.termValue', { n: terms.termMonths })],
  ]
  cells.forEach(([label, value], i) => {
    const x = MARGIN.left + i * (w + gap)
    doc.roundedRect(x, y, w, h, 4).fill(i === 0 ? COLOR.headerFill : COLOR.panel)
    doc.font(F.body).fontSize(7.5).fillColor(COLOR.muted).text(label, x + 9, y + 7, { width: w - 18, height: 24, ellipsis: true, lineGap: 0 })
    doc.font(F.bold).fontSize(i === 0 ? 15 : 13).fillColor(i === 0 ? COLOR.accent : COLOR.ink).text(value, x + 9, y + 33, { width: w - 18 })
  })
  doc.y = y + h + 4
}

export function drawSummary(l: Layout, a: Agreement, terms: Terms): void {
  const c = a.computed
  const fee = c.upfrontFee
  const grace = terms.method === 'bullet' ? 0 : (terms.graceMonths ?? 0)
  const b = a.restructuring?.breakdown
  l.heading(l.t('agreement.summary.heading'))
  const opening = b
    ? [
        l.t('review.restructuring.newPrincipal', { formula: breakdownFormula(l, b) }),
        ...(fee > 0 ? [l.t('review.fee.restructuring', { fee: l.money(fee) })] : []),
      ]
    : [
        fee > 0
          ? l.t('agreement.summary.borrow', { principal: l.money(terms.principal), net: l.money(c.netDisbursed), fee: l.money(fee) })
          : l.t('agreement.summary.borrowNoFee', { principal: l.money(terms.principal) }),
      ]
  const sentences = [
    ...opening,
    l.t('agreement.summary.repay', {
      months: terms.termMonths,
      method: methodName(l, terms.method),
      methodExplained: l.t(`agreement.methodExplained.${terms.method}`),
      instalment: l.money(c.regularInstalment),
      first: l.money(c.firstPayment.amount),
      firstWhen: when(l, c.firstPayment),
      last: l.money(c.lastPayment.amount),
      lastWhen: when(l, c.lastPayment),
    }),
  ]
  if (grace > 0) {
    sentences.push(
      l.t(terms.graceInterest === 'pay' ? 'agreement.summary.grace.pay' : 'agreement.summary.grace.capitalize', { n: grace }),
    )
  }
  sentences.push(
    l.t(fee > 0 ? 'agreement.summary.cost' : 'agreement.summary.costNoFee', {
      totalPaid: l.money(c.totalPaid),
      interest: l.money(c.totalInterest),
      totalCost: l.money(c.totalCost),
      apr: pct(l, c.aprPct),
    }),
  )
  l.paragraph(sentences.join(l.lang === 'zh' ? '' : ' '))
  l.doc.y += 4

  const graceText =
    grace === 0
      ? l.t('agreement.field.graceNone')
      : l.t(terms.graceInterest === 'pay' ? 'agreement.field.gracePay' : 'agreement.field.graceCapitalize', { n: grace })
  type Row = [string, string] | [string, string, 'strong']
  // Without a fee there is nothing to deduct: no fee row, no "received after fee", no cost beyond the interest.
  const feeRows: Row[] = fee > 0 ? [[l.t('agreement.field.upfrontFee'), l.money(fee)]] : []
  const amountRows: Row[] = b
    ? [[l.t('agreement.breakdown.newPrincipal'), `${l.money(b.newPrincipal)}\n${breakdownFormula(l, b, false)}`, 'strong'], ...feeRows]
    : [
        [l.t('agreement.field.principal'), l.money(terms.principal), 'strong'],
        ...feeRows,
        ...(fee > 0 ? ([[l.t('agreement.field.netDisbursed'), l.money(c.netDisbursed)]] satisfies Row[]) : []),
      ]
  l.rows([
    ...amountRows,
    [l.t('agreement.field.annualRate'), pct(l, terms.annualRatePct)],
    [l.t('agreement.field.apr'), pct(l, c.aprPct), 'strong'],
    [l.t('agreement.field.ear'), pct(l, c.earPct)],
    [l.t('agreement.field.term'), l.t('agreement.field.termValue', { n: terms.termMonths })],
    [l.t('agreement.field.method'), `${methodName(l, terms.method)} — ${l.t(`agreement.methodExplained.${terms.method}`)}`],
    [l.t('agreement.field.grace'), graceText],
    [instalmentLabel(l, terms.method), l.money(c.regularInstalment), 'strong'],
    [l.t('agreement.field.firstPayment'), l.t('agreement.field.paymentValue', { amount: l.money(c.firstPayment.amount), when: when(l, c.firstPayment).trim() })],
    [l.t('agreement.field.lastPayment'), l.t('agreement.field.paymentValue', { amount: l.money(c.lastPayment.amount), when: when(l, c.lastPayment).trim() })],
    [l.t('agreement.field.totalInterest'), l.money(c.totalInterest)],
    [l.t('agreement.field.totalPaid'), l.money(c.totalPaid), 'strong'],
    ...(fee > 0 ? ([[l.t('agreement.field.totalCost'), l.money(c.totalCost)]] satisfies Row[]) : []),
  ])
}

export function drawComparison(l: Layout, a: Agreement, terms: Terms): void {
  if (!a.comparison) return
  const { original, result } = a.comparison
  const before = result.original
  const after = result.proposal
  l.heading(l.t('agreement.comparison.heading'))
  const w0 = 170
  const w = (WIDTH - w0) / 3
  const months = (n: number) => l.t('agreement.field.termValue', { n })
  const monthsDiff = terms.termMonths - original.termMonths
  l.table(
    [
      { title: '', width: w0, align: 'left' },
      { title: l.t('agreement.comparison.original'), width: w, align: 'right' },
      { title: l.t('agreement.comparison.agreed'), width: w, align: 'right' },
      { title: l.t('agreement.comparison.difference'), width: w, align: 'right' },
    ],
    [
      [instalmentLabel(l, terms.method), l.money(before.regularInstalment), l.money(after.regularInstalment), signedDiff(l, result.change.regularInstalment)],
      [l.t('agreement.field.term'), months(original.termMonths), months(terms.termMonths), monthsDiff === 0 ? '0' : `${monthsDiff > 0 ? '+' : '−'}${months(Math.abs(monthsDiff))}`],
      [l.t('agreement.field.method'), methodName(l, original.method), methodName(l, terms.method), ''],
      [l.t('agreement.field.annualRate'), pct(l, original.annualRatePct), pct(l, terms.annualRatePct), rateDiff(l, terms.annualRatePct, original.annualRatePct)],
      [l.t('agreement.field.apr'), pct(l, before.aprPct), pct(l, after.aprPct), signedPct(l, result.change.aprPct)],
      [l.t('agreement.field.totalInterest'), l.money(before.totalInterest), l.money(after.totalInterest), signedDiff(l, result.change.totalInterest)],
      [l.t('agreement.field.totalPaid'), l.money(before.totalPaid), l.money(after.totalPaid), signedDiff(l, result.change.totalPaid)],
    ],
  )
}
