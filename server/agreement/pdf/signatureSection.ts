// Who agreed, what they confirmed and how to check it: the parties, the confirmations, recorded consent, integrity.
import { fingerprint, type Agreement, type PartyRole } from '../../../shared/agreement/agreement.ts'
import { COLOR, F, MARGIN, WIDTH, type Layout } from './pdfLayout.ts'
import { utc } from './pdfText.ts'

/** The parties as legal persons: the borrower, and the lending institution with the person who signed for it. */
export function drawParties(l: Layout, a: Agreement): void {
  const name = (role: PartyRole) => a.confirmations.find((c) => c.role === role)?.name ?? ''
  const lender = a.lenderInstitution ? l.t('agreement.parties.lenderFor', { institution: a.lenderInstitution, name: name('lender') }) : name('lender')
  const staff = a.confirmations.find((c) => c.role === 'lender')?.staff
  l.heading(l.t('agreement.parties.heading'))
  l.rows([
    [l.t('agreement.role.borrower'), name('borrower'), 'strong'],
    [l.t('agreement.role.lender'), lender, 'strong'],
    // The staff member whose seat confirmed: the signed account, beside the name they typed.
    ...(staff ? [[l.t('agreement.parties.staff'), l.t('agreement.parties.staffValue', { ...staff })] as [string, string]] : []),
  ])
  l.paragraph(l.t('agreement.parties.note'), 8.5, COLOR.muted)
}

export function drawConfirmations(l: Layout, a: Agreement): void {
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
      l.t(`agreement.role.${c.role}`),
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
    l.doc.font(F.bold).fontSize(10.5).fillColor(COLOR.ink).text(`${l.t(`agreement.role.${c.role}`)} — ${c.name}`, MARGIN.left, l.doc.y + 2, { width: WIDTH })
    l.doc.y += 4
    // A party who read the summary in the other language is told so in this copy: the hash is of that text.
    if (c.summaryLang && c.summaryLang !== l.lang) {
      l.paragraph(l.t('agreement.consent.otherLang', { copy: l.t(`agreement.lang.${l.lang}`), lang: l.t(`agreement.lang.${c.summaryLang}`) }), 8.5, COLOR.muted)
    }
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

/** `publicKeyUrl`: where the server publishes the key that verifies the signature (GET /api/public-key). */
export function drawIntegrity(l: Layout, a: Agreement, publicKeyUrl: string): void {
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
  l.rows([[l.t('agreement.integrity.publicKey'), publicKeyUrl, 'mono']])
}
