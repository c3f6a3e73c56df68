// What a locked agreement becomes outside the room: GET /api/rooms/:id/export/fineract | csv | json | ics
// (any token of the room, after the lock; 409 not_locked before).
import { Router, type Request, type Response } from 'express'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { agreementExport } from '../export/agreementExport.ts'
import { exportSchedule, type ExportSchedule } from '../export/exportSchedule.ts'
import { fineractExport } from '../export/fineract/fineractExport.ts'
import { paymentCalendar } from '../export/paymentCalendar.ts'
import { scheduleCsv } from '../export/scheduleCsv.ts'
import { CALENDAR_TEXT } from '../export/calendarText.ts'
import type { AgreementLang } from '../../shared/i18n/agreementText.ts'
import { parseFineractQuery } from '../export/exportQuery.schema.ts'
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

interface Loaded {
  agreement: Agreement
  schedule: ExportSchedule
}

export function exportsRouter(o: Pick<RouteContext, 'registry' | 'auth'>): Router {
  const router = Router()

  /** The agreement and its dated schedule; undefined once the request is answered. */
  async function load(req: Request, res: Response): Promise<Loaded | undefined> {
    const found = await lockedAgreement(o, req, res, String(req.params['id']), 409)
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

  /** A file download; the words in it in the language asked for (?lang=, else Accept-Language). */
  function fileRoute(path: string, file: (loaded: Loaded, lang: AgreementLang) => { type: string; name: string; text: string }): void {
    router.get(path, async (req, res) => {
      const lang = pageLang(req.query.lang, req.get('accept-language'))
      const loaded = await load(req, res)
      if (!loaded) return
      const { type, name, text } = file(loaded, lang)
      if (loaded.schedule.datesSource === 'assumed') res.setHeader(NOTES_HEADER, 'assumed_dates')
      res.vary('Accept-Language')
      attachment(res, type, name)
      res.send(text)
    })
  }

  fileRoute('/api/rooms/:id/export/csv', ({ agreement, schedule }, lang) => ({
    type: 'text/csv; charset=utf-8; header=present',
    name: `schedule-${agreement.roomId}.csv`,
    text: scheduleCsv(schedule.lines, agreement.currency, CALENDAR_TEXT[lang].locale),
  }))

  fileRoute('/api/rooms/:id/export/ics', ({ agreement, schedule }, lang) => ({
    type: 'text/calendar; charset=utf-8',
    name: `payments-${agreement.roomId}-${lang}.ics`,
    text: paymentCalendar(agreement, schedule, lang),
  }))

  fileRoute('/api/rooms/:id/export/json', ({ agreement, schedule }) => ({
    type: 'application/json; charset=utf-8',
    name: `agreement-${agreement.roomId}.json`,
    text: `${JSON.stringify(agreementExport(agreement, schedule), null, 2)}\n`,
  }))

  return router
}
