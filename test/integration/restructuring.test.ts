// Restructuring rooms over the real server: creation with a baseline, and the lender-only baseline.
import { beforeAll, describe, expect, it } from 'vitest'
import { contentHashOfDoc } from '../../shared/content/contentHash.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import { CLOSE } from '../../shared/protocol/yjs.ts'
import { comparisonOf } from '../../shared/content/index.ts'
import { HAND_BASELINE, HAND_COMMITMENTS, HAND_PLAN, HAND_WAIVERS } from '../support/restructuring/example.ts'
import { connectProvider, invite, startTestServer, waitFor, type TestProvider, type TestServer } from '../helpers/server.ts'
import { closeAfterAll, closeAfterEach } from '../helpers/teardown.ts'

let server: TestServer
const suite = closeAfterAll()
const clients = closeAfterEach()

function provider(roomId: string, token: string): TestProvider {
  return clients.track(connectProvider(server, roomId, token))
}

interface Created {
  error?: string
  message?: string
  roomId?: string
  invites?: Record<'borrower' | 'lender' | 'observer', { token: string }>
}

async function post(body: unknown): Promise<{ status: number; body: Created }> {
  const res = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.operatorKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Created }
}

async function updates(roomId: string): Promise<number> {
  return (await server.store.readEvents(roomId)).filter((e) => e.type === 'update').length
}

beforeAll(async () => {
  server = suite.track(await startTestServer())
})

describe('POST /api/rooms with a baseline', () => {
  it('refuses an invalid baseline or waiver with the path of the problem; nothing is stored', async () => {
    const before = (await server.store.listRooms()).length
    const { asOfDate: _drop, ...noDate } = HAND_BASELINE
    const cases: [Record<string, unknown>, string][] = [
      [{ baseline: HAND_BASELINE, waivers: { penaltyInterest: 3_001, penaltyInterestReason: 'hardship' } }, '/waivers/penaltyInterest: must be <= the baseline penaltyInterest (3000)'],
      [{ baseline: noDate }, '/baseline/asOfDate: is required'],
      [{ baseline: { ...HAND_BASELINE, fees: -5 } }, '/baseline/fees: must be >= 0'],
      [{ baseline: HAND_BASELINE, waivers: { fees: 500 } }, '/waivers/feesReason: is required when fees is waived'],
      [{ baseline: HAND_BASELINE, commitments: { ...HAND_COMMITMENTS, firstDueDate: '2025-02-01' } }, '/commitments/firstDueDate: must be after the baseline asOfDate (2025-02-28)'],
      [{ baseline: HAND_BASELINE, commitments: { noHomeVisits: 'yes' } }, '/commitments/noHomeVisits: must be boolean'],
    ]
    for (const [extra, message] of cases) {
      const r = await post({ title: 'Restructuring', currency: 'CNY', terms: HAND_PLAN, ...extra })
      expect(r.status, message).toBe(400)
      expect(r.body).toEqual({ error: 'invalid_payload', message })
    }
    expect((await server.store.listRooms()).length).toBe(before)
  })

  it('writes the baseline, waivers and commitments into the initial document; the principal is computed', async () => {
    const r = await post({
      title: 'Restructuring',
      currency: 'CNY',
      terms: { ...HAND_PLAN, principal: 1 },
      baseline: HAND_BASELINE,
      waivers: HAND_WAIVERS,
      commitments: HAND_COMMITMENTS,
    })
    expect(r.status).toBe(201)
    const roomId = r.body.roomId!
    const stored = (await server.store.readEvents(roomId)).filter((e) => e.type === 'update')
    expect(stored).toHaveLength(1)
    expect(stored[0]!.actor.role).toBe('system')

    const borrower = provider(roomId, r.body.invites!.borrower.token)
    await borrower.synced
    const content = readContent(borrower.doc)
    expect(content.terms).toEqual(HAND_PLAN)
    expect(content.baseline).toEqual(HAND_BASELINE)
    expect(content.waivers).toEqual(HAND_WAIVERS)
    expect(content.commitments).toEqual(HAND_COMMITMENTS)
    // 300,000 owed − 4,000 waived over 3 months at 0 %: the hand-worked example.
    expect(comparisonOf(content)?.borrower.newPrincipal).toBe(296_000)
    expect(server.registry.loaded(roomId)!.currentHash).toBe(contentHashOfDoc(borrower.doc))
  })
})

describe('the baseline is the lender’s', () => {
  it('closes a borrower that writes the baseline with 4403; nothing stored; the lender may restate it', async () => {
    const room = await server.createRoom({ terms: HAND_PLAN, baseline: HAND_BASELINE })
    const b = provider(room.roomId, invite(room, 'borrower'))
    const l = provider(room.roomId, invite(room, 'lender'))
    await Promise.all([b.synced, l.synced])
    const before = await updates(room.roomId)
    const closedEvent = new Promise<{ code: number; reason: string }>((resolve) => b.provider.once('closed', resolve))
    b.doc.getMap('baseline').set('penaltyInterest', 0)
    const c = await closedEvent
    expect(c.code).toBe(CLOSE.forbiddenWrite)
    expect(c.reason).toMatch(/^forbidden_write: the borrower may not write baseline/)

    l.doc.getMap('baseline').set('fees', 500)
    await waitFor(async () => (await updates(room.roomId)) === before + 1, 'lender update stored')
    const last = (await server.store.readEvents(room.roomId)).filter((e) => e.type === 'update').at(-1)!
    expect(last.actor.role).toBe('lender')
    const serverDoc = server.registry.loaded(room.roomId)!.doc
    expect(serverDoc.getMap('baseline').toJSON()).toEqual({ ...HAND_BASELINE, fees: 500 })

    // Starting over with a fresh document, the borrower sees the lender's figures, not their own refused one.
    const again = provider(room.roomId, invite(room, 'borrower'))
    await again.synced
    await waitFor(() => again.doc.getMap('baseline').get('fees') === 500, 'fresh borrower sync')
    expect(again.doc.getMap('baseline').get('penaltyInterest')).toBe(HAND_BASELINE.penaltyInterest)
  })

  it('lets both sides propose waivers and commitments', async () => {
    const room = await server.createRoom({ terms: HAND_PLAN, baseline: HAND_BASELINE })
    const b = provider(room.roomId, invite(room, 'borrower'))
    const l = provider(room.roomId, invite(room, 'lender'))
    await Promise.all([b.synced, l.synced])
    b.doc.transact(() => {
      b.doc.getMap('waivers').set('penaltyInterest', 3_000)
      b.doc.getMap('waivers').set('penaltyInterestReason', 'Job loss in January')
    })
    l.doc.getMap('commitments').set('noHomeVisits', true)
    await waitFor(
      () => l.doc.getMap('waivers').get('penaltyInterest') === 3_000 && b.doc.getMap('commitments').get('noHomeVisits') === true,
      'both see both',
    )
    expect(b.closes).toEqual([])
    expect(l.closes).toEqual([])
  })
})
