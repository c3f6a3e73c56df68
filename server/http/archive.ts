// GET /api/rooms/:id/archive and /api/rooms/:id/dispute-bundle (DESIGN.md "Archive and replay"):
// the room's whole hash-chained log as one JSON file, for any token of the room or the operator.
// A room can hold tens of thousands of events: the log is read page by page and streamed, with
// back-pressure and a turn of the event loop between pages, instead of built as one string.
import { Router, type Request, type Response } from 'express'
import type { Agreement, PublicKeyJwk } from '../../shared/agreement/agreement.ts'
import type { AnchorFields, ArchiveAnchor } from '../../shared/archive/anchor.ts'
import { buildArchiveFile, buildDisputeBundle } from '../../shared/archive/archiveFile.ts'
import { toArchiveEvent, type RoomRecord, type Store } from '../store/Store.ts'
import { contentDisposition } from './attachments.ts'
import { sendError } from './errors.ts'
import { roomCaller, type RouteContext } from './routeContext.ts'

export interface ArchiveRouterOptions extends Pick<RouteContext, 'store' | 'auth' | 'log'> {
  /** The signed agreement of a locked room, or null (not locked, or not stored). */
  agreement?: (roomId: string) => Promise<Agreement | null>
  /** The server's signing key for the bundle, or null when the server has none. */
  publicKey?: () => PublicKeyJwk | null
  /** Signs the anchor that ends every export (the agreement key); without it exports carry no anchor. */
  signAnchor?: (fields: AnchorFields) => ArchiveAnchor
  /** Events per store read (tests make it small to cross page boundaries). */
  pageSize?: number
}

const PAGE = 500

/** Resolves once `chunk` is handed to the socket (waits for 'drain' when the buffer is full); false if the client went away. */
function send(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false)
  if (res.write(chunk)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain)
      res.off('close', onClose)
      resolve(ok)
    }
    const onDrain = done(true)
    const onClose = done(false)
    res.once('drain', onDrain)
    res.once('close', onClose)
  })
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Writes the archive JSON of `room` (buildArchiveFile's envelope, then the events up to the log's
 * head when the request started, then the signed anchor over the last event written). Returns false
 * when the client went away.
 */
async function streamArchive(
  res: Response,
  store: Store,
  room: RoomRecord,
  exportedAt: Date,
  pageSize: number,
  signAnchor: ArchiveRouterOptions['signAnchor'],
): Promise<boolean> {
  const { events: _none, ...envelope } = buildArchiveFile({ roomId: room.id, title: room.title, currency: room.currency }, [], exportedAt)
  const head = JSON.stringify(envelope)
  if (!(await send(res, `${head.slice(0, -1)},"events":[`))) return false
  const last = room.lastSeq
  let first = true
  let end: { seq: number; hash: string } | null = null
  for (let from = 1; from <= last; from += pageSize) {
    const page = await store.readEvents(room.id, { fromSeq: from, toSeq: Math.min(last, from + pageSize - 1) })
    if (page.length === 0) continue
    const text = page.map((e) => JSON.stringify(toArchiveEvent(e))).join(',')
    if (!(await send(res, first ? text : `,${text}`))) return false
    first = false
    const tail = page.at(-1)!
    end = { seq: tail.seq, hash: tail.hash }
    await nextTurn()
  }
  if (!signAnchor || end === null) return send(res, ']}')
  const anchor = signAnchor({ roomId: room.id, lastSeq: end.seq, lastHash: end.hash, exportedAt: envelope.exportedAt })
  return send(res, `],"anchor":${JSON.stringify(anchor)}}`)
}

export function archiveRouter(o: ArchiveRouterOptions): Router {
  const router = Router()
  const pageSize = Math.max(1, o.pageSize ?? PAGE)

  /** Authenticates and finds the room; answers the refusal itself and returns null. */
  async function open(req: Request, res: Response): Promise<RoomRecord | null> {
    const id = String(req.params.id)
    if (!(await roomCaller(o.auth, req, res, id))) return null
    const room = await o.store.getRoom(id)
    if (!room) {
      sendError(res, 'not_found', 'no such room')
      return null
    }
    return room
  }

  async function stream(res: Response, room: RoomRecord, body: (exportedAt: Date) => Promise<boolean>): Promise<void> {
    const started = performance.now()
    try {
      const complete = await body(new Date())
      if (complete) res.end()
      else res.destroy()
      o.log.debug({ roomId: room.id, events: room.lastSeq, ms: Math.round(performance.now() - started), complete }, 'archive sent')
    } catch (err) {
      // The status is already sent: cut the body so the file cannot be mistaken for a whole one.
      o.log.error({ roomId: room.id, err }, 'archive export failed')
      res.destroy(err as Error)
    }
  }

  router.get('/api/rooms/:id/archive', async (req, res) => {
    const room = await open(req, res)
    if (!room) return
    res.status(200)
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.setHeader('Content-Disposition', contentDisposition('inline', `archive-${room.id}.json`))
    await stream(res, room, (at) => streamArchive(res, o.store, room, at, pageSize, o.signAnchor))
  })

  router.get('/api/rooms/:id/dispute-bundle', async (req, res) => {
    const room = await open(req, res)
    if (!room) return
    const agreement = room.phase === 'locked' && o.agreement ? await o.agreement(room.id) : null
    const bundle = buildDisputeBundle(buildArchiveFile({ roomId: room.id, title: room.title, currency: room.currency }, []), agreement, o.publicKey?.() ?? null)
    res.status(200)
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.setHeader('Content-Disposition', contentDisposition('attachment', `dispute-bundle-${room.id}.json`))
    await stream(res, room, async (at) => {
      // The key order of buildDisputeBundle: format, version, archive, agreement, publicKey.
      if (!(await send(res, `{"format":${JSON.stringify(bundle.format)},"version":${JSON.stringify(bundle.version)},"archive":`))) return false
      if (!(await streamArchive(res, o.store, room, at, pageSize, o.signAnchor))) return false
      return send(res, `,"agreement":${JSON.stringify(bundle.agreement)},"publicKey":${JSON.stringify(bundle.publicKey)}}`)
    })
  })

  return router
}
