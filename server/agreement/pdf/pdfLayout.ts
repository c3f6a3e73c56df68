// The page frame every section draws on: A4 geometry, colours, fonts and the few drawing moves they share.
import type PDFDocument from 'pdfkit'
import { formatAmount, formatMoney } from '../../../shared/format/money.ts'
import { agreementT, type AgreementLang, type AgreementTextKey } from '../../../shared/i18n/agreementText.ts'

export const PAGE = { width: 595.28, height: 841.89 } // A4
export const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 }
export const WIDTH = PAGE.width - MARGIN.left - MARGIN.right
export const BOTTOM = PAGE.height - MARGIN.bottom

export const COLOR = {
  ink: '#1b1f24',
  muted: '#5b6370',
  accent: '#1f3a5f',
  rule: '#d0d5dc',
  zebra: '#f3f5f8',
  panel: '#f5f7fa',
  headerFill: '#e6ebf2',
}

/** Courier's advance width per point of size: every glyph is 0.6 em. */
const COURIER_ADVANCE = 0.6
/** A value too long for one line is split in groups of this many characters. */
const HASH_GROUP = 16

/** `value` on one line when it fits `perLine` characters, else cut in whole groups of HASH_GROUP per line. */
function hashLines(value: string, perLine: number): string[] {
  if (value.length <= perLine) return [value]
  const width = Math.max(HASH_GROUP, perLine - (perLine % HASH_GROUP))
  const lines: string[] = []
  for (let i = 0; i < value.length; i += width) lines.push(value.slice(i, i + width))
  return lines
}

/** Fonts registered in each document. Every user-written string uses the CJK-capable faces. */
export const F = { body: 'body', bold: 'bold', mono: 'Courier' } as const

export type DocT = InstanceType<typeof PDFDocument>

export class Layout {
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

  /** Label/value rows with hairlines; `mono` values are hex or base64 that must stay copyable (hashRow). */
  rows(rows: Array<[string, string] | [string, string, 'mono' | 'strong']>, labelWidth = 190): void {
    const doc = this.doc
    const valueX = MARGIN.left + labelWidth + 10
    const valueWidth = WIDTH - labelWidth - 10
    for (const [label, value, style] of rows) {
      if (style === 'mono') {
        this.hashRow(label, value)
        continue
      }
      const valueFont = style === 'strong' ? F.bold : F.body
      const valueSize = 10
      const lh = doc.font(F.body).fontSize(9.5).heightOfString(label, { width: labelWidth })
      const vh = doc.font(valueFont).fontSize(valueSize).heightOfString(value, { width: valueWidth, lineGap: 1.5 })
      const h = Math.max(lh, vh)
      this.ensure(h + 8)
      const y = doc.y
      doc.font(F.body).fontSize(9.5).fillColor(COLOR.muted).text(label, MARGIN.left, y, { width: labelWidth })
      doc.font(valueFont).fontSize(valueSize).fillColor(COLOR.ink).text(value, valueX, y, {
        width: valueWidth,
        lineGap: 1.5,
      })
      const ruleY = y + h + 4
      doc.moveTo(MARGIN.left, ruleY).lineTo(MARGIN.left + WIDTH, ruleY).lineWidth(0.4).strokeColor(COLOR.rule).stroke()
      doc.y = ruleY + 4
    }
  }

  /**
   * A hash, signature or key id under its label, on one line of the full width: a value that wraps cannot be
   * copied or compared by eye. Longer values than a line holds at 6.5 pt go in fixed groups, one per line.
   */
  private hashRow(label: string, value: string): void {
    const doc = this.doc
    const size = Math.min(8.5, Math.max(6.5, WIDTH / (COURIER_ADVANCE * Math.max(value.length, 1))))
    const perLine = Math.floor(WIDTH / (COURIER_ADVANCE * size))
    const lines = hashLines(value, perLine)
    const lh = doc.font(F.body).fontSize(9.5).heightOfString(label, { width: WIDTH })
    const h = lh + 2 + lines.length * (size + 2.5)
    this.ensure(h + 8)
    const y = doc.y
    doc.font(F.body).fontSize(9.5).fillColor(COLOR.muted).text(label, MARGIN.left, y, { width: WIDTH })
    let vy = y + lh + 2
    for (const line of lines) {
      doc.font(F.mono).fontSize(size).fillColor(COLOR.ink).text(line, MARGIN.left, vy, { width: WIDTH, lineBreak: false })
      vy += size + 2.5
    }
    const ruleY = y + h + 2
    doc.moveTo(MARGIN.left, ruleY).lineTo(MARGIN.left + WIDTH, ruleY).lineWidth(0.4).strokeColor(COLOR.rule).stroke()
    doc.y = ruleY + 4
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
