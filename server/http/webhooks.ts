// The operator's view of the webhook outbox: what is pending, delivered or parked as failed, and
// redelivery of one row (Standard Webhooks: visibility into failures and manual retries).
import { Router } from 'express'
import { DELIVERY_STATUSES, type DeliveryStatus, type WebhookDeliveryList } from '../webhooks/events.ts'
import { sendError } from './errors.ts'
import { operatorCaller, type RouteContext } from './routeContext.ts'

const MAX_LIMIT = 1000

export interface WebhooksRouteContext extends Pick<RouteContext, 'store' | 'auth'> {
  enabled: boolean
  /** A redelivered row goes out now rather than at the next poll (with webhooks off it waits for them to be on). */
  nudge: () => void
}

export function webhooksRouter(o: WebhooksRouteContext): Router {
  const router = Router()

  router.get('/api/webhooks/deliveries', async (req, res) => {
    if (!(await operatorCaller(o.auth, req, res))) return
    const status = req.query.status
    if (status !== undefined && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
      return sendError(res, 'invalid_payload', `status: must be one of ${DELIVERY_STATUSES.join(', ')}`)
    }
    const limitText = req.query.limit ?? '100'
    const limit = typeof limitText === 'string' && /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN
    if (!(limit >= 1 && limit <= MAX_LIMIT)) return sendError(res, 'invalid_payload', `limit: must be an integer from 1 to ${MAX_LIMIT}`)
    const list: WebhookDeliveryList = { enabled: o.enabled, deliveries: await o.store.outbox.list(status as DeliveryStatus | undefined, limit) }
    res.json(list)
  })

  router.post('/api/webhooks/deliveries/:id/redeliver', async (req, res) => {
    if (!(await operatorCaller(o.auth, req, res))) return
    const delivery = await o.store.outbox.redeliver(req.params.id, Date.now())
    if (!delivery) return sendError(res, 'not_found', 'no such delivery')
    o.nudge()
    res.json({ delivery })
  })

  return router
}
