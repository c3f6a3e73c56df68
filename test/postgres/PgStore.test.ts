// The store conformance suite on PostgreSQL, plus what only a shared database has to get right:
// several processes (here: several pools) appending, locking and migrating at once.
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { verifyChain } from '../../shared/protocol/eventLog.ts'
import type { Actor } from '../../shared/protocol/room.ts'
import { PgStore } from '../../server/store/PgStore.ts'
import { MIGRATIONS } from '../../server/store/pgMigrations.ts'
import { toArchiveEvent, type NewEvent, type NewRoom } from '../../server/store/Store.ts'
import { describeStore } from '../support/store/storeConformance.ts'
import { describeOutbox } from '../support/store/outboxConformance.ts'
import { describeOrgStore } from '../support/store/orgConformance.ts'
import { POSTGRES_INSTALL, findPgBinDir, isCi, startPostgres, warnSkipped, type TestPostgres } from '../helpers/postgres.ts'

const SUITE = 'PostgreSQL store suite (test/postgres/PgStore.test.ts)'
const binDir = findPgBinDir()
if (!binDir) warnSkipped(SUITE)

it.runIf(!binDir && isCi)('has PostgreSQL installed (required under CI)', () => {
  throw new Error(`${SUITE} needs PostgreSQL under CI: ${POSTGRES_INSTALL}`)
})

const room = (id: string): NewRoom => ({ id, title: `Room ${id}`, currency: 'CNY', meta: { invites: [] } })
const update = (actor: Actor, n: number): NewEvent => ({ actor, type: 'update', payload: new Uint8Array([n]) })
const lock = (): NewEvent => ({ actor: { role: 'system', name: 'server' }, type: 'lock', payload: { hash: 'h' } })

describe.skipIf(!binDir)('PostgreSQL', () => {
  let server: TestPostgres
  const urls = new WeakMap<PgStore, string>()
  beforeAll(async () => {
    server = await startPostgres()
  })
  afterAll(async () => {
    await server?.stop()
  })

  async function openAt(url: string, webhooks = false): Promise<PgStore> {
    const s = await PgStore.open(url, { webhooks })
    urls.set(s, url)
    return s
  }

  describeStore('PgStore', {
    open: async () => openAt(await server.createDatabase()),
    reopen: async (s) => openAt(urls.get(s)!),
    exec: (s, sql) => s.pool.query(sql),
  })

  describeOutbox('PgStore webhook outbox', {
    open: async (webhooks) => openAt(await server.createDatabase(), webhooks),
  })

  describeOrgStore('PgStore organisations', {
    open: async () => openAt(await server.createDatabase()),
  })

  describe('PgStore shared by several processes', () => {
    const open: PgStore[] = []
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close()
    })
    /** Two stores over one new database: two server processes. */
    async function two(): Promise<[PgStore, PgStore]> {
      const url = await server.createDatabase()
      const s = await Promise.all([openAt(url), openAt(url)])
      open.push(...s)
      return s
    }

    it('a staff session started by one process is seen by the other, and so is its end', async () => {
      const [a, b] = await two()
      await a.orgs.createOrg({ id: 'o1', name: 'Acme', createdAt: 1, oidc: null })
      await a.orgs.createStaff({ id: 's1', orgId: 'o1', email: 'a@x.test', name: 'A', passwordHash: null, roles: ['agent'], disabled: false, createdAt: 1, oidcSubject: null })
      const session = { idHash: 'h1', staffId: 's1', orgId: 'o1', csrfToken: 'c', createdAt: 1, expiresAt: Date.now() + 60_000, lastSeenAt: 1 }
      await a.orgs.createSession(session)
      expect(await b.orgs.getSession('h1')).toEqual(session)
      await b.orgs.updateStaff('s1', { disabled: true })
      expect((await a.orgs.getStaff('s1'))?.disabled).toBe(true)
      await b.orgs.deleteStaffSessions('s1')
      expect(await a.orgs.getSession('h1')).toBeNull()
    })

    it('never forks a room chain when two processes append to it at once', async () => {
      const [a, b] = await two()
      await a.createRoom(room('r'), [])
      const pa: Actor = { role: 'borrower', name: 'process a' }
      const pb: Actor = { role: 'lender', name: 'process b' }
      const n = 150
      // Each process commits one append at a time (a transaction each), both at once.
      const run = async (s: PgStore, who: Actor): Promise<void> => {
        for (let i = 0; i < n; i++) await s.append('r', [update(who, i % 256)])
      }
      await Promise.all([run(a, pa), run(b, pb)])
      const events = await a.readEvents('r')
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1))
      expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
      // Each process's appends keep their call order.
      for (const who of [pa, pb]) {
        const mine = events.filter((e) => e.actor.name === who.name).map((e) => (e.payload as Uint8Array)[0])
        expect(mine).toEqual(Array.from({ length: n }, (_, i) => i % 256))
      }
      expect(await b.getRoom('r')).toMatchObject({ lastSeq: 2 * n, lastHash: events.at(-1)!.hash })
    })

    it('gives each webhook outbox row to one of two racing senders at a time, in order per room, none lost', async () => {
      const url = await server.createDatabase()
      const [a, b] = await Promise.all([openAt(url, true), openAt(url, true)])
      open.push(a, b)
      const ROOMS = 12
      const PER_ROOM = 6
      await Promise.all(
        Array.from({ length: ROOMS }, async (_, r) => {
          const id = `r${r}`
          await a.createRoom(room(id), [{ actor: { role: 'system', name: 'operator' }, type: 'create', payload: { roomId: id, title: id, currency: 'CNY' } }])
          for (let i = 1; i < PER_ROOM; i++) await (i % 2 ? a : b).append(id, [{ actor: { role: 'borrower', name: 'A' }, type: 'confirm', payload: { hash: `h${i}`, fullName: 'A' } }])
        }),
      )
      const inFlight = new Set<string>()
      const overlaps: string[] = []
      const sent: { id: string; roomId: string; seq: number; by: string }[] = []
      const sender = async (s: PgStore, name: string): Promise<void> => {
        let idle = 0
        while (idle < 5) {
          const claimed = await s.outbox.claim(name, Date.now(), 60_000, 4)
          if (claimed.length === 0) {
            idle++
            await new Promise((r) => setTimeout(r, 10))
            continue
          }
          idle = 0
          await Promise.all(
            claimed.map(async (m) => {
              if (inFlight.has(m.id)) overlaps.push(m.id)
              inFlight.add(m.id)
              sent.push({ id: m.id, roomId: m.roomId, seq: m.seq, by: name })
              await new Promise((r) => setTimeout(r, Math.random() * 8))
              inFlight.delete(m.id)
              await s.outbox.settle(m.id, name, { status: 'delivered', at: Date.now(), httpStatus: 200 })
            }),
          )
        }
      }
      await Promise.all([sender(a, 'a'), sender(b, 'b')])
      expect(overlaps).toEqual([])
      // Each row exactly once (no lease ran out), each room's rows in seq order, and both senders did work.
      expect(sent).toHaveLength(ROOMS * PER_ROOM)
      expect(new Set(sent.map((x) => x.id)).size).toBe(ROOMS * PER_ROOM)
      for (let r = 0; r < ROOMS; r++) {
        expect(sent.filter((x) => x.roomId === `r${r}`).map((x) => x.seq)).toEqual(Array.from({ length: PER_ROOM }, (_, i) => i + 1))
      }
      expect(new Set(sent.map((x) => x.by))).toEqual(new Set(['a', 'b']))
      expect(await a.outbox.list('pending', 1000)).toEqual([])
    })

    it('lets exactly one of two racing locks win', async () => {
      const [a, b] = await two()
      await a.createRoom(room('r'), [update({ role: 'borrower', name: 'A' }, 1)])
      const settled = await Promise.allSettled([
        a.append('r', [lock()], { phase: 'locked', agreementHash: 'from a' }),
        b.append('r', [lock()], { phase: 'locked', agreementHash: 'from b' }),
      ])
      expect(settled.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected'])
      const loser = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult
      expect(String(loser.reason)).toMatch(/already locked/)
      const rec = (await a.getRoom('r'))!
      expect(rec).toMatchObject({ phase: 'locked', lastSeq: 2 })
      expect(['from a', 'from b']).toContain(rec.agreementHash)
      // The process that did not see the lock cannot edit after it.
      await b.loadRoom('r', 10)
      await expect(b.append('r', [update({ role: 'lender', name: 'B' }, 2)])).rejects.toThrow(/locked/)
    })

    it('refuses a lock decided on a state another process has moved past (ifLastSeq)', async () => {
      const [a, b] = await two()
      await a.createRoom(room('r'), [])
      const seen = (await b.getRoom('r'))!.lastSeq
      await a.append('r', [update({ role: 'borrower', name: 'A' }, 1)])
      await expect(b.append('r', [lock()], { phase: 'locked', ifLastSeq: seen })).rejects.toThrow(/moved on/)
      expect(await a.getRoom('r')).toMatchObject({ phase: 'negotiating', lastSeq: 1 })
    })

    it('stores a chat clientId once across processes', async () => {
      const [a, b] = await two()
      await a.createRoom(room('r'), [])
      const chat = (text: string): NewEvent => ({ actor: { role: 'borrower', name: 'A' }, type: 'chat', payload: { id: text, clientId: 'same', text }, clientId: 'same' })
      const [[ra], [rb]] = await Promise.all([a.append('r', [chat('via a')]), b.append('r', [chat('via b')])])
      expect([ra!.duplicate, rb!.duplicate].sort()).toEqual([false, true])
      expect(ra!.event.hash).toBe(rb!.event.hash)
      expect((await a.readEvents('r')).length).toBe(1)
    })
  })

  describe('PgStore database guarantees', () => {
    const open: PgStore[] = []
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close()
    })

    it('migrates once when several processes start at the same time, and refuses a newer schema', async () => {
      const url = await server.createDatabase()
      const stores = await Promise.all(Array.from({ length: 5 }, () => openAt(url)))
      open.push(...stores)
      const { rows } = await stores[0]!.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version))
      await stores[0]!.pool.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`)
      await expect(PgStore.open(url)).rejects.toThrow(/database schema 999 is newer than this server/)
    })

    it('refuses TRUNCATE and any insert that does not continue the chain head', async () => {
      const s = await openAt(await server.createDatabase())
      open.push(s)
      await s.createRoom(room('r'), [update({ role: 'borrower', name: 'A' }, 1)])
      await expect(s.pool.query('TRUNCATE events')).rejects.toThrow(/append-only/)
      const [head] = await s.readEvents('r')
      const insert = `INSERT INTO events (room_id, seq, ts, actor_role, actor_name, type, payload_json, prev_hash, hash)
                      VALUES ('r', $1, 0, 'borrower', 'A', 'join', '{}', $2, 'x')`
      await expect(s.pool.query(insert, [3, head!.hash])).rejects.toThrow(/does not follow the chain head/)
      await expect(s.pool.query(insert, [2, '0'.repeat(64)])).rejects.toThrow(/does not follow the chain head/)
      await expect(
        s.pool.query(`INSERT INTO events (room_id, seq, ts, actor_role, actor_name, type, payload_json, prev_hash, hash)
                      VALUES ('r', 2, 0, 'borrower', 'A', 'update', '{}', $1, 'x')`, [head!.hash]),
      ).rejects.toThrow(/events_payload_kind/)
    })

    it('recovers after its connections are cut (a database restart or failover)', async () => {
      const url = await server.createDatabase()
      const s = await openAt(url)
      open.push(s)
      await s.createRoom(room('r'), [])
      await s.append('r', [update({ role: 'borrower', name: 'A' }, 1)])
      const admin = new pg.Client({ connectionString: server.adminUrl })
      await admin.connect()
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [new URL(url).pathname.slice(1)])
      await admin.end()
      // An append on a cut connection fails (and the room waits for a reload, as after any failure).
      await s.append('r', [update({ role: 'borrower', name: 'A' }, 2)]).catch(() => s.loadRoom('r', 10))
      await s.append('r', [update({ role: 'borrower', name: 'A' }, 3)])
      const events = await s.readEvents('r')
      expect(events.at(-1)!.payload).toEqual(new Uint8Array([3]))
      expect(verifyChain(events.map(toArchiveEvent)).ok).toBe(true)
    })
  })
})
