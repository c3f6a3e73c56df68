// For `npm run bench:server -- --nodes N`: a PostgreSQL (fsync on: durable like production) and,
// for N > 1, a Redis, both started here on free loopback ports, and N server processes on them
// sharing one DATA_DIR (keys), as README "Scaling out" runs them.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startChildServer, type ChildServer } from '../childServer.ts'
import { startPostgres, type TestPostgres } from '../postgres.ts'
import { startRedis, type TestRedis } from '../redis.ts'

export interface BenchCluster {
  nodes: ChildServer[]
  operatorKey: string
  stop(): Promise<void>
}

export async function startBenchCluster(count: number, env: Record<string, string>): Promise<BenchCluster> {
  const pg: TestPostgres = await startPostgres({ fsync: true })
  const redis: TestRedis | null = count > 1 ? await startRedis() : null
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'negotiation-bench-cluster-'))
  const nodes: ChildServer[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')))
    await Promise.all([pg.stop(), redis?.stop()])
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    const databaseUrl = await pg.createDatabase('bench')
    const base = { ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, ...(redis ? { REDIS_URL: redis.url } : {}) }
    // The first one creates the schema and the keys; the others start on them.
    nodes.push(await startChildServer(base))
    for (let i = 1; i < count; i++) nodes.push(await startChildServer(base))
    return { nodes, operatorKey: nodes[0]!.operatorKey, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
