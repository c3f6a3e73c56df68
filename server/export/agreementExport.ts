// The agreement as one JSON file: the signed record untouched (it still verifies), and the schedule with its due dates.
import type { Agreement } from '../../shared/agreement/agreement.ts'
import type { DatesSource, ExportSchedule, ScheduleLine } from './exportSchedule.ts'

export const AGREEMENT_EXPORT_FORMAT = 'negotiation-room-agreement-export'

export interface AgreementExport {
  format: typeof AGREEMENT_EXPORT_FORMAT
  version: 1
  /** Exactly the signed record of GET /api/rooms/:id/agreement (`cli verify` checks it). */
  agreement: Agreement
  schedule: {
    currency: string
    firstDueDate: string
    datesSource: DatesSource
    lines: ScheduleLine[]
  }
}

export function agreementExport(agreement: Agreement, schedule: ExportSchedule): AgreementExport {
  return {
    format: AGREEMENT_EXPORT_FORMAT,
    version: 1,
    agreement,
    schedule: { currency: agreement.currency, firstDueDate: schedule.firstDueDate, datesSource: schedule.datesSource, lines: schedule.lines },
  }
}
