// Small real PDF, PNG and JPEG files for attachment tests, and an upload helper.
import zlib from 'node:zlib'
import type { Endpoint } from './server.ts'

const bytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))))

/** A one-page PDF with a correct cross-reference table; `note` changes the bytes (and so the hash). */
export function minimalPdf(note = ''): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]
  let body = `%PDF-1.4\n%${note}\n`
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

function chunk(type: string, data: Uint8Array): Uint8Array {
  const body = bytes(type, data)
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  Buffer.from(body).copy(out, 4)
  out.writeUInt32BE(zlib.crc32(body), 8 + data.length)
  return out
}

/** A 1×1 RGBA PNG. */
export function minimalPng(): Uint8Array {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const idat = zlib.deflateSync(Buffer.from([0, 0x2a, 0x6b, 0xd0, 0xff]))
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array()))
}

/** A baseline 8×8 grey JPEG. */
export function minimalJpeg(): Uint8Array {
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

export interface UploadResult {
  status: number
  body: Record<string, unknown>
}

/** POST /api/rooms/:id/attachments with the raw bytes, as the browser client sends them. */
export async function upload(
  server: Endpoint,
  roomId: string,
  token: string | null,
  data: Uint8Array | ReadableStream<Uint8Array>,
  name: string,
  type = 'application/octet-stream',
): Promise<UploadResult> {
  const headers: Record<string, string> = { 'Content-Type': type, 'X-File-Name': encodeURIComponent(name) }
  if (token) headers.Authorization = `Bearer ${token}`
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body: data as BodyInit }
  if (!(data instanceof Uint8Array)) init.duplex = 'half'
  const res = await fetch(`${server.url}/api/rooms/${roomId}/attachments`, init)
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}
