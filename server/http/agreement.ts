// The signed agreement of a locked room: GET /api/rooms/:id/agreement (JSON), …/agreement.pdf?lang=en|zh,
// and the key that verifies it, GET /api/public-key (public: anyone may check an agreement offline).
import { Router, type Request, type Response } from 'express'
import { AgreementPdfCache } from '../agreement/AgreementPdfCache.ts'
import { publicKeyJwk, type ServerKey } from '../agreement/serverKey.ts'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import type { Logger } from '../log.ts'
import type { RoomRegistry } from '../room/RoomRegistry.ts'
import { isRefused, type Authenticator } from './authenticate.ts'
import { sendError, sendRefusal } from './errors.ts'

export interface AgreementRouterOptions {
  registry: RoomRegistry
  auth: Authenticator
  serverKey: ServerKey
  pdfs: AgreementPdfCache
  log: Logger
}

interface Signed {
  agreement: Agreement
  hash: string
}

type Found = Signed | 'not_locked'

export function agreementRouter(o: AgreementRouterOptions): Router {
  const router = Router()

  router.get('/api/public-key', (_req, res) => {
    res.json(publicKeyJwk(o.serverKey))
  })

  /** The room's agreement; undefined when the request was answered already (refused, no room, not locked). */
  async function find(id: string, req: Request, res: Response): Promise<Signed | undefined> {
    const who = await o.auth.room(req, id)
    if (isRefused(who)) {
      sendRefusal(res, who)
      return undefined
    }
    const found = await o.registry.withRoom(id, (room): Found => {
      if (room.phase !== 'locked' || !room.agreement || !room.agreementHash) return 'not_locked'
      return { agreement: room.agreement, hash: room.agreementHash }
    })
    if (found === null) sendError(res, 'not_found', 'no such room')
    else if (found === 'not_locked') sendError(res, 'not_locked', 'the room is not locked yet: there is no agreement', 404)
    else return found
    return undefined
  }

  router.get('/api/rooms/:id/agreement', async (req, res) => {
    const found = await find(req.params.id, req, res)
    if (found) res.json(found.agreement)
  })

  router.get('/api/rooms/:id/agreement.pdf', async (req, res) => {
    const lang = req.query.lang ?? 'en'
    if (lang !== 'en' && lang !== 'zh') return sendError(res, 'invalid_payload', 'lang: must be en or zh')
    const found = await find(req.params.id, req, res)
    if (!found) return
    const pdf = await o.pdfs.get(found.agreement, found.hash, lang)
    res.setHeader('Content-Type', 'application/pdf')
    res.setHeader('Content-Disposition', `attachment; filename="agreement-${found.agreement.roomId}-${lang}.pdf"`)
    res.send(pdf)
  })

  return router
}
