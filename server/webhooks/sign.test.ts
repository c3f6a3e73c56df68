import { describe, expect, it } from 'vitest'
import { verifyWebhook } from './verify.ts'
import { webhookKey, webhookSignature } from './sign.ts'

// The vector of the Standard Webhooks reference library's own tests (libraries/javascript, "sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
}
const SECRET_24 = `whsec_${Buffer.alloc(24, 7).toString('base64')}`

const headersOf = (id: string, timestamp: number, signature: string): Record<string, string> => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
})

describe('webhook signatures (Standard Webhooks v1)', () => {
  it('signs the specification vector exactly', () => {
    expect(webhookSignature(webhookKey(VECTOR.secret), VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature)
  })

  it('the documented verifier accepts the vector at its time, and answers the id to de-duplicate on', async () => {
    const r = await verifyWebhook(VECTOR.secret, headersOf(VECTOR.id, VECTOR.timestamp, VECTOR.signature), VECTOR.body, { now: VECTOR.timestamp })
    expect(r).toMatchObject({ ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp, body: { test: 2432232314 } })
  })

  it('refuses a changed body, id or timestamp, another secret, and a missing header', async () => {
    const h = headersOf(VECTOR.id, VECTOR.timestamp, VECTOR.signature)
    const at = { now: VECTOR.timestamp }
    expect(await verifyWebhook(VECTOR.secret, h, '{"test": 2432232315}', at)).toMatchObject({ ok: false, error: 'bad_signature' })
    expect(await verifyWebhook(VECTOR.secret, { ...h, 'webhook-id': 'msg_other' }, VECTOR.body, at)).toMatchObject({ ok: false, error: 'bad_signature' })
    expect(await verifyWebhook(VECTOR.secret, { ...h, 'webhook-timestamp': String(VECTOR.timestamp + 1) }, VECTOR.body, at)).toMatchObject({
      ok: false,
      error: 'bad_signature',
    })
    expect(await verifyWebhook(SECRET_24, h, VECTOR.body, at)).toMatchObject({ ok: false, error: 'bad_signature' })
    const { 'webhook-signature': _, ...unsigned } = h
    expect(await verifyWebhook(VECTOR.secret, unsigned, VECTOR.body, at)).toMatchObject({ ok: false, error: 'missing_headers' })
    expect(await verifyWebhook(VECTOR.secret, { ...h, 'webhook-signature': 'v1,' }, VECTOR.body, at)).toMatchObject({ ok: false, error: 'bad_signature' })
  })

  it('refuses a timestamp more than five minutes old or ahead (a replay), and takes one within', async () => {
    const h = headersOf(VECTOR.id, VECTOR.timestamp, VECTOR.signature)
    expect(await verifyWebhook(VECTOR.secret, h, VECTOR.body, { now: VECTOR.timestamp + 301 })).toMatchObject({ ok: false, error: 'too_old' })
    expect(await verifyWebhook(VECTOR.secret, h, VECTOR.body, { now: VECTOR.timestamp - 301 })).toMatchObject({ ok: false, error: 'too_new' })
    expect(await verifyWebhook(VECTOR.secret, h, VECTOR.body, { now: VECTOR.timestamp + 300 })).toMatchObject({ ok: true })
  })

  it('takes any one matching signature of several (secret rotation), and a fetch Headers object', async () => {
    const other = webhookSignature(webhookKey(SECRET_24), VECTOR.id, VECTOR.timestamp, VECTOR.body)
    const h = new Headers(headersOf(VECTOR.id, VECTOR.timestamp, `${other} v1a,AAAA ${VECTOR.signature}`))
    expect(await verifyWebhook(VECTOR.secret, h, VECTOR.body, { now: VECTOR.timestamp })).toMatchObject({ ok: true })
  })

  it('a server secret must be whsec_ with at least 24 bytes (the specification minimum)', () => {
    expect(() => webhookKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow(/whsec_/)
    expect(() => webhookKey(`whsec_${Buffer.alloc(16).toString('base64')}`)).toThrow(/24/)
    expect(() => webhookKey('whsec_!!!')).toThrow()
    expect(webhookKey(SECRET_24)).toHaveLength(24)
  })
})
