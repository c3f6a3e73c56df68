// A restructuring's own pages: the baseline, the new-principal breakdown, the waivers and what each side gains.
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import type { CheckedContent } from '../../../shared/content/validateContent.ts'
import { reasonKey, WAIVER_CATEGORIES } from '../../../shared/restructuring/waivers.ts'
import { COLOR, F, MARGIN, WIDTH, type Layout } from './pdfLayout.ts'
import { breakdownFormula, dsrPct, methodName, pct, signedDiff } from './pdfText.ts'

export function drawRestructuring(l: Layout, a: Agreement, checked: CheckedContent): void {
  const r = checked.restructuring
  const rs = a.restructuring
  if (!r || !rs) return
  const { baseline, waivers } = r
  const b = rs.breakdown
  l.heading(l.t('agreement.baseline.heading'))
  l.rows([
    [l.t('agreement.key.asOfDate'), baseline.asOfDate],
    [l.t('agreement.key.outstandingPrincipal'), l.money(baseline.outstandingPrincipal)],
    [l.t('agreement.key.accruedInterest'), l.money(baseline.accruedInterest)],
    [l.t('agreement.key.penaltyInterest'), l.money(baseline.penaltyInterest)],
    [l.t('agreement.key.fees'), l.money(baseline.fees)],
    [l.t('agreement.key.totalOwed'), l.money(b.totalOwed), 'strong'],
    [l.t('agreement.key.daysPastDue'), String(baseline.daysPastDue)],
    [l.t('agreement.key.originalAnnualRatePct'), pct(l, baseline.originalAnnualRatePct)],
    [
      l.t('agreement.key.originalMethod'),
      baseline.originalMethod && baseline.originalRemainingMonths > 0 ? methodName(l, baseline.originalMethod) : l.t('agreement.key.allDueNow'),
    ],
    [l.t('agreement.key.originalRemainingMonths'), String(baseline.originalRemainingMonths)],
  ])

  l.heading(l.t('agreement.breakdown.heading'))
  const w0 = 240
  l.table(
    [
      { title: '', width: w0, align: 'left' },
      { title: a.currency, width: WIDTH - w0, align: 'right' },
    ],
    [
      [l.t('agreement.key.outstandingPrincipal'), l.plain(b.outstandingPrincipal)],
      [`+ ${l.t('agreement.key.accruedInterest')}`, l.plain(b.accruedInterest)],
      [`+ ${l.t('agreement.key.penaltyInterest')}`, l.plain(b.penaltyInterest)],
      [`+ ${l.t('agreement.key.fees')}`, l.plain(b.fees)],
      [`= ${l.t('agreement.key.totalOwed')}`, l.plain(b.totalOwed)],
      [l.t('agreement.breakdown.lessWaivers'), `−${l.plain(b.waivers.total)}`],
      [`= ${l.t('agreement.breakdown.newPrincipal')}`, l.plain(b.newPrincipal)],
    ],
  )
  l.paragraph(`${breakdownFormula(l, b)}${l.lang === 'zh' ? '。' : '. '}${l.t('agreement.breakdown.note')}`, 9, COLOR.muted)

  l.heading(l.t('agreement.waivers.heading'))
  const granted = WAIVER_CATEGORIES.filter((c) => (waivers[c] ?? 0) > 0)
  if (granted.length === 0) l.paragraph(l.t('agreement.waivers.none'), 10, COLOR.muted)
  else {
    const cw = [120, 95, 95]
    l.table(
      [
        { title: l.t('agreement.waivers.category'), width: cw[0]!, align: 'left' },
        { title: l.t('agreement.waivers.amount'), width: cw[1]!, align: 'right' },
        { title: l.t('agreement.waivers.ofBaseline'), width: cw[2]!, align: 'right' },
        { title: l.t('agreement.waivers.reason'), width: WIDTH - cw[0]! - cw[1]! - cw[2]!, align: 'left' },
      ],
      granted.map((c) => [l.t(`agreement.key.${c}`), l.money(waivers[c]!), l.money(baseline[c]), (waivers[reasonKey(c)] ?? '').trim()]),
    )
  }
}

export function drawSides(l: Layout, a: Agreement, checked: CheckedContent): void {
  const rs = a.restructuring
  const r = checked.restructuring
  if (!rs || !r) return
  const { borrower, lender } = rs.comparison
  const date = r.baseline.asOfDate
  const fee = a.computed.upfrontFee > 0
  const dsr = (x: { debtServiceRatioPct: string | null } | null | undefined) => (x?.debtServiceRatioPct ? dsrPct(l, x.debtServiceRatioPct) : '—')
  l.heading(l.t('agreement.sides.heading'))
  const sub = (text: string) => {
    l.ensure(40)
    l.doc.font(F.bold).fontSize(10.5).fillColor(COLOR.ink).text(text, MARGIN.left, l.doc.y + 2, { width: WIDTH })
    l.doc.y += 4
  }
  sub(l.t('agreement.sides.borrower'))
  const borrowerRows: Array<[string, string] | [string, string, 'strong']> = [
    [l.t('agreement.sides.baselineAmount', { date }), l.money(borrower.baselineAmount)],
    [l.t('agreement.sides.waived'), l.money(borrower.waived)],
    [l.t('agreement.breakdown.newPrincipal'), `${l.money(borrower.newPrincipal)}\n${breakdownFormula(l, rs.breakdown, false)}`, 'strong'],
    [l.t('agreement.sides.withoutPlan'), l.money(borrower.baseline.totalToPay)],
    [l.t(fee ? 'agreement.sides.withPlan' : 'agreement.sides.withPlanNoFee'), l.money(borrower.plan.totalToPay)],
    [l.t('agreement.sides.saved'), signedDiff(l, borrower.totalSaved), 'strong'],
    [
      l.t('agreement.sides.monthlyBefore'),
      borrower.baseline.regularInstalment === null ? l.t('agreement.sides.allDueNow') : l.money(borrower.baseline.regularInstalment),
    ],
    [l.t('agreement.sides.monthlyAfter'), l.money(borrower.plan.regularInstalment), 'strong'],
  ]
  if (borrower.affordability) {
    borrowerRows.push([l.t('agreement.sides.dsrBefore'), dsr(borrower.affordability.baseline)])
    borrowerRows.push([l.t('agreement.sides.dsrAfter'), dsr(borrower.affordability.plan)])
  }
  l.rows(borrowerRows, 230)
  sub(l.t('agreement.sides.lender'))
  l.rows(
    [
      [l.t('agreement.sides.claim', { date }), l.money(lender.baselineAmount)],
      [l.t(fee ? 'agreement.sides.received' : 'agreement.sides.receivedNoFee'), l.money(lender.nominalReceived)],
      [l.t('agreement.sides.presentValue', { rate: pct(l, lender.discountAnnualRatePct) }), l.money(lender.presentValue), 'strong'],
      [l.t('agreement.sides.valueChange'), signedDiff(l, lender.valueChange)],
      [l.t('agreement.sides.ratio'), pct(l, lender.recoveryRatioPct), 'strong'],
    ],
    230,
  )
  l.paragraph(l.t(fee ? 'agreement.sides.note' : 'agreement.sides.noteNoFee'), 8.5, COLOR.muted)
}
