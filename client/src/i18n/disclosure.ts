// The disclosure warnings in the results (shared/disclosure); their sentences are the agreement's own
// ('agreement.warning.*' in shared/i18n), so the room and the PDF word them alike.
import type { Messages } from './types.ts'

export const en = {
  'disclosure.title': 'Things to know before agreeing',
  'disclosure.intro': 'Shown to both sides. If the room locks, the agreement lists these warnings.',
} as const

export const zh: Messages<typeof en> = {
  'disclosure.title': '确认前需要了解',
  'disclosure.intro': '双方都能看到。协商室锁定后，协议会列出这些提示。',
}
