// The signed agreement as a PDF a person reads before filing it: summary first, schedule last.
import PDFDocument from 'pdfkit'
import { fingerprint, type Agreement, type AgreementComputed } from '../../shared/agreement/agreement.ts'
import { agreedFigures } from '../../shared/agreement/agreementFigures.ts'
import { commitmentSentences } from '../../shared/agreement/commitmentText.ts'
import type { CheckedContent } from '../../shared/document/validateContent.ts'
import { PROFILE_KEYS } from '../../shared/document/roomDoc.ts'
import { formatAmount, formatMoney } from '../../shared/format/money.ts'
import { agreementT, APR_DISCLOSURE_LABEL, ROUNDING_RULE, type AgreementLang, type AgreementTextKey } from '../../shared/i18n/agreementText.ts'
import type { NewPrincipalBreakdown } from '../../shared/restructuring/newPrincipal.ts'
import { profileOf } from '../../shared/restructuring/recovery.ts'
import { reasonKey, WAIVER_CATEGORIES } from '../../shared/schema/waivers.schema.ts'
import { affordability } from '../../shared/terms/affordability.ts'
import type { Method, Terms } from '../../shared/terms/types.ts'
import { loadCjkFont } from './cjkFont.ts'

const PAGE = { width: 595.28, height: 841.89 } // A4
const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 }
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right
const BOTTOM = PAGE.height - MARGIN.bottom

const COLOR = {
  ink: '#1b1f24',
  muted: '#5b6370',
  accent: '#1f3a5f',
  rule: '#d0d5dc',
  zebra: '#f3f5f8',
  panel: '#f5f7fa',
  headerFill: '#e6ebf2',
}

/** Fonts registered in each document. Every user-written string uses the CJK-capable faces. */
const F = { body: 'body', bold: 'bold', mono: 'Courier' } as const

/** A schedule longer than this is cut (with a note); the contract caps terms well below it. */
export const MAX_SCHEDULE_ROWS = 600

type DocT = InstanceType<typeof PDFDocument>

class Layout {
  readonly locale: string
  constructor(
    readonly doc: DocT,
    readonly lang: AgreementLang,
    readonly currency: string,
  ) {
    this.locale = lang === 'zh' ? 'zh-CN' : 'en'
  }

  t(key: AgreementTextKey, vars?: Record<string, string | number>): string {
    return agreementT(this.lang, key, vars)
  }

  money(minor: number): string {
    return formatMoney(minor, this.currency, this.locale)
  }

  plain(minor: number): string {
    return formatAmount(minor, this.currency, this.locale)
  }

  /** Starts a new page when `height` does not fit below the cursor. */
  ensure(height: number): void {
    if (this.doc.y + height > BOTTOM) {
      this.doc.addPage()
      this.doc.y = MARGIN.top
    }
  }

  heading(text: string): void {
    const doc = this.doc
    this.ensure(90) // never strand a heading without the first rows under it
    doc.y += 14
    doc.font(F.bold).fontSize(12).fillColor(COLOR.accent).text(text, MARGIN.left, doc.y, { width: WIDTH })
    const y = doc.y + 3
    doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + WIDTH, y).lineWidth(0.8).strokeColor(COLOR.accent).stroke()
    doc.y = y + 8
  }

  paragraph(text: string, size = 10, color = COLOR.ink): void {
    const doc = this.doc
    this.ensure(size * 2)
    doc.font(F.body).fontSize(size).fillColor(color).text(text, MARGIN.left, doc.y, { width: WIDTH, lineGap: 2.5 })
    doc.y += 4
  }

  /** Label/value rows with hairlines; `mono` values are hex or base64 that must stay copyable. */
  rows(rows: Array<[string, string] | [string, string, 'mono' | 'strong']>, labelWidth = 190): void {
    const doc = this.doc
    const valueX = MARGIN.left + labelWidth + 10
    const valueWidth = WIDTH - labelWidth - 10
    for (const [label, value, style] of rows) {
      const valueFont = style === 'mono' ? F.mono : style === 'strong' ? F.bold : F.body
      const valueSize = style === 'mono' ? 8.5 : 10
      const lh = doc.font(F.body).fontSize(9.5).heightOfString(label, { width: labelWidth })
      const vh = doc.font(valueFont).fontSize(valueSize).heightOfString(value, { width: valueWidth, lineGap: 1.5 })
      const h = Math.max(lh, vh)
      this.ensure(h + 8)
      const y = doc.y
      doc.font(F.body).fontSize(9.5).fillColor(COLOR.muted).text(label, MARGIN.left, y, { width: labelWidth })
      doc.font(valueFont).fontSize(valueSize).fillColor(COLOR.ink).text(value, valueX, y + (style === 'mono' ? 1 : 0), {
        width: valueWidth,
        lineGap: 1.5,
      })
      const ruleY = y + h + 4
      doc.moveTo(MARGIN.left, ruleY).lineTo(MARGIN.left + WIDTH, ruleY).lineWidth(0.4).strokeColor(COLOR.rule).stroke()
      doc.y = ruleY + 4
    }
  }

  /** A simple table; `align` per column, `bold` header, optional zebra. Returns nothing; moves the cursor. */
  table(
    columns: Array<{ title: string; width: number; align: 'left' | 'right' }>,
    body: string[][],
    opts: { size?: number; pad?: number; onNewPage?: () => void } = {},
  ): void {
    const doc = this.doc
    const size = opts.size ?? 9.5
    const pad = opts.pad ?? 4
    const header = () => {
      const h = Math.max(...columns.map((c) => doc.font(F.bold).fontSize(size).heightOfString(c.title, { width: c.width - 2 * pad }))) + 2 * pad
      const y = doc.y
      doc.rect(MARGIN.left, y, WIDTH, h).fill(COLOR.headerFill)
      let x = MARGIN.left
      for (const c of columns) {
        doc.font(F.bold).fontSize(size).fillColor(COLOR.accent).text(c.title, x + pad, y + pad, { width: c.width - 2 * pad, align: c.align })
        x += c.width
      }
      doc.y = y + h
    }
    this.ensure(60)
    header()
    body.forEach((cells, i) => {
      const h =
        Math.max(
          ...cells.map((cell, j) => doc.font(F.body).fontSize(size).heightOfString(cell, { width: columns[j]!.width - 2 * pad })),
        ) +
        2 * pad -
        1
      if (doc.y + h > BOTTOM) {
        doc.addPage()
        doc.y = MARGIN.top
        opts.onNewPage?.()
        header()
      }
      const y = doc.y
      if (i % 2 === 1) doc.rect(MARGIN.left, y, WIDTH, h).fill(COLOR.zebra)
      let x = MARGIN.left
      cells.forEach((cell, j) => {
        const c = columns[j]!
        doc.font(F.body).fontSize(size).fillColor(COLOR.ink).text(cell, x + pad, y + pad - 0.5, { width: c.width - 2 * pad, align: c.align })
        x += c.width
      })
      doc.y = y + h
    })
    doc.moveTo(MARGIN.left, doc.y).lineTo(MARGIN.left + WIDTH, doc.y).lineWidth(0.6).strokeColor(COLOR.rule).stroke()
    doc.y += 6
  }
}

// ---------- formatting helpers ----------

function utc(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

function pct(value: string | number): string {
  return `${value}%`
}

function when(l: Layout, point: { period: number; dueDate?: string }): string {
  return point.dueDate ? l.t('agreement.when.date', { date: point.dueDate }) : l.t('agreement.when.period', { n: point.period })
}

function methodName(l: Layout, method: Method): string {
  return l.t(`agreement.method.${method}` as AgreementTextKey)
}

function signedDiff(l: Layout, minor: number): string {
  if (minor === 0) return '0'
  return minor > 0 ? `+${l.money(minor)}` : `−${l.money(-minor)}`
}

/** An exact 4-decimal difference from the terms engine ("-0.5000") shown as "−0.5%". */
function signedPct(fixed: string): string {
  const n = Number(fixed)
  if (n === 0) return '0'
  return `${n > 0 ? '+' : '−'}${fixed.replace(/^[-+]/, '').replace(/\.?0+$/, '')}%`
}

function instalmentLabel(l: Layout, method: Method): string {
  return l.t(method === 'bullet' ? 'agreement.field.atMaturity' : 'agreement.field.regularInstalment')
}

function rateDiff(a: string, b: string): string {
  const d = Math.round((Number(a) - Number(b)) * 10_000) / 10_000
  if (d === 0) return '0'
  return `${d > 0 ? '+' : '−'}${Math.abs(d)}%`
}

// ---------- sections ----------

function drawHeader(l: Layout, a: Agreement): void {
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

function drawKeyFigures(l: Layout, c: AgreementComputed, terms: Terms): void {
  const doc = l.doc
  const gap = 8
  const w = (WIDTH - 3 * gap) / 4
  const h = 62
  const y = doc.y
  const cells: Array<[string, string]> = [
    [l.t(terms.method === 'bullet' ? 'agreement.field.atMaturity' : 'agreement.keyFigures.instalment'), l.money(c.regularInstalment)],
    [l.t('agreement.keyFigures.totalPaid'), l.money(c.totalPaid)],
    [l.t('agreement.keyFigures.apr'), pct(c.aprPct)],
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

/** "12,000,000 = outstanding principal … − waivers …": shown wherever the new principal appears. */
function breakdownFormula(l: Layout, b: NewPrincipalBreakdown, withTotal = true): string {
  return l.t('agreement.breakdown.formula', {
    newPrincipal: withTotal ? l.money(b.newPrincipal) : '',
    principal: l.money(b.outstandingPrincipal),
    accrued: l.money(b.accruedInterest),
    penalty: l.money(b.penaltyInterest),
    fees: l.money(b.fees),
    waived: l.money(b.waivers.total),
  }).trim()
}

function drawSummary(l: Layout, a: Agreement, terms: Terms): void {
  const c = a.computed
  const fee = c.upfrontFee
  const grace = terms.method === 'bullet' ? 0 : (terms.graceMonths ?? 0)
  const b = a.restructuring?.breakdown
  l.heading(l.t('agreement.summary.heading'))
  const opening = b
    ? [
        l.t('review.restructuring.newPrincipal', { formula: breakdownFormula(l, b) }),
        fee > 0 ? l.t('review.fee.restructuring', { fee: l.money(fee) }) : l.t('review.noFee'),
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
      methodExplained: l.t(`agreement.methodExplained.${terms.method}` as AgreementTextKey),
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
    l.t('agreement.summary.cost', {
      totalPaid: l.money(c.totalPaid),
      interest: l.money(c.totalInterest),
      totalCost: l.money(c.totalCost),
      apr: pct(c.aprPct),
    }),
  )
  l.paragraph(sentences.join(l.lang === 'zh' ? '' : ' '))
  l.doc.y += 4

  const graceText =
    grace === 0
      ? l.t('agreement.field.graceNone')
      : l.t(terms.graceInterest === 'pay' ? 'agreement.field.gracePay' : 'agreement.field.graceCapitalize', { n: grace })
  const amountRows: Array<[string, string] | [string, string, 'strong']> = b
    ? [
        [l.t('agreement.breakdown.newPrincipal'), `${l.money(b.newPrincipal)}\n${breakdownFormula(l, b, false)}`, 'strong'],
        [l.t('agreement.field.upfrontFee'), l.money(fee)],
      ]
    : [
        [l.t('agreement.field.principal'), l.money(terms.principal), 'strong'],
        [l.t('agreement.field.upfrontFee'), l.money(fee)],
        [l.t('agreement.field.netDisbursed'), l.money(c.netDisbursed)],
      ]
  l.rows([
    ...amountRows,
    [l.t('agreement.field.annualRate'), pct(terms.annualRatePct)],
    [l.t('agreement.field.apr'), pct(c.aprPct), 'strong'],
    [l.t('agreement.field.ear'), pct(c.earPct)],
    [l.t('agreement.field.term'), l.t('agreement.field.termValue', { n: terms.termMonths })],
    [l.t('agreement.field.method'), `${methodName(l, terms.method)} — ${l.t(`agreement.methodExplained.${terms.method}` as AgreementTextKey)}`],
    [l.t('agreement.field.grace'), graceText],
    [instalmentLabel(l, terms.method), l.money(c.regularInstalment), 'strong'],
    [l.t('agreement.field.firstPayment'), l.t('agreement.field.paymentValue', { amount: l.money(c.firstPayment.amount), when: when(l, c.firstPayment).trim() })],
    [l.t('agreement.field.lastPayment'), l.t('agreement.field.paymentValue', { amount: l.money(c.lastPayment.amount), when: when(l, c.lastPayment).trim() })],
    [l.t('agreement.field.totalInterest'), l.money(c.totalInterest)],
    [l.t('agreement.field.totalPaid'), l.money(c.totalPaid), 'strong'],
    [l.t('agreement.field.totalCost'), l.money(c.totalCost)],
  ])
}

function drawComparison(l: Layout, a: Agreement, terms: Terms): void {
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
      [l.t('agreement.field.annualRate'), pct(original.annualRatePct), pct(terms.annualRatePct), rateDiff(terms.annualRatePct, original.annualRatePct)],
      [l.t('agreement.field.apr'), pct(before.aprPct), pct(after.aprPct), signedPct(result.change.aprPct)],
      [l.t('agreement.field.totalInterest'), l.money(before.totalInterest), l.money(after.totalInterest), signedDiff(l, result.change.totalInterest)],
      [l.t('agreement.field.totalPaid'), l.money(before.totalPaid), l.money(after.totalPaid), signedDiff(l, result.change.totalPaid)],
    ],
  )
}

function drawRestructuring(l: Layout, a: Agreement, checked: CheckedContent): void {
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
    [l.t('agreement.key.originalAnnualRatePct'), pct(baseline.originalAnnualRatePct)],
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

function drawCommitments(l: Layout, a: Agreement, checked: CheckedContent): void {
  const c = checked.commitments
  const lines = commitmentSentences(c, l.lang, (m) => l.money(m), a.restructuring ? a.restructuring.breakdown.totalOwed : null)
  if (c.firstDueDate) lines.unshift(l.t('agreement.commitment.firstDueDate', { date: c.firstDueDate }))
  if (lines.length === 0 && !checked.restructuring) return
  l.heading(l.t('agreement.commitments.heading'))
  if (lines.length === 0) l.paragraph(l.t('agreement.commitment.none'), 10, COLOR.muted)
  for (const line of lines) l.paragraph(`•  ${line}`)
}

function drawSides(l: Layout, a: Agreement, checked: CheckedContent): void {
  const rs = a.restructuring
  const r = checked.restructuring
  if (!rs || !r) return
  const { borrower, lender } = rs.comparison
  const date = r.baseline.asOfDate
  const dsr = (x: { debtServiceRatioPct: string | null } | null | undefined) => x?.debtServiceRatioPct ?? '—'
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
    [l.t('agreement.sides.withPlan'), l.money(borrower.plan.totalToPay)],
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
      [l.t('agreement.sides.received'), l.money(lender.nominalReceived)],
      [l.t('agreement.sides.presentValue', { rate: lender.discountAnnualRatePct }), l.money(lender.presentValue), 'strong'],
      [l.t('agreement.sides.valueChange'), signedDiff(l, lender.valueChange)],
      [l.t('agreement.sides.ratio'), `${lender.recoveryRatioPct}%`, 'strong'],
    ],
    230,
  )
  l.paragraph(l.t('agreement.sides.note'), 8.5, COLOR.muted)
}

function drawDisclosure(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.disclosure.heading'))
  l.rows([[APR_DISCLOSURE_LABEL[l.lang], pct(a.computed.aprPct), 'strong']])
  l.paragraph(ROUNDING_RULE[l.lang], 9)
}

function drawClauses(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.clauses.heading'))
  const text = a.content.clauses.trim()
  if (text === '') l.paragraph(l.t('agreement.clauses.none'), 10, COLOR.muted)
  else l.paragraph(text)
}

function drawProfile(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.profile.heading'))
  const p = a.content.profile
  const present = PROFILE_KEYS.filter((k) => typeof p[k] === 'number')
  if (present.length === 0) {
    l.paragraph(l.t('agreement.profile.none'), 10, COLOR.muted)
    return
  }
  l.paragraph(l.t('agreement.profile.note'), 8.5, COLOR.muted)
  const rows: Array<[string, string]> = present.map((k) => [l.t(`agreement.profile.${k}` as AgreementTextKey), l.money(p[k] as number)])
  const profile = profileOf(p)
  const ratio = profile ? affordability(profile, a.computed).debtServiceRatioPct : null
  if (ratio !== null) rows.push([l.t('agreement.profile.dsr'), ratio])
  l.rows(rows)
}

function drawConfirmations(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.confirmations.heading'))
  l.paragraph(l.t('agreement.confirmations.note'), 9, COLOR.muted)
  l.table(
    [
      { title: l.t('agreement.confirmations.party'), width: 80, align: 'left' },
      { title: l.t('agreement.confirmations.name'), width: WIDTH - 80 - 130 - 110, align: 'left' },
      { title: l.t('agreement.confirmations.at'), width: 130, align: 'left' },
      { title: l.t('agreement.confirmations.content'), width: 110, align: 'left' },
    ],
    a.confirmations.map((c) => [
      l.t(`agreement.role.${c.role}` as AgreementTextKey),
      c.name,
      utc(c.confirmedAt),
      `${l.t('agreement.fingerprint')} ${fingerprint(c.hash)}`,
    ]),
  )
  if (!a.confirmations.some((c) => c.summaryHash !== undefined)) return
  l.heading(l.t('agreement.consent.heading'))
  l.paragraph(l.t('agreement.consent.note'), 9, COLOR.muted)
  const none = l.t('agreement.consent.notRecorded')
  for (const c of a.confirmations) {
    l.ensure(120)
    l.doc.font(F.bold).fontSize(10.5).fillColor(COLOR.ink).text(`${l.t(`agreement.role.${c.role}` as AgreementTextKey)} — ${c.name}`, MARGIN.left, l.doc.y + 2, { width: WIDTH })
    l.doc.y += 4
    l.rows(
      [
        [l.t('agreement.consent.shownAt'), c.shownAt ? utc(c.shownAt) : none],
        [l.t('agreement.consent.confirmedAt'), utc(c.confirmedAt)],
        [l.t('agreement.consent.summaryLang'), c.summaryLang ? l.t(`agreement.lang.${c.summaryLang}`) : none],
        [l.t('agreement.consent.summaryHash'), c.summaryHash ?? none, 'mono'],
        [l.t('agreement.consent.ip'), c.ip ?? none],
        [l.t('agreement.consent.userAgent'), c.userAgent ?? none],
      ],
      150,
    )
  }
}

function drawIntegrity(l: Layout, a: Agreement): void {
  l.heading(l.t('agreement.integrity.heading'))
  const rows: Array<[string, string, 'mono']> = [
    [l.t('agreement.integrity.contentHash'), a.contentHash, 'mono'],
    [l.t('agreement.integrity.fingerprint'), fingerprint(a.contentHash), 'mono'],
    [l.t('agreement.integrity.signature'), a.signature.value, 'mono'],
    [l.t('agreement.integrity.keyId'), a.signature.kid, 'mono'],
  ]
  if (a.logHead) rows.push([l.t('agreement.integrity.logHead', { seq: a.logHead.seq }), a.logHead.hash, 'mono'])
  for (const att of a.attachments) rows.push([`${l.t('agreement.integrity.attachments')}: ${att.name}`, att.sha256, 'mono'])
  l.rows(rows, 130)
  l.paragraph(l.t('agreement.integrity.howToVerify'), 8.5, COLOR.muted)
}

function drawSchedule(l: Layout, a: Agreement): void {
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

function drawFooters(l: Layout, a: Agreement): void {
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

/** Renders the agreement in English or Chinese; user text (names, clauses) may be in either script in both. */
export async function renderAgreementPdf(agreement: Agreement, lang: AgreementLang): Promise<Buffer> {
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
  drawKeyFigures(l, agreement.computed, terms)
  drawSummary(l, agreement, terms)
  drawRestructuring(l, agreement, checked)
  drawCommitments(l, agreement, checked)
  drawSides(l, agreement, checked)
  drawComparison(l, agreement, terms)
  drawDisclosure(l, agreement)
  drawClauses(l, agreement)
  drawProfile(l, agreement)
  drawConfirmations(l, agreement)
  drawIntegrity(l, agreement)
  drawSchedule(l, agreement)
  drawFooters(l, agreement)
  doc.end()
  return done
}
