// The chosen language (header switch 中文|EN): remembered in localStorage, first guessed from the browser.
import { LOCALES, translate, errorKey, type Lang, type MessageKey, type Params } from '../i18n/index.ts'
import { initialLang } from './lang.ts'

const STORAGE_KEY = 'nr.lang'

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

const navLangs = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])

export const i18n = $state({ lang: initialLang(readStored(), navLangs) as Lang })

export function setLang(lang: Lang): void {
  i18n.lang = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    /* private mode: the choice lasts for this page */
  }
  applyDocumentLang(lang)
}

export function applyDocumentLang(lang: Lang = i18n.lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
}

/** Translated text; reading i18n.lang makes every template that calls it follow the switch. */
export function t(key: MessageKey, params?: Params): string {
  return translate(i18n.lang, key, params)
}

/** Text for a stable error code (ack, HTTP body or close reason). */
export function tError(code: string): string {
  return translate(i18n.lang, errorKey(code), { code })
}

export function locale(): string {
  return LOCALES[i18n.lang]
}
