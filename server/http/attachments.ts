// /api/rooms/:id/attachments: evidence files. The borrower or the lender uploads the raw bytes
// (Content-Type of the file, `X-File-Name: <percent-encoded name>`); the type is decided from the
// content, the bytes are stored by SHA-256 and the room logs an 'attachment' event. Members of the
// room (observers and the operator too) list and download what the room's log holds.
import { Router, type Request } from 'express'
import { refuse } from '../../shared/protocol/errors.ts'
import type { AttachmentInfo, AttachmentList } from '../../shared/protocol/attachment.ts'
import { tokenActor } from '../auth/tokens.ts'
import { isSha256, type AttachmentFiles } from '../attachments/AttachmentFiles.ts'
import { MAX_ATTACHMENT_BYTES, attachmentRecord } from '../attachments/sniffType.ts'
import { toAttachmentInfo } from '../room/eventViews.ts'
import { sendError, sendRefusal } from './errors.ts'
import { readUpload, refuseTooLarge } from './readUpload.ts'
import { inRoom, roomCaller, type RouteContext } from './routeContext.ts'

export interface AttachmentsRouterOptions extends RouteContext {
  files: AttachmentFiles
}

const TOO_LARGE = 'attachments are limited to 10 MiB'

/** The file's name from `X-File-Name` (percent-encoded UTF-8, or plain ASCII). */
function fileNameOf(req: Request): string {
  const raw = req.get('x-file-name') ?? ''
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

export function attachmentsRouter(o: AttachmentsRouterOptions): Router {
  const router = Router()

  /** Every attachment the room's log holds, each sha256 once (the first upload), or null for an unknown room. */
  async function listed(roomId: string): Promise<AttachmentInfo[] | null> {
    const loaded = o.registry.loaded(roomId)
    if (loaded && !loaded.broken) return loaded.attachments
    if (!(await o.store.getRoom(roomId))) return null
    const seen = new Map<string, AttachmentInfo>()
    for (const e of await o.store.readEventsOfType(roomId, 'attachment')) {
      const a = toAttachmentInfo(e)
      if (!seen.has(a.sha256)) seen.set(a.sha256, a)
    }
    return [...seen.values()]
  }

  router.post('/api/rooms/:id/attachments', async (req, res) => {
    const id = req.params.id
    const who = await roomCaller(o.auth, req, res, id)
    if (!who) return
    // Refused before the body is read: nothing of it is buffered.
    if (who.kind === 'operator') return sendRefusal(res, refuse('forbidden', 'only the borrower and the lender add attachments'))
    const { role, name } = who.token
    if (role !== 'borrower' && role !== 'lender') return sendRefusal(res, refuse('forbidden', 'observers cannot add attachments'))

    const body = await readUpload(req, MAX_ATTACHMENT_BYTES)
    if (!body.ok) {
      if (body.tooLarge) return refuseTooLarge(req, res, TOO_LARGE)
      return sendError(res, 'invalid_payload', body.message)
    }
    const checked = attachmentRecord(body.bytes, fileNameOf(req), { role, name })
    if (!checked.ok) return sendError(res, checked.error, checked.message)
    const record = checked.record
    // Before the bytes are stored: a room over its attachment quota must not fill the disk with refused files.
    const over = await o.registry.withRoom(id, (room) => room.attachmentRefusal(record.sha256, record.size))
    if (over) return sendRefusal(res, over)

    try {
      await o.files.put(record.sha256, body.bytes)
    } catch (err) {
      o.log.error({ roomId: id, err }, 'attachment could not be stored')
      return sendError(res, 'storage_failure', 'the file could not be stored; upload it again')
    }
    const result = await inRoom(o.registry, res, id, (room) =>
      room.addAttachment(tokenActor(who.token), { sha256: record.sha256, size: record.size, mediaType: record.mediaType, name: record.name }),
    )
    if (!result) return
    if (!result.ok) return sendRefusal(res, result)
    if (!result.duplicate) o.log.info({ roomId: id, sha256: record.sha256, size: record.size, mediaType: record.mediaType }, 'attachment added')
    res.status(result.duplicate ? 200 : 201).json({ attachment: result.attachment, duplicate: result.duplicate })
  })

  router.get('/api/rooms/:id/attachments', async (req, res) => {
    const id = req.params.id
    if (!(await roomCaller(o.auth, req, res, id))) return
    const attachments = await listed(id)
    if (!attachments) return sendError(res, 'not_found', 'no such room')
    const body: AttachmentList = { attachments }
    res.json(body)
  })

  router.get('/api/rooms/:id/attachments/:sha256', async (req, res) => {
    const id = req.params.id
    const sha = req.params.sha256.toLowerCase()
    if (!(await roomCaller(o.auth, req, res, id))) return
    if (!isSha256(sha)) return sendError(res, 'not_found', 'no such attachment in this room')
    // Only what this room's log lists: knowing a hash opens nothing of another room.
    const record = (await listed(id))?.find((a) => a.sha256 === sha)
    if (!record) return sendError(res, 'not_found', 'no such attachment in this room')
    const size = await o.files.size(sha)
    if (size === null) {
      o.log.error({ roomId: id, sha256: sha }, 'attachment listed in the log is missing from the attachment store')
      return sendError(res, 'unavailable', 'the file is not available on this server')
    }
    res.setHeader('Content-Type', record.mediaType)
    res.setHeader('Content-Length', String(size))
    res.setHeader('Content-Disposition', contentDisposition('attachment', record.name))
    res.setHeader('X-Content-Type-Options', 'nosniff')
    // Opened directly, it still cannot run anything in the app's origin.
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
    res.setHeader('ETag', `"${sha}"`)
    const stream = o.files.open(sha)
    stream.on('error', (err) => {
      o.log.error({ roomId: id, sha256: sha, err }, 'attachment read failed')
      res.destroy(err)
    })
    res.on('close', () => stream.destroy())
    stream.pipe(res)
  })

  return router
}
