// The first language: the stored choice, else the browser's (Chinese for any zh-*), else English.
import type { Lang } from '../i18n/index.ts'

export function initialLang(stored: string | null, navigatorLangs: readonly string[]): Lang {
  if (stored === 'en' || stored === 'zh') return stored
  for (const l of navigatorLangs) {
    const lower = l.toLowerCase()
    if (lower.startsWith('zh')) return 'zh'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}
