// Evidence attachments (POST/GET /api/rooms/:id/attachments): the bytes are stored by their
// SHA-256; the room's log holds one 'attachment' event per file, so the archive lists them.
import type { Actor } from './room.ts'

/** The payload of an 'attachment' event (what the hash chain covers). */
export interface AttachmentPayload {
  /** SHA-256 (hex) of the bytes: the file's identity, and its name under DATA_DIR/attachments. */
  sha256: string
  size: number
  /** Checked from the content: application/pdf, image/png or image/jpeg. */
  mediaType: string
  /** Sanitised file name, shown and offered for download. */
  name: string
}

/** One attachment of a room, as listed: the logged payload plus who attached it, when, at which seq. */
export interface AttachmentInfo extends AttachmentPayload {
  uploadedBy: Actor
  seq: number
  /** ms since epoch */
  ts: number
}

/** GET /api/rooms/:id/attachments */
export interface AttachmentList {
  attachments: AttachmentInfo[]
}

/** POST /api/rooms/:id/attachments: 201 when logged now, 200 (duplicate) when the room already holds these bytes. */
export interface AttachmentUploaded {
  attachment: AttachmentInfo
  duplicate: boolean
}
