// `cli terms`: a JSON array of terms objects on stdin → a JSON array of results on stdout (DESIGN.md contract).
import { validateTerms } from '../shared/schema/terms.schema.ts'
import { computeSchedule } from '../shared/terms/index.ts'
import type { ScheduleResult } from '../shared/terms/types.ts'
import { EXIT, type CliIo, type Command } from './command.ts'

export type TermsOutputItem = ScheduleResult | { error: string }

/** One result per input, in order; an invalid item becomes {error: "<field path>: <reason>"}. */
export function computeAll(items: unknown[]): { results: TermsOutputItem[]; invalid: number } {
  let invalid = 0
  const results = items.map((item): TermsOutputItem => {
    const checked = validateTerms(item)
    if (!checked.ok) {
      invalid++
      return { error: checked.error }
    }
    return computeSchedule(checked.value)
  })
  return { results, invalid }
}

export const command: Command = {
  usage: 'terms < terms.json     (exit 1 when an item is invalid, 2 when stdin is not a JSON array)',
  async run(args: string[], io: CliIo): Promise<number> {
    if (args.length > 0) {
      io.stderr(`terms: takes no arguments (got ${args.join(' ')}); it reads a JSON array on stdin\n`)
      return EXIT.usage
    }
    let input: unknown
    try {
      input = JSON.parse(await io.readStdin())
    } catch (err) {
      io.stderr(`terms: stdin is not valid JSON: ${err instanceof Error ? err.message : String(err)}\n`)
      return EXIT.usage
    }
    if (!Array.isArray(input)) {
      io.stderr('terms: expected a JSON array of terms objects on stdin\n')
      return EXIT.usage
    }
    const { results, invalid } = computeAll(input)
    io.stdout(`${JSON.stringify(results)}\n`)
    return invalid > 0 ? EXIT.invalidItem : EXIT.ok
  },
}
