// Per-room size quotas, decided before an update is applied or stored (issue #14 §1: a member
// once grew `clauses` past V8's string limit and every join crashed the process). The document
// size is tracked as "last measured + every accepted update since", an upper bound that is
// only re-measured (one encodeStateAsUpdate) when it would cross the limit, so a large insert
// into a room near its limit costs one encode at most, and nothing at all otherwise.
import * as Y from 'yjs'
import { ROOT } from '../../shared/document/roomDoc.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'

export interface QuotaLimits {
  /** Encoded size of the whole document (bytes). */
  maxDocBytes: number
  /** Length of the clauses text (UTF-16 code units, as Y.Text counts). */
  maxClausesChars: number
  /** Size of any one update (bytes). */
  maxUpdateBytes: number
  /** Number of attachments in the room. */
  maxAttachments: number
  /** Total bytes of the room's attachments. */
  maxAttachmentBytes: number
}

const MiB = 1024 * 1024

/** Far above a real negotiation (clauses of a few hundred KB), far below V8's ~512 M string limit. */
export const DEFAULT_QUOTAS: QuotaLimits = {
  maxDocBytes: 8 * MiB,
  maxClausesChars: 1_000_000,
  maxUpdateBytes: MiB,
  maxAttachments: 100,
  maxAttachmentBytes: 200 * MiB,
}

/** What an update would add, as inspectUpdate measured it without applying anything. */
export interface UpdateGrowth {
  /** Characters inserted per root (strings' lengths). */
  insertedChars: ReadonlyMap<string, number>
  /** Bytes of new content and per-item overhead: what the encoded document can grow by at most (about). */
  insertedBytes: number
}

/** An attachment already in the room, or being recorded. */
export interface AttachmentSize {
  size: number
}

function mb(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`
}

export class RoomQuotas {
  /** Encoded size when last measured, and the bytes of accepted updates since. */
  private measured = 0
  private addedSince = 0
  /** Set at load when the stored room is already over a quota: every change is refused with it. */
  readonly overOnLoad: string | null

  constructor(
    readonly limits: QuotaLimits,
    private readonly doc: Y.Doc,
  ) {
    this.measure()
    this.overOnLoad = this.loadedOver()
  }

  /** Bytes the document takes at most right now. */
  get docBytes(): number {
    return this.measured + this.addedSince
  }

  /** Null when the update may be applied; else why not. Call after the update was found to change something. */
  checkUpdate(update: Uint8Array, growth: UpdateGrowth): Refusal | null {
    const l = this.limits
    if (this.overOnLoad) return refuse('quota_exceeded', this.overOnLoad)
    if (update.length > l.maxUpdateBytes) {
      return refuse('quota_exceeded', `this proposal is too long (one change is ${mb(update.length)}; the limit is ${mb(l.maxUpdateBytes)})`)
    }
    const clauses = this.doc.getText(ROOT.clauses).length + (growth.insertedChars.get(ROOT.clauses) ?? 0)
    if (clauses > l.maxClausesChars) {
      return refuse('quota_exceeded', `this proposal is too long (the clauses would have ${clauses} characters; the limit is ${l.maxClausesChars})`)
    }
    // Not the update's length: a reconnecting client's sync step 2 repeats its whole delete set.
    if (this.docBytes + growth.insertedBytes > l.maxDocBytes && this.addedSince > 0) this.measure()
    if (this.docBytes + growth.insertedBytes > l.maxDocBytes) {
      return refuse('quota_exceeded', `this proposal is too long (the document would pass ${mb(l.maxDocBytes)})`)
    }
    return null
  }

  /** An update was applied: `effective` is what it changed (Yjs's own encoding of the change). */
  accepted(effective: Uint8Array): void {
    this.addedSince += effective.length
  }

  /** Null when one more attachment of `size` bytes fits beside `existing` (stored and in flight). */
  checkAttachment(existing: Iterable<AttachmentSize>, size: number): Refusal | null {
    let count = 1
    let bytes = size
    for (const a of existing) {
      count++
      bytes += a.size
    }
    const l = this.limits
    if (count > l.maxAttachments) return refuse('quota_exceeded', `this room has its ${l.maxAttachments} attachments already`)
    if (bytes > l.maxAttachmentBytes) {
      return refuse('quota_exceeded', `the room's attachments would pass ${mb(l.maxAttachmentBytes)} (${mb(bytes - size)} stored)`)
    }
    return null
  }

  private measure(): void {
    this.measured = Y.encodeStateAsUpdate(this.doc).length
    this.addedSince = 0
  }

  private loadedOver(): string | null {
    const l = this.limits
    const clauses = this.doc.getText(ROOT.clauses).length
    if (clauses > l.maxClausesChars) {
      return `this room is over its size limit (clauses: ${clauses} of ${l.maxClausesChars} characters) and is read-only`
    }
    if (this.measured > l.maxDocBytes) {
      return `this room is over its size limit (document: ${mb(this.measured)} of ${mb(l.maxDocBytes)}) and is read-only`
    }
    return null
  }
}

/** The quotas of the server's configuration (ROOM_MAX_* in server/config.ts). */
export function quotasOf(c: {
  roomMaxDocBytes: number
  roomMaxClausesChars: number
  roomMaxUpdateBytes: number
  roomMaxAttachments: number
  roomMaxAttachmentBytes: number
}): QuotaLimits {
  return {
    maxDocBytes: c.roomMaxDocBytes,
    maxClausesChars: c.roomMaxClausesChars,
    maxUpdateBytes: c.roomMaxUpdateBytes,
    maxAttachments: c.roomMaxAttachments,
    maxAttachmentBytes: c.roomMaxAttachmentBytes,
  }
}
