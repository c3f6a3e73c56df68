// The room's evidence: every attachment its log holds, by sha256 (loaded in full: the agreement lists them),
// and the ones being recorded, which count against the quota before they are committed.
import type { AttachmentInfo, AttachmentPayload, AttachmentUploaded } from '../../shared/protocol/attachment.ts'
import { refuse, type Refusal } from '../../shared/protocol/errors.ts'
import { actorOf, type Actor } from '../../shared/protocol/room.ts'
import type { Ack } from '../../shared/protocol/socket.ts'
import { toAttachmentInfo } from './eventViews.ts'
import { guard } from './guard.ts'
import type { Room } from './Room.ts'

export class Attachments {
  private readonly bySha = new Map<string, AttachmentInfo>()
  private readonly inFlight = new Map<string, Promise<Ack<AttachmentUploaded>>>()
  private readonly sizesInFlight = new Map<string, { size: number }>()

  constructor(private readonly room: Room) {}

  /** In upload order (each sha256 once), as copies. */
  get list(): AttachmentInfo[] {
    return [...this.bySha.values()].map((a) => ({ ...a, uploadedBy: { ...a.uploadedBy } }))
  }

  /**
   * Logs an attachment whose bytes are already stored, then publishes it as a room:event line.
   * Allowed after the lock too (follow-up evidence; the agreement keeps the list it was signed with).
   * The same bytes twice answer the first record (`duplicate`), nothing is logged again.
   */
  add(actor: Actor, record: AttachmentPayload): Promise<Ack<AttachmentUploaded>> {
    const refused = guard(this.room, actor, { party: 'only the borrower and the lender add attachments' })
    if (refused) return Promise.resolve(refused)
    const known = this.bySha.get(record.sha256)
    if (known) return Promise.resolve({ ok: true, attachment: { ...known }, duplicate: true })
    const inFlight = this.inFlight.get(record.sha256)
    if (inFlight) return inFlight.then((r) => (r.ok ? { ...r, duplicate: true } : r))
    const overQuota = this.refusal(record.sha256, record.size)
    if (overQuota) return Promise.resolve(overQuota)

    const payload: AttachmentPayload = { sha256: record.sha256, size: record.size, mediaType: record.mediaType, name: record.name }
    const result = this.room.write([{ actor: actorOf(actor), type: 'attachment', payload: { ...payload } }]).then(
      ([r]): Ack<AttachmentUploaded> => {
        const info = toAttachmentInfo(r!.event)
        this.remember(info)
        this.room.publishLine(r!.event)
        return { ok: true, attachment: { ...info }, duplicate: false }
      },
      () => refuse('storage_failure', 'the attachment could not be recorded; upload it again'),
    )
    this.inFlight.set(record.sha256, result)
    this.sizesInFlight.set(record.sha256, { size: record.size })
    void result.then(() => {
      this.inFlight.delete(record.sha256)
      this.sizesInFlight.delete(record.sha256)
    })
    return result
  }

  /** Null when an attachment of these bytes fits the room's quota (the same bytes again always do: nothing is added). */
  refusal(sha256: string, size: number): Refusal | null {
    if (this.bySha.has(sha256) || this.inFlight.has(sha256)) return null
    return this.room.gate.quotas.checkAttachment([...this.bySha.values(), ...this.sizesInFlight.values()], size)
  }

  /** A committed attachment (this process's, another's, or the log's at load); the first record of the bytes stays. */
  remember(a: AttachmentInfo): void {
    if (!this.bySha.has(a.sha256)) this.bySha.set(a.sha256, a)
  }
}
