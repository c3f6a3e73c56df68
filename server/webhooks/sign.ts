// Signs a delivery as Standard Webhooks v1 (server/webhooks/verify.ts checks it): the signature covers
// the event id and the attempt's timestamp too, so a captured request cannot be replayed later or as another event.
import { createHmac } from 'node:crypto'
import { secretKey } from './verify.ts'

/** The key bytes of WEBHOOK_SECRET; throws a configuration error when it is not `whsec_` + base64 of at least 24 bytes. */
export function webhookKey(secret: string): Buffer {
  const key = secret.startsWith('whsec_') ? secretKey(secret) : null
  if (!key || key.length < 24) throw new Error('WEBHOOK_SECRET must be whsec_ followed by the base64 of at least 24 random bytes')
  return Buffer.from(key)
}

/** The `webhook-signature` header value for one attempt. */
export function webhookSignature(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`
}
