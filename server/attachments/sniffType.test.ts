import { createHash } from 'node:crypto'
import zlib from 'node:zlib'
import PDFDocument from 'pdfkit'
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { describe, expect, it } from 'vitest'
import { attachmentRecord, MAX_ATTACHMENT_BYTES, sanitizeFileName, sniffType, toAgreementAttachment } from './sniffType.ts'

const bytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))))

/** A minimal one-page PDF with a correct cross-reference table. */
function minimalPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(body.length)
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return bytes(body)
}

function pdfkitPdf(): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A6' })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.text('Repayment receipt, March 2025')
    doc.end()
  })
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = bytes(type, data)
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  Buffer.from(body).copy(out, 4)
  out.writeUInt32BE(zlib.crc32(body), 8 + data.length)
  return out
}

/** A 1×1 RGBA PNG: signature, IHDR, IDAT (deflated scanline), IEND. */
function minimalPng(): Uint8Array {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const idat = zlib.deflateSync(Buffer.from([0, 0x2a, 0x6b, 0xd0, 0xff]))
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array()))
}

/** A baseline 8×8 grey JPEG: one block whose DC and AC codes are both "0" (uniform grey). */
function minimalJpeg(): Uint8Array {
  const bits = (count: number) => [count, ...new Array<number>(15).fill(0)]
  return bytes(
    [0xff, 0xd8],
    [0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
    [0xff, 0xdb, 0x00, 0x43, 0x00], new Array<number>(64).fill(1),
    [0xff, 0xc0, 0x00, 0x0b, 8, 0, 8, 0, 8, 1, 1, 0x11, 0],
    [0xff, 0xc4, 0x00, 0x14, 0x00], bits(1), [0x00],
    [0xff, 0xc4, 0x00, 0x14, 0x10], bits(1), [0x00],
    [0xff, 0xda, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0],
    [0x3f],
    [0xff, 0xd9],
  )
}

/** The fixtures are real images: pdfkit embeds them, pdf.js decodes them back to pixels. */
async function decodedSize(image: Uint8Array): Promise<[number, number]> {
  const pdf: Buffer = await new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A6' })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.image(Buffer.from(image), 10, 10, { width: 50 })
    doc.end()
  })
  const page = await (await getDocument({ data: new Uint8Array(pdf), isImageDecoderSupported: false } as Parameters<typeof getDocument>[0]).promise).getPage(1)
  const ops = await page.getOperatorList()
  const name = ops.argsArray[ops.fnArray.indexOf(OPS.paintImageXObject)][0] as string
  const img = await new Promise<{ width: number; height: number }>((resolve) => page.objs.get(name, resolve))
  return [img.width, img.height]
}

describe('sniffType', () => {
  it('accepts real minimal PDF, PNG and JPEG files', async () => {
    const pdf = minimalPdf()
    // It is a real PDF: pdf.js opens it.
    expect((await getDocument({ data: new Uint8Array(pdf) }).promise).numPages).toBe(1)
    expect(sniffType(pdf)).toEqual({ ok: true, mediaType: 'application/pdf', extension: 'pdf' })
    expect(sniffType(await pdfkitPdf())).toMatchObject({ ok: true, mediaType: 'application/pdf' })
    expect(sniffType(minimalPng())).toEqual({ ok: true, mediaType: 'image/png', extension: 'png' })
    expect(sniffType(minimalJpeg())).toEqual({ ok: true, mediaType: 'image/jpeg', extension: 'jpg' })
    expect(await decodedSize(minimalPng())).toEqual([1, 1])
    expect(await decodedSize(minimalJpeg())).toEqual([8, 8])
  })

  it.each([
    ['a text file renamed .pdf', bytes('Dear lender, please find attached…\n')],
    ['a Windows executable', bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0], new Array<number>(56).fill(0), 'This program cannot be run in DOS mode.')],
    ['an ELF binary', bytes([0x7f], 'ELF', [2, 1, 1, 0])],
    ['a GIF', bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0])],
    ['HTML', bytes('<!doctype html><script>alert(1)</script>')],
    ['a ZIP (docx)', bytes('PK', [3, 4, 20, 0])],
  ])('refuses %s as unsupported_type', (_name, data) => {
    expect(sniffType(data)).toEqual({ ok: false, error: 'unsupported_type', message: expect.stringMatching(/only PDF, PNG and JPEG/) })
  })

  it('refuses an empty file', () => {
    expect(sniffType(new Uint8Array())).toEqual({ ok: false, error: 'unsupported_type', message: 'the file is empty' })
  })

  it('refuses a file over 10 MiB as too_large, and takes one of exactly 10 MiB', () => {
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1)
    big.set(minimalPdf())
    expect(sniffType(big)).toEqual({ ok: false, error: 'too_large', message: 'the file is 10.0 MiB; attachments are limited to 10 MiB' })
    const pdf = minimalPdf()
    const exact = new Uint8Array(MAX_ATTACHMENT_BYTES)
    exact.set(pdf.subarray(0, pdf.length - 6))
    exact.set(bytes('%%EOF\n'), exact.length - 6)
    expect(sniffType(exact)).toMatchObject({ ok: true, mediaType: 'application/pdf' })
  })

  it('refuses files that only start like a PDF, PNG or JPEG', () => {
    const pdf = minimalPdf()
    expect(sniffType(pdf.subarray(0, pdf.length - 10))).toMatchObject({ error: 'unsupported_type', message: expect.stringMatching(/no "%%EOF"/) })
    expect(sniffType(bytes('%PDF-hello'))).toMatchObject({ error: 'unsupported_type', message: expect.stringMatching(/no version/) })
    const png = minimalPng()
    expect(sniffType(png.subarray(0, 8))).toMatchObject({ error: 'unsupported_type', message: expect.stringMatching(/too short/) })
    const badCrc = Uint8Array.from(png)
    badCrc[31] = badCrc[31]! ^ 1
    expect(sniffType(badCrc)).toMatchObject({ message: expect.stringMatching(/checksum/) })
    expect(sniffType(png.subarray(0, png.length - 12))).toMatchObject({ message: expect.stringMatching(/no IEND/) })
    const jpeg = minimalJpeg()
    expect(sniffType(jpeg.subarray(0, 3))).toMatchObject({ message: expect.stringMatching(/ends inside its headers/) })
    expect(sniffType(jpeg.subarray(0, jpeg.length - 2))).toMatchObject({ message: expect.stringMatching(/no end-of-image/) })
    expect(sniffType(bytes([0xff, 0xd8, 0xff], 'this is text really, with an EOI', [0xff, 0xd9]))).toMatchObject({ message: expect.stringMatching(/malformed/) })
  })
})

describe('attachmentRecord', () => {
  const uploader = { role: 'borrower', name: '张伟' } as const

  it('gives the hash, size, type and a clean name', () => {
    const pdf = minimalPdf()
    const r = attachmentRecord(pdf, 'C:\\Users\\zw\\Documents\\工资单 2025-03.PDF', uploader)
    expect(r).toEqual({
      ok: true,
      record: {
        sha256: createHash('sha256').update(pdf).digest('hex'),
        size: pdf.length,
        mediaType: 'application/pdf',
        name: '工资单 2025-03.PDF',
        uploadedBy: uploader,
      },
    })
    if (r.ok) expect(toAgreementAttachment(r.record)).toEqual({ name: r.record.name, sha256: r.record.sha256, size: pdf.length, mediaType: 'application/pdf' })
  })

  it('passes refusals through', () => {
    expect(attachmentRecord(bytes('hello'), 'notes.pdf', uploader)).toMatchObject({ ok: false, error: 'unsupported_type' })
  })

  it.each([
    ['../../etc/passwd', 'application/pdf', 'passwd.pdf'],
    ['/var/tmp/scan.jpeg', 'image/jpeg', 'scan.jpeg'],
    ['report.txt', 'application/pdf', 'report.txt.pdf'],
    ['photo.png', 'image/jpeg', 'photo.png.jpg'],
    ['invoice\u202Efdp.exe', 'application/pdf', 'invoicefdp.exe.pdf'],
    ['bad\u0000name\r\n\t.png', 'image/png', 'badname.png'],
    ['a<b>:c|d?e*"f".pdf', 'application/pdf', 'a_b__c_d_e__f_.pdf'],
    ['   ..hidden.png  ', 'image/png', 'hidden.png'],
    ['', 'application/pdf', 'attachment.pdf'],
    ['.pdf', 'application/pdf', 'attachment.pdf'],
    ['...', 'image/png', 'attachment.png'],
    ['.bashrc', 'application/pdf', 'bashrc.pdf'],
    ['CON.pdf', 'application/pdf', '_CON.pdf'],
    ['many     spaces.pdf', 'application/pdf', 'many spaces.pdf'],
  ] as const)('%j as %s → %j', (name, type, expected) => {
    expect(sanitizeFileName(name, type)).toBe(expected)
  })

  it('keeps names within 200 characters, with their extension, without splitting a character', () => {
    const long = sanitizeFileName(`${'借'.repeat(150)}${'😀'.repeat(100)}.pdf`, 'application/pdf')
    expect([...long].length).toBe(200)
    expect(long.endsWith('😀.pdf')).toBe(true)
    expect(long).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
  })
})
