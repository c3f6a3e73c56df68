// A signed agreement verifies offline, and each kind of tampering is named precisely.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { signingPayload, type Agreement } from '../../shared/agreement/agreement.ts'
import { verifyAgreement } from '../../shared/agreement/verifyAgreement.ts'
import { buildAgreement } from './buildAgreement.ts'
import { sampleLockInput, removeTemporaryKeys, temporaryServerKey } from '../../test/support/agreement/sampleAgreement.ts'
import { publicKeyJwk, signText, type ServerKey } from './serverKey.ts'

const key = temporaryServerKey()
const otherKey = temporaryServerKey()
const agreement = buildAgreement(sampleLockInput(), key)
afterAll(removeTemporaryKeys)

function copy(): Agreement {
  return structuredClone(agreement)
}

/** Signs a modified record again with `k`: isolates the check behind the signature. */
function resign(a: Agreement, k: ServerKey = key): Agreement {
  const value = signText(k, signingPayload(a))
  return { ...a, publicKey: a.publicKey, signature: { alg: 'Ed25519', kid: k.kid, value } }
}

async function problems(a: unknown, publicKey: string | object = key.publicPem): Promise<string[]> {
  const r = await verifyAgreement(typeof a === 'string' ? a : JSON.stringify(a), { publicKey: publicKey as never })
  expect(r.valid).toBe(r.problems.length === 0)
  return r.problems.map((p) => p.message)
}

describe('verifyAgreement', () => {
  it('accepts the agreement as built, with the server key as PEM, as JWK, or embedded', async () => {
    expect(await problems(agreement, key.publicPem)).toEqual([])
    expect(await problems(agreement, publicKeyJwk(key))).toEqual([])
    expect(await problems(agreement, JSON.stringify(key.publicJwk))).toEqual([])
    const embedded = await verifyAgreement(JSON.stringify(agreement))
    expect(embedded).toMatchObject({ valid: true, problems: [], key: { source: 'embedded', kid: key.kid } })
    const given = await verifyAgreement(agreement, { publicKey: key.publicPem })
    expect(given.key).toEqual({ source: 'given', kid: key.kid })
    expect(given.agreement?.contentHash).toBe(agreement.contentHash)
  })

  it('a changed term breaks the signature, the content hash and the figures', async () => {
    const a = copy()
    a.content.terms['termMonths'] = 48
    const found = await problems(a)
    expect(found).toContain('signature does not match')
    expect(found).toContain('contentHash does not match content')
    expect(found.some((m) => m.startsWith('computed.totalPaid does not match terms'))).toBe(true)
  })

  it('a changed term, even re-signed, still fails on the content hash and the figures', async () => {
    const a = copy()
    a.content.terms['annualRatePct'] = '3.85'
    const found = await problems(resign(a))
    expect(found).not.toContain('signature does not match')
    expect(found).toContain('contentHash does not match content')
    expect(found.some((m) => m.startsWith('computed.totalInterest does not match terms'))).toBe(true)
    expect(found.some((m) => /^computed\.payments\[\d+\]\.interest does not match terms/.test(m))).toBe(true)
  })

  it('a changed total is named with both values', async () => {
    const a = copy()
    a.computed.totalPaid += 100
    expect(await problems(a)).toEqual([
      'signature does not match',
      `computed.totalPaid does not match terms (recorded ${agreement.computed.totalPaid + 100}, recomputed ${agreement.computed.totalPaid})`,
    ])
    expect(await problems(resign(a))).toEqual([
      `computed.totalPaid does not match terms (recorded ${agreement.computed.totalPaid + 100}, recomputed ${agreement.computed.totalPaid})`,
    ])
  })

  it('a changed schedule row is named by its index and field', async () => {
    const a = copy()
    a.computed.payments[5]!.interest -= 1
    expect(await problems(resign(a))).toEqual([
      `computed.payments[5].interest does not match terms (recorded ${agreement.computed.payments[5]!.interest - 1}, recomputed ${agreement.computed.payments[5]!.interest})`,
    ])
    const b = copy()
    b.computed.payments.pop()
    expect(await problems(resign(b))).toEqual(['computed.payments has 35 rows, the terms give 36'])
  })

  it('a changed confirmation name breaks the signature only', async () => {
    const a = copy()
    a.confirmations[0]!.name = '李伟'
    expect(await problems(a)).toEqual(['signature does not match'])
  })

  it('a confirmation bound to another hash is named', async () => {
    const a = copy()
    a.confirmations[1]!.hash = 'ab'.repeat(32)
    expect(await problems(resign(a))).toEqual([
      `confirmations[1] (lender "Maria Keller (Acme Lending)") binds hash ${'ab'.repeat(32)}, not the contentHash`,
    ])
  })

  it('a missing confirmation is named', async () => {
    const a = copy()
    a.confirmations = a.confirmations.filter((c) => c.role !== 'lender')
    expect(await problems(resign(a))).toEqual(['expected one lender confirmation, found 0'])
  })

  it('a changed hash fails against the content and both confirmations', async () => {
    const a = copy()
    a.contentHash = `0${a.contentHash.slice(1)}` === a.contentHash ? `1${a.contentHash.slice(1)}` : `0${a.contentHash.slice(1)}`
    const found = await problems(a)
    expect(found).toContain('signature does not match')
    expect(found).toContain('contentHash does not match content')
    expect(found.filter((m) => m.endsWith('not the contentHash'))).toHaveLength(2)
  })

  it('a changed signature fails', async () => {
    const a = copy()
    const v = a.signature.value
    a.signature.value = (v[0] === 'A' ? 'B' : 'A') + v.slice(1)
    expect(await problems(a)).toEqual(['signature does not match'])
    a.signature.value = 'not base64!'
    expect(await problems(a)).toEqual(['signature.value is not a base64url Ed25519 signature (64 bytes)'])
  })

  it('another key fails, and says the key ids differ', async () => {
    const found = await problems(agreement, otherKey.publicPem)
    expect(found).toContain('signature does not match')
    expect(found).toContain(`signature.kid ${key.kid} is not the id of the key used (${otherKey.kid})`)
  })

  it('a forgery signed and embedded with another key passes on the embedded key only: that is why the CLI names the key', async () => {
    const forged = copy()
    forged.confirmations[0]!.name = 'Someone Else'
    forged.publicKey = { ...otherKey.publicJwk }
    const signed = resign(forged, otherKey)
    const embedded = await verifyAgreement(signed)
    expect(embedded).toMatchObject({ valid: true, key: { source: 'embedded', kid: otherKey.kid } })
    const found = await problems(signed, key.publicPem)
    expect(found).toContain('signature does not match')
    expect(found).toContain(`the publicKey embedded in the agreement (kid ${otherKey.kid}) is not the given key`)
  })

  it('explains unreadable input and unusable keys', async () => {
    expect(await problems('{not json')).toEqual([expect.stringMatching(/^not JSON: /)])
    expect(await problems('[]')).toEqual(['the agreement is not a JSON object'])
    expect((await problems(agreement, 'hello')).join()).toMatch(/the given public key cannot be used: the key is not a PEM public key/)
    const { version: _v, ...noVersion } = copy()
    expect(await problems(noVersion)).toContain('version is undefined, expected 1')
    const { publicKey: _k, ...noKey } = copy()
    expect((await verifyAgreement(noKey)).problems.map((p) => p.message)).toContain(
      'no public key: none given and none embedded in the agreement',
    )
  })

  it('canonical re-serialisation (any key order, any whitespace) still verifies', async () => {
    const shuffled = (value: unknown, rnd: () => number): unknown => {
      if (Array.isArray(value)) return value.map((v) => shuffled(v, rnd))
      if (value === null || typeof value !== 'object') return value
      const entries = Object.entries(value as Record<string, unknown>)
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1))
        ;[entries[i], entries[j]] = [entries[j]!, entries[i]!]
      }
      return Object.fromEntries(entries.map(([k, v]) => [k, shuffled(v, rnd)]))
    }
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.constantFrom(undefined, 0, 1, 2, '\t'), async (seed, indent) => {
        let s = seed | 0
        const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32
        const text = JSON.stringify(shuffled(agreement, rnd), null, indent)
        const r = await verifyAgreement(text, { publicKey: key.publicPem })
        expect(r.problems).toEqual([])
      }),
      { numRuns: 30 },
    )
  })

  it('any single changed value makes the agreement invalid', async () => {
    const leaves: string[][] = []
    const walk = (v: unknown, p: string[]) => {
      if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...p, k])
      else leaves.push(p)
    }
    walk(agreement, [])
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...leaves), async (leafPath) => {
        const a = copy() as unknown as Record<string, unknown>
        let parent = a
        for (const k of leafPath.slice(0, -1)) parent = parent[k] as Record<string, unknown>
        const last = leafPath[leafPath.length - 1]!
        const old = parent[last]
        parent[last] = typeof old === 'number' ? old + 1 : typeof old === 'boolean' ? !old : `${String(old)}x`
        const r = await verifyAgreement(JSON.stringify(a), { publicKey: key.publicPem })
        expect(r.valid, leafPath.join('.')).toBe(false)
      }),
      { numRuns: 60 },
    )
  })
})

describe('verifyAgreement: restructuring and consent', () => {
  it('names a changed recovery figure and a dropped restructuring block, even re-signed', async () => {
    const a = copy()
    const pv = agreement.restructuring!.comparison.lender.presentValue
    a.restructuring!.comparison.lender.presentValue = pv + 1
    expect(await problems(resign(a))).toEqual([
      `restructuring.comparison.lender.presentValue does not match the content (recorded ${pv + 1}, recomputed ${pv})`,
    ])
    const b = copy()
    delete b.restructuring
    expect(await problems(resign(b))).toEqual(['restructuring is missing, but the content is a restructuring'])
  })

  it('a changed baseline breaks the content hash, the figures and the consent summaries', async () => {
    const a = copy()
    a.content.baseline['fees'] = 56_500
    const found = await problems(resign(a))
    expect(found).toContain('contentHash does not match content')
    expect(found.some((m) => m.startsWith('computed.totalPaid does not match terms'))).toBe(true)
    expect(found.some((m) => m.startsWith('restructuring.breakdown.fees does not match the content'))).toBe(true)
    expect(found).toContain('confirmations[0].summaryHash is not the hash of the zh summary of this content')
    expect(found).toContain('confirmations[1].summaryHash is not the hash of the en summary of this content')
  })

  it('a waiver above its category makes the content invalid', async () => {
    const a = copy()
    a.content.waivers['fees'] = 50_000
    expect(await problems(resign(a))).toContain('content is not valid: /waivers/fees: must be <= the baseline fees (46500)')
  })

  it('checks each consent record: the summary hash, its language, the times, all fields together', async () => {
    const a = copy()
    a.confirmations[0]!.summaryHash = agreement.confirmations[1]!.summaryHash!
    expect(await problems(resign(a))).toEqual(['confirmations[0].summaryHash is not the hash of the zh summary of this content'])
    const b = copy()
    b.confirmations[0]!.summaryLang = 'en'
    expect(await problems(resign(b))).toEqual(['confirmations[0].summaryHash is not the hash of the en summary of this content'])
    const c = copy()
    c.confirmations[1]!.shownAt = '2025-03-14T09:29:41.000Z'
    expect(await problems(resign(c))).toEqual(['confirmations[1].shownAt is after its confirmedAt'])
    const d = copy()
    delete d.confirmations[1]!.userAgent
    expect(await problems(resign(d))).toEqual(['confirmations[1] has a partial consent record: userAgent missing'])
    const e = copy()
    e.confirmations[0]!.summaryHash = 'not a hash'
    expect(await problems(resign(e))).toEqual(['confirmations[0].summaryHash is not a SHA-256 hex digest'])
  })

  it('a changed IP address breaks the signature only', async () => {
    const a = copy()
    a.confirmations[0]!.ip = '192.0.2.1'
    expect(await problems(a)).toEqual(['signature does not match'])
  })
})
