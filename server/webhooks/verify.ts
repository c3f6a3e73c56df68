// Verifies one Standard Webhooks delivery (symmetric v1): HMAC-SHA256 over `${id}.${timestamp}.${body}`,
// keyed with the base64 secret after `whsec_`, and a timestamp no further than the tolerance from now.
// WebCrypto only, so a receiver runs it as is in Node 20+, Deno, Bun or a browser (examples/webhook-receiver.ts).
import type { WebhookBody } from './events.ts'

/** A replayed delivery older (or newer) than this is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60

/** Header lookup by lower-case name: a fetch Headers, or node's IncomingHttpHeaders. */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>

export interface VerifyOptions {
  toleranceSeconds?: number
  /** Unix seconds (tests); the clock otherwise. */
  now?: number
}

export type VerifiedWebhook =
  | { ok: true; id: string; timestamp: number; body: WebhookBody }
  | { ok: false; error: 'missing_headers' | 'bad_secret' | 'bad_timestamp' | 'too_old' | 'too_new' | 'bad_signature' | 'bad_body'; message: string }

function header(h: HeaderSource, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name)
  const v = (h as Record<string, string | string[] | undefined>)[name]
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null)
}

function fromBase64(s: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
  } catch {
    return null
  }
}

/** The key bytes of a `whsec_…` secret (the prefix is optional, as in the reference libraries). */
export function secretKey(secret: string): Uint8Array | null {
  const key = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret)
  return key && key.length > 0 ? key : null
}

/** Same length and same bytes, in time that does not depend on where they differ. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/**
 * Checks a delivery's headers and raw body (the exact bytes received, before any JSON parsing: a
 * re-serialised body no longer matches). Answers the parsed body and the id to de-duplicate on.
 */
export async function verifyWebhook(secret: string, headers: HeaderSource, rawBody: string, options: VerifyOptions = {}): Promise<VerifiedWebhook> {
  const id = header(headers, 'webhook-id')
  const ts = header(headers, 'webhook-timestamp')
  const signatures = header(headers, 'webhook-signature')
  if (!id || !ts || !signatures) return { ok: false, error: 'missing_headers', message: 'webhook-id, webhook-timestamp and webhook-signature are required' }
  const key = secretKey(secret)
  if (!key) return { ok: false, error: 'bad_secret', message: 'the secret is not whsec_ followed by base64' }
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, error: 'bad_timestamp', message: 'webhook-timestamp is not unix seconds' }
  const timestamp = Number(ts)
  const now = options.now ?? Math.floor(Date.now() / 1000)
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  if (timestamp < now - tolerance) return { ok: false, error: 'too_old', message: `the delivery is older than ${tolerance} s (a replay?)` }
  if (timestamp > now + tolerance) return { ok: false, error: 'too_new', message: `the delivery is more than ${tolerance} s in the future` }
  const hmacKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, new TextEncoder().encode(`${id}.${ts}.${rawBody}`)))
  // Space-separated, so a sender can sign with an old and a new secret while rotating.
  const match = signatures.split(' ').some((s) => {
    const [version, value] = s.split(',', 2)
    const given = version === 'v1' && value ? fromBase64(value) : null
    return given !== null && sameBytes(given, expected)
  })
  if (!match) return { ok: false, error: 'bad_signature', message: 'no v1 signature matches this secret' }
  try {
    return { ok: true, id, timestamp, body: JSON.parse(rawBody) as WebhookBody }
  } catch {
    return { ok: false, error: 'bad_body', message: 'the body is not JSON' }
  }
}
