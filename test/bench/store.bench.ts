// `npx tsx test/bench/store.bench.ts`: append latency of the stores, durable on both sides
// (SQLite synchronous=FULL; PostgreSQL fsync=on, synchronous_commit=on, a throwaway server from
// test/helpers/postgres.ts, skipped when PostgreSQL is not installed). One room appending one
// update at a time, then 50 rooms appending at once (what group commit is for).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Actor } from '../../shared/protocol/room.ts'
import { PgStore } from '../../server/store/PgStore.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { Store } from '../../server/store/Store.ts'
import { findPgBinDir, startPostgres } from '../helpers/postgres.ts'

const SEQUENTIAL = 2000
const ROOMS = 50
const PER_ROOM = 100
const actor: Actor = { role: 'borrower', name: 'A' }
const payload = new Uint8Array(120).fill(7)

function percentile(xs: number[], p: number): string {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(2)
}

async function bench(name: string, s: Store): Promise<void> {
  const room = (id: string) => ({ id, title: id, currency: 'CNY', meta: { invites: [] } })
  await s.createRoom(room('one'), [])
  for (let i = 0; i < 200; i++) await s.append('one', [{ actor, type: 'update', payload }])
  const one: number[] = []
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now()
    await s.append('one', [{ actor, type: 'update', payload }])
    one.push(performance.now() - t)
  }
  for (let r = 0; r < ROOMS; r++) await s.createRoom(room(`r${r}`), [])
  const many: number[] = []
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: ROOMS }, async (_, r) => {
      for (let i = 0; i < PER_ROOM; i++) {
        const t = performance.now()
        await s.append(`r${r}`, [{ actor, type: 'update', payload }])
        many.push(performance.now() - t)
      }
    }),
  )
  const rate = Math.round((ROOMS * PER_ROOM) / ((performance.now() - t0) / 1000))
  console.log(
    `${name}\n  1 room, sequential: p50 ${percentile(one, 0.5)} ms, p99 ${percentile(one, 0.99)} ms\n` +
      `  ${ROOMS} rooms at once:  ${rate} appends/s, p50 ${percentile(many, 0.5)} ms, p99 ${percentile(many, 0.99)} ms`,
  )
  await s.close()
}

console.log(`${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'))
await bench('SqliteStore (synchronous=FULL, default writer)', new SqliteStore(path.join(dir, 'db.sqlite')))
fs.rmSync(dir, { recursive: true, force: true })
if (findPgBinDir()) {
  const pg = await startPostgres({ fsync: true })
  try {
    await bench('PgStore (fsync=on, synchronous_commit=on, pool 10)', await PgStore.open(await pg.createDatabase()))
  } finally {
    await pg.stop()
  }
} else {
  console.log('PgStore: skipped (PostgreSQL is not installed: sudo apt-get install -y postgresql)')
}
