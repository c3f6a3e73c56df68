// Every string the people in a room read, in English and Simplified Chinese, one file per feature. A key
// lives in the file of its first segment ('lobby.…' in lobby.ts, 'error.…' in errors.ts), apart from the
// agreement's own strings (agreement.ts); each feature's Chinese table is typed against its English one,
// so a missing translation is a type error.
import * as agreement from './agreement.ts'
import * as attachments from './attachments.ts'
import * as chat from './chat.ts'
import * as common from './common.ts'
import * as confirm from './confirm.ts'
import * as connection from './connection.ts'
import * as errors from './errors.ts'
import * as exports from './exports.ts'
import * as glossary from './glossary.ts'
import * as disclosure from './disclosure.ts'
import * as deescalate from './deescalate.ts'
import * as lobby from './lobby.ts'
import * as observers from './observers.ts'
import * as pause from './pause.ts'
import * as proposal from './proposal.ts'
import * as replay from './replay.ts'
import * as restructuring from './restructuring.ts'
import * as results from './results.ts'
import * as staff from './staff.ts'
import type { Lang, Params } from './types.ts'

export type { Lang, Params } from './types.ts'

/** errors.ts keys its messages by code; the table keys them 'error.<code>'. */
type ErrorTable = { readonly [C in keyof errors.ErrorMessages as `error.${C}`]: string }

function errorTable(byCode: errors.ErrorMessages): ErrorTable {
  return Object.fromEntries(Object.entries(byCode).map(([code, text]) => [`error.${code}`, text])) as ErrorTable
}

// No key appears in two feature tables, where a later one would hide it (messages.test.ts), but one:
// the review dialog's 'review.fingerprint' label (confirm.ts) replaces the PDF summary's line of that name.
const en = {
  ...agreement.en,
  ...common.en,
  ...connection.en,
  ...lobby.en,
  ...proposal.en,
  ...results.en,
  ...chat.en,
  ...confirm.en,
  ...restructuring.en,
  ...replay.en,
  ...attachments.en,
  ...exports.en,
  ...pause.en,
  ...glossary.en,
  ...disclosure.en,
  ...deescalate.en,
  ...observers.en,
  ...staff.en,
  ...errorTable(errors.en),
}

export type MessageKey = keyof typeof en

const zh: Record<MessageKey, string> = {
  ...agreement.zh,
  ...common.zh,
  ...connection.zh,
  ...lobby.zh,
  ...proposal.zh,
  ...results.zh,
  ...chat.zh,
  ...confirm.zh,
  ...restructuring.zh,
  ...replay.zh,
  ...attachments.zh,
  ...exports.zh,
  ...pause.zh,
  ...glossary.zh,
  ...disclosure.zh,
  ...deescalate.zh,
  ...observers.zh,
  ...staff.zh,
  ...errorTable(errors.zh),
}

export const messages: { readonly en: Record<MessageKey, string>; readonly zh: Record<MessageKey, string> } = { en, zh }

export const LANGS: readonly Lang[] = ['en', 'zh']

/** BCP 47 locale used for numbers, money and dates in each language. */
export const LOCALES: Readonly<Record<Lang, string>> = { en: 'en-US', zh: 'zh-CN' }

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key)
}

/** Looks up a message and fills `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = messages[lang][key] ?? messages.en[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** The message for a stable error code, or the generic one naming the code. */
export function errorKey(code: string): MessageKey {
  const key = `error.${code}`
  return isMessageKey(key) ? key : 'error.unknown'
}
