import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../document/canonicalJson.ts'
import { eventHashInput, payloadForHash, type HashedFields } from './eventLog.ts'

/** The definition: prevHash + canonical JSON of the event's fields. */
const reference = (prevHash: string, e: HashedFields): string =>
  prevHash +
  canonicalJson({ seq: e.seq, ts: e.ts, actor: { role: e.actor.role, name: e.actor.name }, type: e.type, payload: payloadForHash(e.payload) })

describe('eventHashInput', () => {
  it('writes an update event exactly as the canonical JSON of its fields', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
        fc.record({
          seq: fc.oneof(fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true })),
          ts: fc.oneof(fc.nat(), fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER })),
          actor: fc.record({ role: fc.constantFrom('borrower', 'lender', 'system', 'x"\\\u2028'), name: fc.string({ unit: 'binary' }) }),
          type: fc.oneof(fc.constant('update'), fc.string()),
          payload: fc.uint8Array({ maxLength: 300 }),
        }),
        (prev, fields) => {
          // Roles outside ActorRole too: the archive verifier hashes whatever a file holds.
          const e = fields as unknown as HashedFields
          expect(eventHashInput(prev, e)).toBe(reference(prev, e))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('keeps JSON payloads on the general form', () => {
    const e: HashedFields = { seq: 3, ts: 5, actor: { role: 'borrower', name: 'B' }, type: 'chat', payload: { text: 'hi', id: 'x' } }
    expect(eventHashInput('0'.repeat(64), e)).toBe(reference('0'.repeat(64), e))
  })
})

describe('a staff actor in the hash', () => {
  const prev = 'a'.repeat(64)
  const base: HashedFields = { seq: 3, ts: 1_700_000_000_000, actor: { role: 'lender', name: 'Ben Agent' }, type: 'update', payload: new Uint8Array([1, 2, 3]) }
  const staffed: HashedFields = { ...base, actor: { ...base.actor, staffId: 'stf_1', orgId: 'org_1' } }

  it('hashes the staff id and organisation when present, in canonical form, and leaves older events as they were', () => {
    expect(eventHashInput(prev, base)).toBe(reference(prev, base))
    const input = eventHashInput(prev, staffed)
    expect(input).toBe(prev + canonicalJson({ seq: 3, ts: staffed.ts, actor: staffed.actor, type: 'update', payload: payloadForHash(staffed.payload) }))
    expect(input).toContain('"actor":{"name":"Ben Agent","orgId":"org_1","role":"lender","staffId":"stf_1"}')
    expect(eventHashInput(prev, { ...staffed, actor: { ...staffed.actor, staffId: 'stf_2' } })).not.toBe(input)
  })

  it('hashes only the actor fields that are logged (an extra field rides along unhashed nowhere)', () => {
    const extra = { ...staffed, actor: { ...staffed.actor, token: 'secret' } as HashedFields['actor'] }
    expect(eventHashInput(prev, extra)).toBe(eventHashInput(prev, staffed))
  })
})
