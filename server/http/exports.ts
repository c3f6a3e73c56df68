// What a locked agreement becomes outside the room: GET /api/rooms/:id/export/fineract | csv | json | ics
// (any token of the room, after the lock; 409 not_locked before).
import { Router, type Request, type Response } from 'express'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { agreementExport } from '../../shared/export/agreementExport.ts'
import { exportSchedule, type ExportSchedule } from '../../shared/export/exportSchedule.ts'
import { fineractExport } from '../../shared/export/fineract/fineractExport.ts'
import { paymentCalendar } from '../../shared/export/paymentCalendar.ts'
import { scheduleCsv } from '../../shared/export/scheduleCsv.ts'
import { CALENDAR_TEXT } from '../../shared/export/calendarText.ts'
import { parseFineractQuery } from '../../shared/schema/exportQuery.schema.ts'
import { sendError } from './errors.ts'
import { lockedAgreement } from './lockedAgreement.ts'
import { pageLang } from './notFoundPage.ts'
import type { RouteContext } from './routeContext.ts'

/** Comma-separated note codes: a client that reads only the body (or a CSV) still learns what it does not say. */
export const NOTES_HEADER = 'X-Export-Notes'

function attachment(res: Response, type: string, filename: string): void {
  res.setHeader('Content-Type', type)
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`)
}

function datesNote(res: Response, schedule: ExportSchedule): void {
  if (schedule.datesSource === 'assumed') res.setHeader(NOTES_HEADER, 'assumed_dates')
}

export function exportsRouter(o: Pick<RouteContext, 'registry' | 'auth'>): Router {
  const router = Router()

  /** The agreement and its dated schedule; undefined once the request is answered. */
  async function load(req: Request<{ id: string }>, res: Response): Promise<{ agreement: Agreement; schedule: ExportSchedule } | undefined> {
    const found = await lockedAgreement(o, req, res, req.params.id, 409)
    return found && { agreement: found.agreement, schedule: exportSchedule(found.agreement) }
  }

  router.get('/api/rooms/:id/export/fineract', async (req, res) => {
    const query = parseFineractQuery(req.query)
    if (!query.ok) return sendError(res, 'invalid_payload', query.error)
    const loaded = await load(req, res)
    if (!loaded) return
    const out = fineractExport(loaded.agreement, loaded.schedule, query.value.options)
    const kind = out.endpoint === 'POST /loans' ? 'loan' : 'reschedule'
    res.setHeader('X-Fineract-Endpoint', out.endpoint)
    res.setHeader('X-Fineract-Exact', String(out.exact))
    if (out.notes.length > 0) res.setHeader(NOTES_HEADER, [...new Set(out.notes.map((n) => n.code))].join(', '))
    attachment(res, 'application/json; charset=utf-8', `fineract-${kind}-${loaded.agreement.roomId}.json`)
    res.send(`${JSON.stringify(query.value.part === 'body' ? out.body : out, null, 2)}\n`)
  })

  router.get('/api/rooms/:id/export/csv', async (req, res) => {
    const lang = pageLang(req.query.lang, req.get('accept-language'))
    const loaded = await load(req, res)
    if (!loaded) return
    datesNote(res, loaded.schedule)
    res.vary('Accept-Language')
    attachment(res, 'text/csv; charset=utf-8; header=present', `schedule-${loaded.agreement.roomId}.csv`)
    res.send(scheduleCsv(loaded.schedule.lines, loaded.agreement.currency, CALENDAR_TEXT[lang].locale))
  })

  router.get('/api/rooms/:id/export/json', async (req, res) => {
    const loaded = await load(req, res)
    if (!loaded) return
    datesNote(res, loaded.schedule)
    attachment(res, 'application/json; charset=utf-8', `agreement-${loaded.agreement.roomId}.json`)
    res.send(`${JSON.stringify(agreementExport(loaded.agreement, loaded.schedule), null, 2)}\n`)
  })

  router.get('/api/rooms/:id/export/ics', async (req, res) => {
    const lang = pageLang(req.query.lang, req.get('accept-language'))
    const loaded = await load(req, res)
    if (!loaded) return
    datesNote(res, loaded.schedule)
    res.vary('Accept-Language')
    attachment(res, 'text/calendar; charset=utf-8', `payments-${loaded.agreement.roomId}-${lang}.ics`)
    res.send(paymentCalendar(loaded.agreement, loaded.schedule, lang))
  })

  return router
}
