// Strings of the signed agreement PDF, English and Simplified Chinese (agreementTextEn.ts, agreementTextZh.ts),
// and the lookup every renderer uses. Flat keys, `{name}` placeholders.
import { agreementTextEn, type AgreementTextKey } from './agreementTextEn.ts'
import { agreementTextZh } from './agreementTextZh.ts'

export { agreementTextEn, agreementTextZh, type AgreementTextKey }

export type AgreementLang = 'en' | 'zh'

export const agreementText: Record<AgreementLang, Record<AgreementTextKey, string>> = {
  en: agreementTextEn,
  zh: agreementTextZh,
}

/** The string for `key` with `{name}` placeholders filled in. */
export function agreementT(lang: AgreementLang, key: AgreementTextKey, vars: Record<string, string | number> = {}): string {
  return agreementText[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
}

/** The annualized-rate label regulators require (PBoC announcement 2021 No. 3), for the UI, the summary and the PDF. */
export const APR_DISCLOSURE_LABEL: Readonly<Record<AgreementLang, string>> = {
  en: agreementTextEn['agreement.disclosure.aprLabel'],
  zh: agreementTextZh['agreement.disclosure.aprLabel'],
}

/** The rounding rule of every figure (DESIGN.md "Money and terms"), stated in the agreement in both languages. */
export const ROUNDING_RULE: Readonly<Record<AgreementLang, string>> = {
  en: agreementTextEn['agreement.disclosure.rounding'],
  zh: agreementTextZh['agreement.disclosure.rounding'],
}
