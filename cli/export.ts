// `cli export <fineract|csv|json|ics> FILE [options]`: the server's exports, offline, from a downloaded agreement.
import fs from 'node:fs'
import { verifyAgreement } from '../shared/agreement/verifyAgreement.ts'
import { agreementExport } from '../server/export/agreementExport.ts'
import { CALENDAR_TEXT } from '../server/export/calendarText.ts'
import { exportSchedule } from '../server/export/exportSchedule.ts'
import { fineractExport } from '../server/export/fineract/fineractExport.ts'
import { paymentCalendar } from '../server/export/paymentCalendar.ts'
import { scheduleCsv } from '../server/export/scheduleCsv.ts'
import { parseFineractQuery } from '../server/export/exportQuery.schema.ts'
import { isObject } from '../shared/schema/isObject.ts'
import { EXIT, type CliIo, type Command } from './command.ts'
import { parseFileArgs } from './fileArgs.ts'

export const EXPORT_USAGE = `export <fineract|csv|json|ics> FILE [--lang en|zh] [--key PUBLIC_KEY_FILE]
       [--client-id N] [--product-id N] [--loan-id N] [--reschedule-reason-id N] [--fee-charge-id N]
       [--reschedule-from YYYY-MM-DD] [--as loan|reschedule] [--part body|all]
  FILE: a signed agreement (GET /api/rooms/:id/agreement), a JSON export or a dispute bundle. It is verified
  first (with --key, else its embedded key) and nothing is written for one that does not verify. Writes to
  stdout what GET /api/rooms/:id/export/<format> answers; Fineract notes also go to stderr.
  Exit 0 written, 1 FILE unreadable or not a valid agreement, 2 bad usage.`

const FORMATS = ['fineract', 'csv', 'json', 'ics'] as const
type Format = (typeof FORMATS)[number]

const OPTIONS = ['lang', 'key', 'client-id', 'product-id', 'loan-id', 'reschedule-reason-id', 'fee-charge-id', 'reschedule-from', 'as', 'part'] as const

/** The agreement inside whatever file the server gave out. */
function agreementIn(value: unknown): unknown {
  if (isObject(value) && isObject(value['agreement'])) return value['agreement']
  return value
}

export async function runExport(argv: string[], cli: Pick<CliIo, 'stdout' | 'stderr'>): Promise<number> {
  const usage = (problem: string) => {
    cli.stderr(`export: ${problem}\nusage: ${EXPORT_USAGE}\n`)
    return EXIT.usage
  }
  const [format, ...rest] = argv
  if (format === '--help' || format === '-h') {
    cli.stdout(`usage: ${EXPORT_USAGE}\n`)
    return EXIT.ok
  }
  if (!FORMATS.includes(format as Format)) return usage(`the format must be one of ${FORMATS.join(', ')}`)
  const args = parseFileArgs(rest, OPTIONS)
  if (typeof args === 'string') return args === '' ? (cli.stdout(`usage: ${EXPORT_USAGE}\n`), EXIT.ok) : usage(args)
  const o = args.options
  if (o.lang !== undefined && o.lang !== 'en' && o.lang !== 'zh') return usage('--lang must be en or zh')
  const query = parseFineractQuery(
    Object.fromEntries(
      Object.entries({
        clientId: o['client-id'],
        productId: o['product-id'],
        loanId: o['loan-id'],
        rescheduleReasonId: o['reschedule-reason-id'],
        feeChargeId: o['fee-charge-id'],
        rescheduleFromDate: o['reschedule-from'],
        as: o.as,
        part: o.part,
      }).filter(([, v]) => v !== undefined),
    ),
  )
  if (!query.ok) return usage(query.error)

  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(args.file, 'utf8'))
  } catch (err) {
    cli.stderr(`export: cannot read ${args.file}: ${(err as Error).message}\n`)
    return EXIT.invalidItem
  }
  const key = o.key === undefined ? undefined : fs.readFileSync(o.key, 'utf8')
  const verified = await verifyAgreement(agreementIn(parsed), key === undefined ? {} : { publicKey: key })
  if (!verified.valid || !verified.agreement) {
    cli.stderr(`export: ${args.file} is not a valid signed agreement:\n${verified.problems.map((p) => `  - ${p.message}\n`).join('')}`)
    return EXIT.invalidItem
  }
  const agreement = verified.agreement
  const schedule = exportSchedule(agreement)
  const lang = o.lang === 'zh' ? 'zh' : 'en'
  if (schedule.datesSource === 'assumed' && format !== 'fineract') {
    cli.stderr(`export: the agreement sets no first due date; the dates assume the first payment on ${schedule.firstDueDate}\n`)
  }
  switch (format as Format) {
    case 'fineract': {
      const out = fineractExport(agreement, schedule, query.value.options)
      for (const note of out.notes) cli.stderr(`note ${note.code}: ${note.message}\n`)
      cli.stdout(`${JSON.stringify(query.value.part === 'body' ? out.body : out, null, 2)}\n`)
      break
    }
    case 'csv':
      cli.stdout(scheduleCsv(schedule.lines, agreement.currency, CALENDAR_TEXT[lang].locale))
      break
    case 'json':
      cli.stdout(`${JSON.stringify(agreementExport(agreement, schedule), null, 2)}\n`)
      break
    case 'ics':
      cli.stdout(paymentCalendar(agreement, schedule, lang))
      break
  }
  return EXIT.ok
}

export const command: Command = {
  usage: EXPORT_USAGE,
  run: (args, io) => runExport(args, io),
}
