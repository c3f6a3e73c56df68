// Which Fineract request an agreement becomes: a restructuring reschedules the existing loan, a new loan is applied for.
import type { Agreement } from '../../../shared/agreement/agreement.ts'
import type { ExportSchedule } from '../exportSchedule.ts'
import { fineractLoan } from './fineractLoan.ts'
import { fineractReschedule } from './fineractReschedule.ts'
import type { FineractExport, FineractOptions } from './fineractTypes.ts'

export function fineractExport(agreement: Agreement, schedule: ExportSchedule, options: FineractOptions = {}): FineractExport {
  if (schedule.checked.restructuring && options.as !== 'loan') return fineractReschedule(agreement, schedule, options)
  return fineractLoan(agreement, schedule, options)
}
