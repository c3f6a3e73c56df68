// Two server processes serving the same rooms: a real PostgreSQL (the log), a real Redis (fan-out),
// borrower on process 1 and lender on process 2, with the stock clients. Everything must behave as
// on one process; a process killed with SIGKILL loses nothing; an edit racing the lock is refused.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { verifyArchive } from '../../shared/archive/verifyArchive.ts'
import type { ArchiveFile } from '../../shared/archive/archiveFile.ts'
import { readContent } from '../../shared/document/roomDoc.ts'
import type { ChatMessage } from '../../shared/protocol/chat.ts'
import type { CreateRoomResponse } from '../../shared/protocol/http.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { confirm, joinAs, lock, settledHash, type Party } from '../helpers/negotiation.ts'
import { POSTGRES_INSTALL, findPgBinDir, isCi, startPostgres, warnSkipped, type TestPostgres } from '../helpers/postgres.ts'
import { REDIS_INSTALL, findRedisServer, startRedis, warnRedisSkipped, type TestRedis } from '../helpers/redis.ts'
import { connectProvider, connectSocket, connected, createRoomAt, emitAck, invite, waitFor, type TestProvider } from '../helpers/server.ts'

// Every y-websocket provider registers a process 'exit' handler; these tests open more than ten.
process.setMaxListeners(50)

const SUITE = 'cluster suite (test/cluster/cluster.test.ts)'
const pgBin = findPgBinDir()
const redisBin = findRedisServer()
if (!pgBin) warnSkipped(SUITE)
if (!redisBin) warnRedisSkipped(SUITE)
const ready = !!pgBin && !!redisBin

it.runIf(!ready && isCi)('has PostgreSQL and Redis installed (required under CI)', () => {
  throw new Error(`${SUITE} needs PostgreSQL and redis-server under CI: ${POSTGRES_INSTALL} redis-server`)
})

describe.skipIf(!ready)('two server processes on one PostgreSQL and one Redis', () => {
  let pgServer: TestPostgres
  let redis: TestRedis
  beforeAll(async () => {
    ;[pgServer, redis] = await Promise.all([startPostgres(), startRedis()])
  })
  afterAll(async () => {
    await Promise.all([pgServer?.stop(), redis?.stop()])
  })

  const cleanup: (() => unknown)[] = []
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f()
  })

  /** Two processes on a fresh database, with one DATA_DIR (keys, attachments) as on shared storage. */
  async function cluster(): Promise<{ one: ChildServer; two: ChildServer; env: Record<string, string> }> {
    const databaseUrl = await pgServer.createDatabase()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-cluster-'))
    const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, REDIS_URL: redis.url, LOG_LEVEL: 'warn' }
    // One after the other: the first generates the keys into DATA_DIR, the second reads them.
    const one = await startChildServer(env)
    cleanup.push(() => one.kill())
    const two = await startChildServer(env)
    cleanup.push(() => two.kill())
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }))
    return { one, two, env }
  }

  function party(p: Party): Party {
    cleanup.push(() => p.close())
    return p
  }
  function provider(p: TestProvider): TestProvider {
    cleanup.push(() => p.destroy())
    return p
  }

  async function bundle(server: ChildServer, room: CreateRoomResponse): Promise<{ text: string; archive: ArchiveFile }> {
    const res = await fetch(`${server.url}/api/rooms/${room.roomId}/dispute-bundle`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
    expect(res.status).toBe(200)
    const text = await res.text()
    return { text, archive: (JSON.parse(text) as { archive: ArchiveFile }).archive }
  }

  it('edits, awareness, chat and presence cross from one process to the other, once each', async () => {
    const { one, two } = await cluster()
    const room = await createRoomAt(one, one.operatorKey)
    const borrower = party(await joinAs(one, room, 'borrower'))
    const lender = party(await joinAs(two, room, 'lender'))
    const observer = party(await joinAs(two, room, 'observer'))

    borrower.provider.doc.getMap('profile').set('monthlyIncome', 820_000)
    lender.provider.doc.getMap('terms').set('termMonths', 36)
    lender.provider.doc.getText('clauses').insert(0, 'Early repayment is free. 提前还款免费。')
    await waitFor(
      () =>
        lender.provider.doc.getMap('profile').get('monthlyIncome') === 820_000 &&
        borrower.provider.doc.getMap('terms').get('termMonths') === 36 &&
        borrower.provider.doc.getText('clauses').length > 0,
      'edits crossed both ways',
    )
    await waitFor(() => readContent(observer.provider.doc).clauses === readContent(borrower.provider.doc).clauses, 'observer on node two has it')
    // Both processes compute the same hash of the same content.
    const hash = await settledHash(borrower)
    expect(await settledHash(lender)).toBe(hash)

    // Awareness (never stored) crosses too.
    borrower.provider.provider.awareness.setLocalStateField('editing', 'termMonths')
    await waitFor(
      () => [...lender.provider.provider.awareness.getStates().values()].some((s) => (s as { editing?: string }).editing === 'termMonths'),
      'awareness from node one on node two',
    )
    // As node one rewrote it: the identity from the borrower's token, whatever the client said.
    const relayed = lender.provider.provider.awareness.getStates().get(borrower.provider.doc.clientID) as { user?: { role?: string } } | undefined
    expect(relayed?.user?.role).toBe('borrower')

    const health = (await (await fetch(`${two.url}/healthz`)).json()) as { cluster?: { nodes: number } }
    expect(health.cluster?.nodes).toBe(2)
    // Presence: node two shows the borrower (connected to node one) online.
    await waitFor(() => lender.log.states.at(-1)?.participants.some((p) => p.role === 'borrower' && p.online) === true, 'borrower online on node two')

    // Chat: acked after commit, delivered once to everyone, idempotent across processes.
    const sent = await emitAck(borrower.socket, 'chat:send', { clientId: 'c-1', text: 'Can we talk about the fee? 手续费可以谈吗？' })
    expect(sent).toMatchObject({ ok: true, duplicate: false })
    await waitFor(() => lender.log.messages.length === 1 && observer.log.messages.length === 1, 'chat on node two')
    const again = connectSocket(two, invite(room, 'borrower'))
    cleanup.push(() => again.socket.close())
    await connected(again.socket)
    const resent = await emitAck(again.socket, 'chat:send', { clientId: 'c-1', text: 'Can we talk about the fee? 手续费可以谈吗？' })
    expect(resent).toMatchObject({ ok: true, duplicate: true, message: { id: (sent.message as ChatMessage).id } })
    await emitAck(lender.socket, 'chat:send', { clientId: 'c-2', text: 'Yes.' })
    await waitFor(() => borrower.log.messages.length === 2, 'reply on node one')
    await new Promise((r) => setTimeout(r, 300))
    for (const p of [borrower, lender, observer]) expect(p.log.messages.map((m) => m.text)).toEqual(['Can we talk about the fee? 手续费可以谈吗？', 'Yes.'])
    expect(borrower.log.messages.map((m) => m.seq)).toEqual(lender.log.messages.map((m) => m.seq))

    // The observer's edit on node two reaches no one and is not stored.
    observer.provider.doc.getText('clauses').insert(0, 'OBSERVER ')
    lender.provider.doc.getText('clauses').insert(0, '1. ')
    await waitFor(() => borrower.provider.doc.getText('clauses').toString().startsWith('1. '), 'lender edit after the observer edit')
    expect(borrower.provider.doc.getText('clauses').toString()).not.toContain('OBSERVER')

    const { text, archive } = await bundle(one, room)
    expect(await verifyArchive(text)).toMatchObject({ valid: true })
    expect(archive.events.filter((e) => e.type === 'chat')).toHaveLength(2)
  })

  it('confirmations and the lock work across processes, also when both parties confirm at once', async () => {
    const { one, two } = await cluster()
    for (const together of [false, true]) {
      const room = await createRoomAt(one, one.operatorKey)
      const borrower = party(await joinAs(one, room, 'borrower'))
      const lender = party(await joinAs(two, room, 'lender'))
      borrower.provider.doc.getMap('terms').set('termMonths', together ? 48 : 30)
      await waitFor(() => lender.provider.doc.getMap('terms').get('termMonths') === (together ? 48 : 30), 'edit crossed')
      if (!together) {
        const ack = await lock(borrower, lender)
        expect(ack).toMatchObject({ ok: true, state: { phase: 'locked' } })
      } else {
        const hash = await settledHash(borrower)
        await settledHash(lender)
        // Neither process knows of the other's confirmation when it writes its own.
        const acks = await Promise.all([confirm(borrower, hash, 'Zhang Wei'), confirm(lender, hash, 'Li Na')])
        for (const a of acks) expect(a).toMatchObject({ ok: true })
      }
      await waitFor(
        () => borrower.log.states.at(-1)?.phase === 'locked' && lender.log.states.at(-1)?.phase === 'locked',
        'both processes show the lock',
        10_000,
      )
      const a1 = borrower.log.states.at(-1)!.agreementHash
      expect(a1).toMatch(/^[0-9a-f]{64}$/)
      expect(lender.log.states.at(-1)!.agreementHash).toBe(a1)
      const [j1, j2] = await Promise.all(
        [one, two].map(async (s) => {
          const r = await fetch(`${s.url}/api/rooms/${room.roomId}/agreement`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
          expect(r.status).toBe(200)
          return r.text()
        }),
      )
      expect(j1).toBe(j2)
      const { text, archive } = await bundle(two, room)
      expect(await verifyArchive(text)).toMatchObject({ valid: true })
      expect(archive.events.filter((e) => e.type === 'lock')).toHaveLength(1)
      // After the lock, edits from either process are refused.
      lender.provider.doc.getMap('terms').set('termMonths', 12)
      await waitFor(() => lender.provider.closes.some((c) => c.code === 4403), 'post-lock edit refused on node two')
      expect(borrower.provider.doc.getMap('terms').get('termMonths')).toBe(together ? 48 : 30)
    }
  })

  it('loses nothing when process one is killed (SIGKILL) mid-negotiation; the borrower goes on through process two', async () => {
    const { one, two, env } = await cluster()
    const room = await createRoomAt(one, one.operatorKey)
    const borrowerDoc = new Y.Doc()
    const b1 = connectProvider(one, room.roomId, invite(room, 'borrower'), borrowerDoc)
    const bs = connectSocket(one, invite(room, 'borrower'))
    cleanup.push(() => bs.socket.close())
    const lender = party(await joinAs(two, room, 'lender'))
    // A mediator watches through process one only, and does not come back.
    const watcher = connectSocket(one, invite(room, 'observer'))
    cleanup.push(() => watcher.socket.close())
    await Promise.all([b1.synced, connected(bs.socket), connected(watcher.socket)])
    await waitFor(() => lender.log.states.at(-1)?.participants.some((p) => p.role === 'observer' && p.online) === true, 'observer online on node two')
    const clauses = borrowerDoc.getText('clauses')
    for (let i = 0; i < 40; i++) clauses.insert(clauses.length, `${i};`)
    borrowerDoc.getMap('terms').set('graceMonths', 3)
    for (let i = 0; i < 5; i++) expect(await emitAck(bs.socket, 'chat:send', { clientId: `k-${i}`, text: `acknowledged ${i}` })).toMatchObject({ ok: true })
    await waitFor(() => lender.provider.doc.getText('clauses').toString().endsWith('39;'), 'lender on node two has the edits')
    // More typing, then the process dies before it could tell anyone.
    for (let i = 40; i < 60; i++) clauses.insert(clauses.length, `${i};`)
    await one.kill('SIGKILL')
    b1.provider.destroy()
    bs.socket.close()
    watcher.socket.close()

    // The borrower's browser reconnects (to the other process) with the document it has.
    const b2 = provider(connectProvider(two, room.roomId, invite(room, 'borrower'), borrowerDoc))
    await b2.synced
    await waitFor(() => lender.provider.doc.getText('clauses').toString() === clauses.toString(), 'lender has every keystroke')
    expect(lender.provider.doc.getMap('terms').get('graceMonths')).toBe(3)
    const history = await new Promise<unknown[]>((resolve) => {
      const s = connectSocket(two, invite(room, 'borrower'))
      cleanup.push(() => s.socket.close())
      s.socket.once('chat:history', resolve)
    })
    expect(history.filter((h) => (h as ChatMessage).kind === 'chat').map((h) => (h as ChatMessage).text)).toEqual([0, 1, 2, 3, 4].map((i) => `acknowledged ${i}`))
    // The process that died is noticed: its connections are shown offline and their leave is logged.
    await waitFor(() => lender.log.states.at(-1)?.participants.some((p) => p.role === 'observer' && !p.online) === true, 'observer offline on node two', 15_000)
    expect(lender.log.states.at(-1)?.participants.find((p) => p.role === 'borrower')?.online).toBe(true)
    await waitFor(async () => {
      const r = await fetch(`${two.url}/api/rooms/${room.roomId}/archive`, { headers: { Authorization: `Bearer ${invite(room, 'lender')}` } })
      const a = (await r.json()) as ArchiveFile
      return a.events.some((e) => e.type === 'leave' && e.actor.role === 'observer' && (e.payload as { reason?: string }).reason === 'server_lost')
    }, 'leave logged for the lost process', 15_000)

    // A process started again on the same database and Redis takes its share: a lender edit through it arrives.
    const three = await startChildServer(env)
    cleanup.push(() => three.kill())
    const viaThree = provider(connectProvider(three, room.roomId, invite(room, 'lender')))
    await viaThree.synced
    expect(viaThree.doc.getText('clauses').toString()).toBe(clauses.toString())
    viaThree.doc.getMap('terms').set('termMonths', 60)
    await waitFor(() => borrowerDoc.getMap('terms').get('termMonths') === 60, 'edit through the new process reaches the borrower')
    const { text } = await bundle(two, room)
    expect(await verifyArchive(text)).toMatchObject({ valid: true })
  })

  it('catches up from PostgreSQL what was committed while Redis was down', async () => {
    const { one, two } = await cluster()
    const room = await createRoomAt(one, one.operatorKey)
    const borrower = party(await joinAs(one, room, 'borrower'))
    const lender = party(await joinAs(two, room, 'lender'))
    borrower.provider.doc.getMap('terms').set('termMonths', 30)
    await waitFor(() => lender.provider.doc.getMap('terms').get('termMonths') === 30, 'edit before the outage')

    // Redis dies: the processes go on alone, each committing to the database.
    const restarted = redis.restart(1500)
    await new Promise((r) => setTimeout(r, 200))
    borrower.provider.doc.getText('clauses').insert(0, 'Written while Redis was down. ')
    expect(await emitAck(borrower.socket, 'chat:send', { clientId: 'during-outage', text: 'anyone there?' })).toMatchObject({ ok: true })
    await restarted
    // Nothing of it was delivered by pub/sub; process two reads it from PostgreSQL once it is subscribed again.
    await waitFor(
      () => lender.provider.doc.getText('clauses').toString().startsWith('Written while Redis was down.') && lender.log.messages.some((m) => m.text === 'anyone there?'),
      'process two caught up after the outage',
      15_000,
    )
    // And the fan-out works again.
    lender.provider.doc.getMap('terms').set('termMonths', 42)
    await waitFor(() => borrower.provider.doc.getMap('terms').get('termMonths') === 42, 'edit after the outage', 10_000)
  })

  it('refuses an edit that races the lock across processes: the agreement never contains it', async () => {
    const { one, two } = await cluster()
    const outcomes: string[] = []
    for (let round = 0; round < 6; round++) {
      const room = await createRoomAt(one, one.operatorKey)
      const borrower = party(await joinAs(one, room, 'borrower'))
      const lender = party(await joinAs(two, room, 'lender'))
      const hash = await settledHash(borrower)
      await settledHash(lender)
      expect(await confirm(borrower, hash, 'Zhang Wei')).toMatchObject({ ok: true })

      await waitFor(() => lender.log.states.at(-1)?.confirmations.length === 1, 'borrower confirmation on node two')
      // The lender's confirmation (which locks, on node two) and a borrower edit (on node one), at once;
      // the edit is delayed by a few ms in some rounds so that either may win.
      const racing = confirm(lender, hash, 'Li Na')
      const edit = (): void => {
        borrower.provider.doc.getMap('terms').set('termMonths', 100 + round)
      }
      if (round % 2 === 0) edit()
      else setTimeout(edit, round)
      const ack = await racing
      const { text, archive } = await bundle(two, room).then(async (b) => {
        await new Promise((r) => setTimeout(r, 300))
        return bundle(two, room)
      })
      // Whatever won, the log is consistent: it verifies, and the agreement (if any) matches the document
      // replayed to the lock (verifyArchive checks the bundle's agreement against it); no update after the lock.
      expect(await verifyArchive(text)).toMatchObject({ valid: true })
      const types = archive.events.map((e) => e.type)
      const lockAt = types.indexOf('lock')
      if (lockAt >= 0) {
        expect(ack).toMatchObject({ ok: true })
        expect(types.slice(lockAt + 1)).not.toContain('update')
        const agreement = (JSON.parse(text) as { agreement: { content: { terms: { termMonths: number } } } }).agreement
        expect(agreement.content.terms.termMonths).toBe(24)
        outcomes.push('lock won')
      } else {
        expect(ack).toMatchObject({ ok: false, error: 'stale_hash' })
        await waitFor(() => lender.provider.doc.getMap('terms').get('termMonths') === 100 + round, 'the edit that won reached the lender')
        expect(lender.log.states.at(-1)?.phase).toBe('negotiating')
        outcomes.push('edit won')
      }
      // Both processes agree on the outcome.
      const states = await Promise.all(
        [one, two].map(async (s) => {
          const r = await fetch(`${s.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
          return ((await r.json()) as { phase: string }).phase
        }),
      )
      await waitFor(async () => {
        const again = await Promise.all(
          [one, two].map(async (s) => {
            const r = await fetch(`${s.url}/api/rooms/${room.roomId}`, { headers: { Authorization: `Bearer ${invite(room, 'observer')}` } })
            return ((await r.json()) as { phase: string }).phase
          }),
        )
        return again[0] === again[1]
      }, `both processes agree (first read: ${states.join(', ')})`)
    }
    console.log(`race outcomes: ${outcomes.join(', ')}`)
  })
})
