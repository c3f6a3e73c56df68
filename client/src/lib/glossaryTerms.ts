// The glossary's entries in reading order: the loan's figures, the repayment methods, then the words of a
// restructuring and of the law. Each id has 'glossary.term.<id>' and 'glossary.text.<id>' in i18n/glossary.ts.
export const GLOSSARY_TERMS = [
  'principal',
  'interest_rate',
  'apr',
  'ear',
  'upfront_fee',
  'instalment',
  'total_interest',
  'annuity',
  'equal_principal',
  'interest_only',
  'bullet',
  'grace',
  'penalty_interest',
  'prepayment',
  'credit_report',
  'protection_ceiling',
  'lpr',
  'waiver',
  'recovery',
  'debt_service_ratio',
] as const

export type GlossaryId = (typeof GLOSSARY_TERMS)[number]
