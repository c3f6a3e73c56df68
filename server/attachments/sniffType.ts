// What an uploaded attachment really is, from its bytes (never from its name or the client's
// Content-Type): PDF, PNG or JPEG, each with a minimal structural check; everything else is refused.
// Pure: no I/O. The route reads the body (capped), calls attachmentRecord and stores the bytes by hash.
import { createHash } from 'node:crypto'
import type { AgreementAttachment } from '../../shared/agreement/agreement.ts'
import type { Actor } from '../../shared/protocol/room.ts'

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
export const MAX_NAME_LENGTH = 200

export type AttachmentMediaType = 'application/pdf' | 'image/png' | 'image/jpeg'
export type AttachmentErrorCode = 'unsupported_type' | 'too_large'

export interface AttachmentRefusal {
  ok: false
  error: AttachmentErrorCode
  message: string
}

export type SniffResult = { ok: true; mediaType: AttachmentMediaType; extension: string } | AttachmentRefusal

export interface AttachmentRecord {
  /** SHA-256 (hex) of the bytes: the attachment's identity in the log and the agreement. */
  sha256: string
  size: number
  mediaType: AttachmentMediaType
  /** Sanitised: no path, no control or bidi characters, ≤ 200 characters, an extension matching the type. */
  name: string
  uploadedBy: Actor
}

export type AttachmentResult = { ok: true; record: AttachmentRecord } | AttachmentRefusal

/** How far from the end a trailer may sit (PDF readers look for %%EOF in the last 1024 bytes). */
const TAIL = 1024

const EXTENSIONS: Record<AttachmentMediaType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function refuse(error: AttachmentErrorCode, message: string): AttachmentRefusal {
  return { ok: false, error, message }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false
  return true
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0))
}

/** Whether `needle` occurs within the last `TAIL` bytes. */
function inTail(bytes: Uint8Array, needle: readonly number[]): boolean {
  const from = Math.max(0, bytes.length - TAIL)
  for (let i = bytes.length - needle.length; i >= from; i--) if (startsWith(bytes, needle, i)) return true
  return false
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

function crc32(bytes: Uint8Array, from: number, to: number): number {
  let c = 0xffffffff
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** "%PDF-1.7" at the start, "%%EOF" near the end. */
function pdfProblem(bytes: Uint8Array): string | null {
  const header = String.fromCharCode(...bytes.subarray(0, 8))
  if (!/^%PDF-\d\.\d$/.test(header)) return 'the PDF header has no version (expected "%PDF-1.x")'
  if (!inTail(bytes, ascii('%%EOF'))) return 'the PDF has no "%%EOF" at its end (truncated?)'
  return null
}

/** Signature, then an IHDR chunk (13 bytes, sane dimensions and depth, valid CRC), and IEND near the end. */
function pngProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 8 + 25 + 12) return 'the PNG is too short to hold its header'
  if (u32(bytes, 8) !== 13 || !startsWith(bytes, ascii('IHDR'), 12)) return 'the PNG does not start with an IHDR chunk'
  const width = u32(bytes, 16)
  const height = u32(bytes, 20)
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return 'the PNG has invalid dimensions'
  const depth = bytes[24]!
  const colour = bytes[25]!
  const depths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] }
  if (!depths[colour]?.includes(depth)) return 'the PNG has an invalid bit depth or colour type'
  if (crc32(bytes, 12, 29) !== u32(bytes, 29)) return 'the PNG header checksum is wrong'
  if (!inTail(bytes, ascii('IEND'))) return 'the PNG has no IEND chunk at its end (truncated?)'
  return null
}

/** SOI, well-formed marker segments up to the scan with a frame header before it, EOI near the end. */
function jpegProblem(bytes: Uint8Array): string | null {
  let i = 2
  let frame = false
  for (;;) {
    if (i + 4 > bytes.length) return 'the JPEG ends inside its headers'
    if (bytes[i] !== 0xff) return 'the JPEG headers are malformed'
    let marker = bytes[i + 1]!
    while (marker === 0xff && i + 2 < bytes.length) marker = bytes[++i + 1]! // fill bytes
    if (marker === 0xd8 || marker === 0xd9 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x00) {
      return 'the JPEG headers are malformed'
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!
    if (length < 2 || i + 2 + length > bytes.length) return 'the JPEG headers are malformed'
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) frame = true
    if (marker === 0xda) break
    i += 2 + length
  }
  if (!frame) return 'the JPEG has no frame header before its image data'
  if (!inTail(bytes, [0xff, 0xd9])) return 'the JPEG has no end-of-image marker (truncated?)'
  return null
}

/** The media type of the bytes, or `unsupported_type` / `too_large` with a message a person can act on. */
export function sniffType(bytes: Uint8Array): SniffResult {
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    return refuse('too_large', `the file is ${(bytes.length / 1048576).toFixed(1)} MiB; attachments are limited to 10 MiB`)
  }
  if (bytes.length === 0) return refuse('unsupported_type', 'the file is empty')
  const checks: [boolean, AttachmentMediaType, string, (b: Uint8Array) => string | null][] = [
    [startsWith(bytes, ascii('%PDF-')), 'application/pdf', 'pdf', pdfProblem],
    [startsWith(bytes, PNG_SIGNATURE), 'image/png', 'png', pngProblem],
    [startsWith(bytes, [0xff, 0xd8, 0xff]), 'image/jpeg', 'jpg', jpegProblem],
  ]
  for (const [matches, mediaType, extension, problem] of checks) {
    if (!matches) continue
    const reason = problem(bytes)
    return reason ? refuse('unsupported_type', `${reason}; only complete PDF, PNG and JPEG files can be attached`) : { ok: true, mediaType, extension }
  }
  return refuse('unsupported_type', 'only PDF, PNG and JPEG files can be attached (the content is none of them, whatever its name)')
}

// C0 and C1 controls, DEL, zero-width and bidirectional formatting characters (an RTL override
// turns "invoice‮fdp.exe" into what reads as "invoiceexe.pdf").
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g
const RESERVED = /[<>:"|?*]/g
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)$/i

/** A file name safe to show and to offer for download, ending in an extension of `mediaType`. */
export function sanitizeFileName(original: string, mediaType: AttachmentMediaType): string {
  const base = original.normalize('NFC').split(/[/\\]/).filter((part) => part.trim() !== '').pop() ?? ''
  const name = base.replace(INVISIBLE, '').replace(RESERVED, '_').replace(/\s+/g, ' ').replace(/^\s+|[\s.]+$/g, '')
  const dot = name.lastIndexOf('.')
  let stem = dot >= 0 ? name.slice(0, dot) : name
  let ext = dot >= 0 ? name.slice(dot + 1) : ''
  if (!EXTENSIONS[mediaType].includes(ext.toLowerCase())) {
    // Keep what the person typed; add the real type's extension.
    stem = name
    ext = EXTENSIONS[mediaType][0]!
  }
  // No hidden files ("..x"), no name that is only an extension.
  stem = stem.replace(/^[\s.]+/, '')
  if (stem.trim() === '') stem = 'attachment'
  if (WINDOWS_DEVICE.test(stem)) stem = `_${stem}`
  const room = MAX_NAME_LENGTH - ext.length - 1
  const points = [...stem]
  if (points.length > room) stem = points.slice(0, room).join('').replace(/[\s.]+$/, '')
  return `${stem}.${ext}`
}

/** Checks the bytes and builds the record the room logs and the agreement references. */
export function attachmentRecord(bytes: Uint8Array, originalName: string, uploader: Actor): AttachmentResult {
  const sniffed = sniffType(bytes)
  if (!sniffed.ok) return sniffed
  return {
    ok: true,
    record: {
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      mediaType: sniffed.mediaType,
      name: sanitizeFileName(originalName, sniffed.mediaType),
      uploadedBy: { role: uploader.role, name: uploader.name },
    },
  }
}

/** The agreement's reference to an attachment (no uploader: the log holds who attached it). */
export function toAgreementAttachment(r: AttachmentRecord): AgreementAttachment {
  return { name: r.name, sha256: r.sha256, size: r.size, mediaType: r.mediaType }
}
