// The one test for "a JSON object" that every hand-written check of untrusted input starts from.

/** A plain object: not null and not an array (what JSON.parse gives for `{…}`). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
