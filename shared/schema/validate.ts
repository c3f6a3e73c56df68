// Compiling JSON Schemas with ajv and turning the first error into one "<field path>: <reason>" string.
import Ajv, { type AnySchema, type ErrorObject } from 'ajv'
import addFormats from 'ajv-formats'

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string }

/** Reason overrides keyed by the failing keyword's schemaPath, e.g. "#/properties/annualRatePct/pattern". */
export type Messages = Record<string, string | ((error: ErrorObject) => string)>

export interface ValidatorOptions<T> {
  messages?: Messages
  /** Cross-field checks once the schema passes: an error "<field path>: <reason>" or null. */
  check?: (value: T) => string | null
  /** The value handed back on success, e.g. a copy with defaults filled in. Must not mutate its input. */
  normalize?: (value: T) => T
}

// One instance for every schema: $data lets a limit refer to a sibling field (graceMonths < termMonths).
// No useDefaults/coerceTypes/removeAdditional: validating never mutates the caller's object.
export const ajv = new Ajv({ allErrors: false, $data: true, strict: true })
addFormats(ajv)

/** "/termMonths", or "/" for the root; required/additionalProperties errors point at the property itself. */
function pathOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string }
  const extra = error.keyword === 'required' ? params.missingProperty : error.keyword === 'additionalProperties' ? params.additionalProperty : undefined
  const path = extra === undefined ? error.instancePath : `${error.instancePath}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`
  return path === '' ? '/' : path
}

function reasonOf(error: ErrorObject, messages: Messages): string {
  const custom = messages[error.schemaPath]
  if (custom !== undefined) return typeof custom === 'string' ? custom : custom(error)
  switch (error.keyword) {
    case 'required':
      return 'is required'
    case 'additionalProperties':
      return 'is not allowed'
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`
    default:
      return error.message ?? `fails ${error.keyword}`
  }
}

/** An error "/fees: reason" of a part, as a path of the whole: under "/waivers" → "/waivers/fees: reason"; "/: reason" → "/waivers: reason". */
export function prefixed(prefix: string, error: string): string {
  const at = error.indexOf(': ')
  const path = at === -1 ? '/' : error.slice(0, at)
  const reason = at === -1 ? error : error.slice(at + 2)
  return `${prefix}${path === '/' ? '' : path}: ${reason}`
}

export function formatError(error: ErrorObject, messages: Messages = {}): string {
  return `${pathOf(error)}: ${reasonOf(error, messages)}`
}

/** Compiles once; the returned function answers {ok: true, value} or {ok: false, error: "<field path>: <reason>"}. */
export function compileValidator<T>(schema: AnySchema, options: ValidatorOptions<T> = {}): (x: unknown) => Validation<T> {
  const validate = ajv.compile(schema)
  const messages = options.messages ?? {}
  return (x: unknown): Validation<T> => {
    if (!validate(x)) {
      const first = validate.errors?.[0]
      return { ok: false, error: first ? formatError(first, messages) : '/: is invalid' }
    }
    const value = x as T
    const problem = options.check?.(value) ?? null
    if (problem !== null) return { ok: false, error: problem }
    return { ok: true, value: options.normalize ? options.normalize(value) : value }
  }
}
