// The agreement's own strings are the PDF's (shared/i18n/agreementText.ts, which the server renders too):
// the review dialog, the replay and the results read the very words the signed agreement prints.
export { agreementTextEn as en, agreementTextZh as zh } from '../../../shared/i18n/agreementText.ts'
