// The HTTP API under fuzz: hostile credentials, ids, uploads and bodies; never a 5xx, every 4xx {error, message}.
import { invite } from '../server.ts'
import type { FuzzRun } from './FuzzRun.ts'
import { hostile } from './hostileJson.ts'
import { bytes, int, pick, rand } from './seededRandom.ts'

export async function fuzzHttp(run: FuzzRun, cases: number): Promise<void> {
  const { server, victim, signed, count, fail } = run
  const borrower = invite(victim, 'borrower')
  const targets: { path: string; auth: string; valid: Record<string, unknown> }[] = [
    { path: '/api/rooms', auth: server.operatorKey, valid: { title: 't', currency: 'CNY', terms: { principal: 100000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' } } },
    { path: `/api/rooms/${victim.roomId}/rating`, auth: borrower, valid: { stars: 4 } },
    { path: `/api/rooms/${victim.roomId}/amend`, auth: borrower, valid: {} },
    { path: `/api/rooms/${signed.roomId}/amend`, auth: invite(signed, 'lender'), valid: { terms: { principal: 100000, annualRatePct: '4.35', termMonths: 12, method: 'annuity' } } },
    { path: `/api/rooms/${signed.roomId}/rating`, auth: invite(signed, 'borrower'), valid: { stars: 5, comment: 'fine' } },
  ]
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < cases) {
      next++
      let kind: string
      let res: Response
      const r = rand()
      if (r < 0.15) {
        // Hostile credentials and ids on reads.
        const token = pick(['', 'Bearer', `Bearer ${'x'.repeat(int(10_000))}`, `Bearer ${Buffer.from(bytes(40)).toString('base64url')}`, `Bearer eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ room: victim.roomId, role: 'lender', name: 'x', iss: 'negotiation-room' })).toString('base64url')}.`, `Basic ${server.operatorKey}`])
        const id = pick([victim.roomId, encodeURIComponent(String.fromCharCode(...bytes(10))), '..%2F..%2Fetc', 'x'.repeat(300), '%00', '__proto__', 'constructor'])
        kind = 'hostile auth/id'
        res = await fetch(`${server.url}/api/rooms/${id}${pick(['', '/archive', '/agreement', '/attachments', '/dispute-bundle'])}`, { headers: token ? { Authorization: token } : {} })
      } else if (r < 0.22) {
        // Attachment uploads: random bytes, lying content types, hostile file names.
        kind = 'hostile upload'
        const name = pick(['a.pdf', '../../etc/passwd', '%E0%A4%A', 'x'.repeat(5000), '\u0000.pdf', '<script>.png', ''])
        const body = rand() < 0.2 ? Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(bytes(int(2000)))]) : Buffer.from(bytes(int(3000)))
        res = await fetch(`${server.url}/api/rooms/${victim.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${borrower}`, 'Content-Type': pick(['application/pdf', 'image/png', 'image/jpeg', 'text/html', 'application/json']), 'X-File-Name': encodeURIComponent(name).slice(0, 6000) }, body })
      } else if (r < 0.3) {
        const t = pick(targets)
        kind = pick(['invalid json', 'wrong content-type', 'truncated json'])
        const body = kind === 'invalid json' ? String.fromCharCode(...bytes(50)) : kind === 'truncated json' ? JSON.stringify(t.valid).slice(0, 1 + int(10)) : JSON.stringify(t.valid)
        res = await fetch(`${server.url}${t.path}`, { method: 'POST', headers: { Authorization: `Bearer ${t.auth}`, 'Content-Type': kind === 'wrong content-type' ? pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) : 'application/json' }, body })
      } else {
        const t = pick(targets)
        const h = hostile(t.valid)
        kind = h.kind
        const body = h.kind === 'giant string' && rand() < 0.2 ? JSON.stringify({ ...t.valid, title: 'B'.repeat(300_000) }) : JSON.stringify(h.value) ?? 'null'
        res = await fetch(`${server.url}${t.path}`, { method: 'POST', headers: { Authorization: `Bearer ${t.auth}`, 'Content-Type': 'application/json' }, body })
      }
      count(`http:${kind}`)
      const text = await res.text()
      if (res.status >= 500) fail(`http ${kind}: ${res.status} ${text.slice(0, 200)}`)
      else if (res.status >= 400) {
        let body: { error?: unknown; message?: unknown } = {}
        try {
          body = JSON.parse(text) as typeof body
        } catch {
          /* not JSON */
        }
        if (typeof body.error !== 'string' || typeof body.message !== 'string') fail(`http ${kind}: ${res.status} without {error,message}: ${text.slice(0, 200)}`)
        else count(`http ${res.status} ${body.error}`)
      } else count(`http ${res.status}`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
}
