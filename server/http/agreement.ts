// The signed agreement of a locked room: GET /api/rooms/:id/agreement (JSON), …/agreement.pdf?lang=en|zh,
// and the key that verifies it, GET /api/public-key (public: anyone may check an agreement offline).
import { Router, type Request, type Response } from 'express'
import { AgreementPdfCache } from '../agreement/AgreementPdfCache.ts'
import { PUBLIC_KEY_PATH } from '../agreement/agreementPdf.ts'
import { publicKeyJwk, type ServerKey } from '../agreement/serverKey.ts'
import { sendError } from './errors.ts'
import { lockedAgreement } from './lockedAgreement.ts'
import type { RouteContext } from './routeContext.ts'

export interface AgreementRouterOptions extends Pick<RouteContext, 'registry' | 'auth' | 'log'> {
  serverKey: ServerKey
  pdfs: AgreementPdfCache
}

export function agreementRouter(o: AgreementRouterOptions): Router {
  const router = Router()

  router.get(PUBLIC_KEY_PATH, (_req, res) => {
    res.json(publicKeyJwk(o.serverKey))
  })

  const find = (id: string, req: Request, res: Response) => lockedAgreement(o, req, res, id, 404)

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
