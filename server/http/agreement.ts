// The signed agreement of a locked room: GET /api/rooms/:id/agreement (JSON), …/agreement.pdf?lang=en|zh,
// and the key that verifies it, GET /api/public-key (public: anyone may check an agreement offline).
import { Router, type Request, type Response } from 'express'
import { AgreementPdfCache } from '../agreement/AgreementPdfCache.ts'
import { PUBLIC_KEY_PATH } from '../agreement/agreementPdf.ts'
import { publicKeyJwk, type ServerKey } from '../agreement/serverKey.ts'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { sendError } from './errors.ts'
import { inRoom, roomCaller, type RouteContext } from './routeContext.ts'

export interface AgreementRouterOptions extends Pick<RouteContext, 'registry' | 'auth' | 'log'> {
  serverKey: ServerKey
  pdfs: AgreementPdfCache
}

interface Signed {
  agreement: Agreement
  hash: string
}

type Found = Signed | 'not_locked'

export function agreementRouter(o: AgreementRouterOptions): Router {
  const router = Router()

  router.get(PUBLIC_KEY_PATH, (_req, res) => {
    res.json(publicKeyJwk(o.serverKey))
  })

  /** The room's agreement; undefined when the request was answered already (refused, no room, not locked). */
  async function find(id: string, req: Request, res: Response): Promise<Signed | undefined> {
    if (!(await roomCaller(o.auth, req, res, id))) return undefined
    const found = await inRoom(o.registry, res, id, (room): Found => {
      if (room.phase !== 'locked' || !room.agreement || !room.agreementHash) return 'not_locked'
      return { agreement: room.agreement, hash: room.agreementHash }
    })
    if (found === 'not_locked') {
      sendError(res, 'not_locked', 'the room is not locked yet: there is no agreement', 404)
      return undefined
    }
    return found ?? undefined
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
