// GET /healthz: the process answers and the store can be read.
import { Router } from 'express'
import type { RoomRegistry } from '../room/RoomRegistry.ts'
import type { Store } from '../store/Store.ts'

export interface HealthOptions {
  store: Store
  registry: RoomRegistry
  connections: () => { yjs: number; socketio: number }
  /** Connections the server closed on its own decision since start, by `transport.reason`. */
  closes: () => Record<string, number>
  /** With REDIS_URL: this process's node id and the nodes it hears from. */
  cluster?: () => { node: string; nodes: number }
}

const started = Date.now()

export function healthRouter(o: HealthOptions): Router {
  const router = Router()
  router.get('/healthz', async (_req, res) => {
    let storeOk = true
    try {
      await o.store.getRoom('-healthz-')
    } catch {
      storeOk = false
    }
    res.status(storeOk ? 200 : 503).json({
      ok: storeOk,
      store: storeOk ? 'ok' : 'failing',
      uptimeS: Math.round((Date.now() - started) / 1000),
      roomsLoaded: o.registry.loadedCount,
      connections: o.connections(),
      closes: o.closes(),
      ...(o.cluster ? { cluster: o.cluster() } : {}),
    })
  })
  return router
}
