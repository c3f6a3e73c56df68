// `cli webhooks secret | list | redeliver`: a new WEBHOOK_SECRET, and the operator's view of the webhook
// outbox over the server's HTTP API (GET /api/webhooks/deliveries, POST …/:id/redeliver).
import { randomBytes } from 'node:crypto'
import type { WebhookDelivery, WebhookDeliveryList } from '../server/webhooks/events.ts'
import { EXIT, type CliIo, type Command } from './command.ts'
import { parseFileArgs } from './fileArgs.ts'

export const WEBHOOKS_USAGE = `webhooks secret | list [--status pending|delivered|failed] | redeliver --id ID   [--url http://host] [--json]
  secret prints a fresh WEBHOOK_SECRET (whsec_ + 32 random bytes). list and redeliver ask the server
  at --url (default http://localhost:3000) with the operator key from the OPERATOR_KEY environment
  variable. Exit 0 done, 1 the server refused, 2 bad usage.`

const FAILED = 1

function line(d: WebhookDelivery): string {
  const when = d.status === 'delivered' ? `delivered ${new Date(d.deliveredAt ?? 0).toISOString()}` : d.status === 'pending' ? `next ${new Date(d.nextAttemptAt ?? 0).toISOString()}` : 'parked'
  const last = d.lastError ? `, last: ${d.lastError}` : ''
  return `${d.id}  ${d.type.padEnd(15)} ${d.status.padEnd(9)} ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}, ${when}${last}`
}

async function call(io: CliIo, method: string, url: URL, json: boolean, show: (body: unknown) => string): Promise<number> {
  const key = process.env.OPERATOR_KEY
  if (!key) {
    io.stderr('set OPERATOR_KEY to the server’s operator key\n')
    return EXIT.usage
  }
  const res = await fetch(url, { method, headers: { Authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(10_000) })
  const body = (await res.json()) as unknown
  if (!res.ok) {
    io.stderr(`${url.pathname} answered ${res.status}: ${JSON.stringify(body)}\n`)
    return FAILED
  }
  io.stdout(json ? `${JSON.stringify(body, null, 2)}\n` : show(body))
  return EXIT.ok
}

export const command: Command = {
  usage: WEBHOOKS_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseFileArgs(argv, ['url', 'status', 'id'] as const)
    if (typeof args === 'string') {
      io[args ? 'stderr' : 'stdout'](`${args ? `${args}\n` : ''}usage: ${WEBHOOKS_USAGE}\n`)
      return args ? EXIT.usage : EXIT.ok
    }
    const base = args.options.url ?? 'http://localhost:3000'
    switch (args.file) {
      case 'secret':
        io.stdout(`whsec_${randomBytes(32).toString('base64')}\n`)
        return EXIT.ok
      case 'list': {
        const url = new URL('/api/webhooks/deliveries', base)
        if (args.options.status) url.searchParams.set('status', args.options.status)
        return call(io, 'GET', url, args.json, (body) => {
          const list = body as WebhookDeliveryList
          const head = list.enabled ? '' : '(webhooks are off on this server: WEBHOOK_URL is not set)\n'
          return head + list.deliveries.map((d) => `${line(d)}\n`).join('')
        })
      }
      case 'redeliver': {
        if (!args.options.id) {
          io.stderr(`redeliver needs --id\nusage: ${WEBHOOKS_USAGE}\n`)
          return EXIT.usage
        }
        const url = new URL(`/api/webhooks/deliveries/${encodeURIComponent(args.options.id)}/redeliver`, base)
        return call(io, 'POST', url, args.json, (body) => `${line((body as { delivery: WebhookDelivery }).delivery)}\n`)
      }
      default:
        io.stderr(`unknown webhooks action ${args.file}\nusage: ${WEBHOOKS_USAGE}\n`)
        return EXIT.usage
    }
  },
}
