// The servers bench:server measures: this server on SQLite, the reference y-websocket server, and
// this server as one or several processes on PostgreSQL; each with fresh rooms for every segment.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { childEnv, startChildServer } from '../childServer.ts'
import { createRoomAt } from '../server.ts'
import { startBenchCluster } from './clusterServers.ts'
import type { BenchRoom } from './loadClients.ts'
import { mergeStats, type ServerStats } from './serverStats.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '../../..')

/** The load's shape: rooms per segment, and how many segments (rounds) each server runs. */
export interface BenchLoad {
  rooms: number
  rounds: number
}

/** SQLite settings of this server: `synchronous` 'FULL' or 'NORMAL'; `writer` 'inline', 'thread' or '' (the default). */
export interface SqliteOptions {
  synchronous: string
  writer: string
}

export interface Target {
  name: string
  url: string
  /** The server's processes (CPU and RSS are summed over them). */
  pids: number[]
  /** Fresh rooms for each segment: every segment starts from new documents on both servers. */
  rooms: BenchRoom[][]
  ask<T>(command: string): Promise<T>
  stop(): Promise<void>
}

/** The settings this server runs with in every bench, for `rooms` rooms of three clients. */
export function benchServerEnv(rooms: number): Record<string, string> {
  return {
    // The last segment's rooms unload (snapshot, free) while the next one connects, as the
    // reference drops a document when its last client leaves.
    ROOM_IDLE_MS: '1000',
    LOG_LEVEL: 'warn',
    // Every load client connects from 127.0.0.1: the per-address cap would count them all as one office.
    MAX_CONNECTIONS_PER_ADDRESS: String(rooms * 3 + 64),
    // The bench's own setup creates thousands of rooms in seconds through the API; the per-address
    // API rate limit is there for the public, not for the operator's bulk set-up (it never touches Yjs traffic).
    HTTP_RATE: '0',
    // From 3,334 rooms on, the default cap of 10,000 open connections would refuse clients.
    MAX_CONNECTIONS: String(Math.max(10_000, rooms * 3 + 64)),
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Rooms for every round, created a few at a time (10,000 one after another would take minutes). */
async function createBenchRooms(load: BenchLoad, create: (round: number, i: number) => Promise<BenchRoom>): Promise<BenchRoom[][]> {
  const rooms: BenchRoom[][] = []
  for (let k = 0; k < load.rounds; k++) {
    const set: BenchRoom[] = new Array<BenchRoom>(load.rooms)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < load.rooms) {
        const i = next++
        set[i] = await create(k, i)
      }
    }
    await Promise.all(Array.from({ length: Math.min(8, load.rooms) }, worker))
    rooms.push(set)
  }
  return rooms
}

export async function startReference(load: BenchLoad): Promise<Target> {
  const child = spawn(process.execPath, [path.join(HERE, 'refServer.cjs')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  const waiting: ((line: string) => void)[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line))
  const nextLine = (): Promise<string> => new Promise((resolve) => waiting.push(resolve))
  const info = JSON.parse(await nextLine()) as { url: string; pid: number }
  return {
    name: 'y-websocket 1.5.4',
    url: info.url,
    pids: [info.pid],
    rooms: Array.from({ length: load.rounds }, (_, k) => Array.from({ length: load.rooms }, (_, i) => ({ roomId: `bench-${k}-${i}` }))),
    ask: async <T>(command: string): Promise<T> => {
      const answer = nextLine()
      child.stdin!.write(command + '\n')
      return JSON.parse(await answer) as T
    },
    stop: () => stopChild(child),
  }
}

export async function startOurs(load: BenchLoad, sqlite: SqliteOptions): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-bench-'))
  const server = await startChildServer(
    childEnv(dataDir, {
      ...benchServerEnv(load.rooms),
      ...(sqlite.synchronous === 'NORMAL' ? { SQLITE_SYNCHRONOUS: 'NORMAL' } : {}),
      ...(sqlite.writer ? { SQLITE_WRITER: sqlite.writer } : {}),
    }),
  )
  const rooms = await createBenchRooms(load, async (k, i) => {
    const r = await createRoomAt(server, server.operatorKey, { title: `bench ${k}-${i}` })
    return { roomId: r.roomId, tokens: { borrower: r.invites.borrower.token, lender: r.invites.lender.token, observer: r.invites.observer.token } }
  })
  return {
    name: 'this server',
    url: server.url,
    pids: [server.pid],
    rooms,
    ask: server.ask,
    stop: async () => {
      await server.kill('SIGTERM')
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * `count` processes on a PostgreSQL started here (fsync on) and, for more than one, a Redis: the
 * borrower of each room on one process, the lender on the next, so every measured edit crosses
 * from one process to another.
 */
export async function startPgCluster(count: number, load: BenchLoad): Promise<Target> {
  const cluster = await startBenchCluster(count, benchServerEnv(load.rooms))
  const nodes = cluster.nodes
  const rooms = await createBenchRooms(load, async (k, i) => {
    const r = await createRoomAt(nodes[i % count]!, cluster.operatorKey, { title: `bench ${k}-${i}` })
    const at = (n: number): string => nodes[(i + n) % count]!.url
    return {
      roomId: r.roomId,
      tokens: { borrower: r.invites.borrower.token, lender: r.invites.lender.token, observer: r.invites.observer.token },
      urls: { borrower: at(0), lender: at(1), observer: at(1) },
    }
  })
  return {
    name: count > 1 ? `${count} processes (PostgreSQL + Redis)` : '1 process (PostgreSQL)',
    url: nodes[0]!.url,
    pids: nodes.map((n) => n.pid),
    rooms,
    ask: async <T>(command: string): Promise<T> => mergeStats(await Promise.all(nodes.map((n) => n.ask<ServerStats>(command)))) as T,
    stop: () => cluster.stop(),
  }
}
