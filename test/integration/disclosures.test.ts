// A room whose APR is above the judicial protection ceiling (4 × the one-year LPR of a configured LPR_TABLE) and
// charges a fee up front: the room is told the rules, the lock lists both warnings in the signed agreement,
// the offline verifier (library and CLI) accepts it, and the PDF prints them.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agreement } from '../../shared/agreement/agreement.ts'
import { verifyAgreement } from '../../shared/agreement/verifyAgreement.ts'
import { computeSchedule } from '../../shared/terms/schedule.ts'
import type { CreateRoomResponse, RoomInfo } from '../../shared/protocol/http.ts'
import { joinAndLock, type Party } from '../helpers/negotiation.ts'
import { HAVE_PDFTOTEXT, pdftotext } from '../helpers/pdftotext.ts'
import { invite, startTestServer, type TestServer } from '../helpers/server.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const LPR_TABLE = '[{"effective":"2020-01-01","ratePct":"3.00"}]'
const TERMS = { principal: 5_000_000, annualRatePct: '18', termMonths: 12, method: 'annuity' as const, upfrontFee: 100_000 }

let server: TestServer
let room: CreateRoomResponse
const parties: Party[] = []
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'disclosures-it-'))

const get = (p: string, token: string) => fetch(`${server.url}${p}`, { headers: { Authorization: `Bearer ${token}` } })

beforeAll(async () => {
  server = await startTestServer({ lprTable: LPR_TABLE })
  room = await server.createRoom({ title: 'High-cost loan', terms: TERMS })
  await joinAndLock(server, room, parties)
}, 30_000)

afterAll(async () => {
  for (const p of parties) p.close()
  await server.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('disclosures shown to the borrower', () => {
  it('the room is given the configured LPR table', async () => {
    const info = (await (await get(`/api/rooms/${room.roomId}`, invite(room, 'borrower'))).json()) as RoomInfo
    expect(info.disclosureRules).toMatchObject({ jurisdiction: 'CN', ceilingMultiple: '4', lpr: [{ effective: '2020-01-01', ratePct: '3.00' }] })
  })

  it('the lock lists the ceiling and fee warnings in the signed agreement, which verifies', async () => {
    const text = await (await get(`/api/rooms/${room.roomId}/agreement`, invite(room, 'borrower'))).text()
    const agreement = JSON.parse(text) as Agreement
    const apr = computeSchedule(TERMS).aprPct
    expect(agreement.disclosures).toEqual([
      expect.objectContaining({ code: 'apr_above_ceiling', aprPct: apr, ceilingPct: '12.0000', ceilingMultiple: '4', lprPct: '3.00', lprEffective: '2020-01-01' }),
      { code: 'upfront_fee', upfrontFee: 100_000, aprPct: apr, aprWithoutFeePct: '18.0000' },
    ])
    const v = await verifyAgreement(text)
    expect(v.problems).toEqual([])

    const file = path.join(tmp, 'agreement.json')
    fs.writeFileSync(file, text)
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('npx', ['tsx', 'cli/main.ts', 'verify', file], { cwd: ROOT, timeout: 60_000 }, (err, stdout) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout })
      })
    })
    expect(out.stdout.split('\n')[0]).toBe('valid')
    expect(out.code).toBe(0)
  }, 90_000)

  it.skipIf(!HAVE_PDFTOTEXT)('prints them in the PDF', async () => {
    for (const [lang, heading, ceiling] of [
      ['en', 'Disclosures shown to the borrower', 'judicial protection ceiling of 12.00 %'],
      ['zh', '已向借款人披露的提示', '司法保护上限 12.00 %'],
    ] as const) {
      const res = await get(`/api/rooms/${room.roomId}/agreement.pdf?lang=${lang}`, invite(room, 'lender'))
      expect(res.status).toBe(200)
      const text = (await pdftotext(new Uint8Array(await res.arrayBuffer()))).replace(/\s+/g, ' ')
      expect(text).toContain(heading)
      expect(text).toContain(ceiling)
    }
  }, 60_000)
})
