// Configuration (DESIGN.md "Configuration" is contract: PORT, DATA_DIR, OPERATOR_KEY, DATABASE_URL, REDIS_URL).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkSecretLength } from './auth/secrets.ts'
import { webhookKey } from './webhooks/sign.ts'

export interface Config {
  port: number
  host: string
  dataDir: string
  /** Bearer key for operator endpoints; generated into dataDir when not given. */
  operatorKey?: string
  /** HS256 secret for room tokens; generated into dataDir when not given. */
  secret?: string
  /** Base of invite URLs; otherwise the request's host. */
  publicUrl?: string
  logLevel: string
  /** A room with no connection and no pending write is unloaded after this long. */
  roomIdleMs: number
  tokenTtlMs: number
  /** Take a load-cache snapshot after this many stored updates. */
  snapshotEvery: number
  /** Largest websocket message accepted (bytes): a Yjs message or a socket.io frame (MAX_PAYLOAD, at most 1 MiB). */
  maxPayload: number
  databaseUrl?: string
  redisUrl?: string
  /** Built client (vite build output). */
  clientDir: string
  /** SOCKET_RATE / SOCKET_BURST: socket.io events per second, per connection and per participant, and the burst allowed. */
  socketRate: number
  socketBurst: number
  /** SQLite durability: FULL fsyncs every commit (the default; see SqliteStore). */
  sqliteSynchronous: 'FULL' | 'NORMAL'
  /** Commit on the event loop ('inline', the default; see server/store/SqliteStore.ts) or in a worker thread. */
  sqliteWriter: 'thread' | 'inline'
  /**
   * TRUST_PROXY: behind a reverse proxy, take a client's address from X-Forwarded-For (its first entry) for the
   * confirmation's consent record; otherwise the socket's own address. Never set it without a proxy that sets it.
   */
  trustProxy: boolean
  /** OIDC_ALLOW_PRIVATE_ISSUERS: let organisations' identity providers be at private addresses (an IdP inside the network). */
  oidcAllowPrivateIssuers: boolean
  /** ALLOWED_ORIGINS (comma-separated, or '*'): browser origins besides the server's own that may open the websockets. */
  allowedOrigins: string[]
  /** HTTP_RATE / HTTP_BURST: API requests per second per client address, and the burst allowed (rate 0: no limit). */
  httpRate: number
  httpBurst: number
  /** ROOM_MAX_*: per-room quotas (server/room/RoomQuotas.ts), far above any real negotiation. */
  roomMaxDocBytes: number
  roomMaxClausesChars: number
  roomMaxUpdateBytes: number
  roomMaxAttachments: number
  roomMaxAttachmentBytes: number
  /** PRESENCE_LEAVE_GRACE_MS: a leave line is written once the participant has been away this long (a reconnect before folds it). */
  presenceLeaveGraceMs: number
  /** PRESENCE_JOIN_WINDOW_MS: at most one join line per participant per window (their leave waits for its end). */
  presenceJoinWindowMs: number
  /** PAUSES_PER_PARTY: cooling-off pauses each of the borrower and the lender may call in one room (server/room/CoolingOff.ts). */
  pausesPerParty: number
  /** PAUSE_MINUTE_MS: for tests only: how long a pause "minute" lasts, so a test sees a 2-minute pause end in a second. */
  pauseMinuteMs: number
  /** AUTH_FAILURES_PER_MINUTE: failed operator-key attempts per minute from all addresses together; beyond it 429 for everyone (0: no limit). */
  authFailuresPerMinute: number
  /** MAX_CONNECTIONS_PER_TOKEN / _PER_ROOM / _PER_ADDRESS: open websockets (Yjs + socket.io) per invite, room and client address. */
  maxConnectionsPerToken: number
  maxConnectionsPerRoom: number
  maxConnectionsPerAddress: number
  /** MAX_CONNECTIONS: open TCP connections in all; the last RESERVED_CONNECTIONS serve only /healthz and /api/public-key. */
  maxConnections: number
  reservedConnections: number
  /** HEADERS_TIMEOUT_MS: a request (an upgrade too) must have sent its headers by then; UPGRADE_TIMEOUT_MS: token check + room load of a Yjs upgrade. */
  headersTimeoutMs: number
  upgradeTimeoutMs: number
  /** YJS_UPDATE_RATE / _BURST, YJS_BYTES_RATE / _BURST, YJS_MESSAGE_RATE / _BURST: per connection and per participant (0: no limit). */
  yjsUpdateRate: number
  yjsUpdateBurst: number
  yjsBytesRate: number
  yjsBytesBurst: number
  yjsMessageRate: number
  yjsMessageBurst: number
  /** YJS_PENALTY_MS: a participant who spent past a Yjs budget is refused this long (honest typing never gets there). */
  yjsPenaltyMs: number
  /** WEBHOOK_URL / WEBHOOK_SECRET (`whsec_` + base64): the one webhook endpoint (server/webhooks); unset, no outbox is written. */
  webhookUrl?: string
  /** LPR_TABLE: the one-year LPR table for the disclosure ceiling, JSON text or a file path (server/disclosureRules.ts). */
  lprTable?: string
  webhookSecret?: string
  /** WEBHOOK_TIMEOUT_MS: one delivery attempt; WEBHOOK_POLL_MS: how often an idle sender looks for due rows. */
  webhookTimeoutMs: number
  webhookPollMs: number
  /** WEBHOOK_RETRY_BASE_MS / WEBHOOK_RETRY_MAX_MS: first wait and longest wait between attempts; WEBHOOK_MAX_AGE_MS: then parked as failed. */
  webhookRetryBaseMs: number
  webhookRetryMaxMs: number
  webhookMaxAgeMs: number
  /** SESSION_TTL_HOURS: a staff session ends this long after sign-in; SESSION_IDLE_MINUTES: or this long after its last request. */
  sessionTtlMs: number
  sessionIdleMs: number
  /** LOGIN_FAILURES_PER_ACCOUNT / LOGIN_FAILURES_PER_ADDRESS per LOGIN_FAILURE_WINDOW_MINUTES: then sign-in answers 429 (0: no limit). */
  loginFailuresPerAccount: number
  loginFailuresPerAddress: number
  loginFailureWindowMs: number
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export const DEFAULTS: Config = {
  port: 3000,
  host: '0.0.0.0',
  dataDir: './data',
  logLevel: 'info',
  roomIdleMs: 5 * 60_000,
  tokenTtlMs: 14 * 24 * 3600_000,
  snapshotEvery: 500,
  maxPayload: 1024 * 1024,
  clientDir: path.join(ROOT, 'dist', 'client'),
  socketRate: 10,
  socketBurst: 20,
  sqliteSynchronous: 'FULL',
  sqliteWriter: 'inline',
  trustProxy: false,
  oidcAllowPrivateIssuers: false,
  allowedOrigins: [],
  httpRate: 100,
  httpBurst: 1000,
  roomMaxDocBytes: 8 * 1024 * 1024,
  roomMaxClausesChars: 1_000_000,
  roomMaxUpdateBytes: 1024 * 1024,
  roomMaxAttachments: 100,
  roomMaxAttachmentBytes: 200 * 1024 * 1024,
  presenceLeaveGraceMs: 30_000,
  presenceJoinWindowMs: 5 * 60_000,
  pausesPerParty: 2,
  pauseMinuteMs: 60_000,
  authFailuresPerMinute: 100,
  // A browser tab holds 2 (Yjs + socket.io); 16 leaves room for several tabs and for reconnects whose old sockets
  // the server has not yet seen die (ping: 30 s).
  maxConnectionsPerToken: 16,
  maxConnectionsPerRoom: 64,
  maxConnectionsPerAddress: 256,
  maxConnections: 10_000,
  reservedConnections: 16,
  headersTimeoutMs: 10_000,
  upgradeTimeoutMs: 10_000,
  // A fast typist sends ~10 updates/s and a pasted page is one update of some KiB: neither comes near these.
  yjsUpdateRate: 50,
  yjsUpdateBurst: 200,
  yjsBytesRate: 2 * 1024 * 1024,
  yjsBytesBurst: 4 * 1024 * 1024,
  yjsMessageRate: 30,
  yjsMessageBurst: 120,
  yjsPenaltyMs: 10_000,
  // Standard Webhooks recommends 15-30 s per request and a retry schedule of about a day or more.
  webhookTimeoutMs: 15_000,
  webhookPollMs: 1_000,
  webhookRetryBaseMs: 5_000,
  webhookRetryMaxMs: 60 * 60_000,
  webhookMaxAgeMs: 24 * 3600_000,
  // A working day; an hour away from the desk signs a member out (OWASP: 15-30 min for high-value apps, 2-8 h absolute).
  sessionTtlMs: 12 * 3600_000,
  sessionIdleMs: 60 * 60_000,
  // A person mistypes a few times; a guesser needs thousands. An office behind one NAT shares the address budget.
  loginFailuresPerAccount: 10,
  loginFailuresPerAddress: 100,
  loginFailureWindowMs: 15 * 60_000,
}

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`)
  return n
}

function scaled(n: number | undefined, unitMs: number): number | undefined {
  return n === undefined ? undefined : n * unitMs
}

function str(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** Reads the environment; unset values keep their defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Config> {
  const c: Partial<Config> = {
    port: int(env.PORT, 'PORT'),
    host: str(env.HOST),
    dataDir: str(env.DATA_DIR),
    operatorKey: str(env.OPERATOR_KEY),
    secret: str(env.SECRET),
    publicUrl: str(env.PUBLIC_URL),
    logLevel: str(env.LOG_LEVEL),
    roomIdleMs: int(env.ROOM_IDLE_MS, 'ROOM_IDLE_MS'),
    tokenTtlMs: int(env.TOKEN_TTL_DAYS, 'TOKEN_TTL_DAYS') !== undefined ? int(env.TOKEN_TTL_DAYS, 'TOKEN_TTL_DAYS')! * 24 * 3600_000 : undefined,
    snapshotEvery: int(env.SNAPSHOT_EVERY, 'SNAPSHOT_EVERY'),
    maxPayload: int(env.MAX_PAYLOAD, 'MAX_PAYLOAD'),
    databaseUrl: str(env.DATABASE_URL),
    redisUrl: str(env.REDIS_URL),
    clientDir: str(env.CLIENT_DIR),
    sqliteSynchronous: env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : undefined,
    sqliteWriter: env.SQLITE_WRITER === 'inline' || env.SQLITE_WRITER === 'thread' ? env.SQLITE_WRITER : undefined,
    allowedOrigins: str(env.ALLOWED_ORIGINS)?.split(',').map((o) => o.trim()).filter(Boolean),
    httpRate: int(env.HTTP_RATE, 'HTTP_RATE'),
    httpBurst: int(env.HTTP_BURST, 'HTTP_BURST'),
    roomMaxDocBytes: int(env.ROOM_MAX_DOC_BYTES, 'ROOM_MAX_DOC_BYTES'),
    roomMaxClausesChars: int(env.ROOM_MAX_CLAUSES_CHARS, 'ROOM_MAX_CLAUSES_CHARS'),
    roomMaxUpdateBytes: int(env.ROOM_MAX_UPDATE_BYTES, 'ROOM_MAX_UPDATE_BYTES'),
    roomMaxAttachments: int(env.ROOM_MAX_ATTACHMENTS, 'ROOM_MAX_ATTACHMENTS'),
    roomMaxAttachmentBytes: int(env.ROOM_MAX_ATTACHMENT_BYTES, 'ROOM_MAX_ATTACHMENT_BYTES'),
    presenceLeaveGraceMs: int(env.PRESENCE_LEAVE_GRACE_MS, 'PRESENCE_LEAVE_GRACE_MS'),
    presenceJoinWindowMs: int(env.PRESENCE_JOIN_WINDOW_MS, 'PRESENCE_JOIN_WINDOW_MS'),
    pausesPerParty: int(env.PAUSES_PER_PARTY, 'PAUSES_PER_PARTY'),
    pauseMinuteMs: int(env.PAUSE_MINUTE_MS, 'PAUSE_MINUTE_MS'),
    authFailuresPerMinute: int(env.AUTH_FAILURES_PER_MINUTE, 'AUTH_FAILURES_PER_MINUTE'),
    socketRate: int(env.SOCKET_RATE, 'SOCKET_RATE'),
    socketBurst: int(env.SOCKET_BURST, 'SOCKET_BURST'),
    maxConnectionsPerToken: int(env.MAX_CONNECTIONS_PER_TOKEN, 'MAX_CONNECTIONS_PER_TOKEN'),
    maxConnectionsPerRoom: int(env.MAX_CONNECTIONS_PER_ROOM, 'MAX_CONNECTIONS_PER_ROOM'),
    maxConnectionsPerAddress: int(env.MAX_CONNECTIONS_PER_ADDRESS, 'MAX_CONNECTIONS_PER_ADDRESS'),
    maxConnections: int(env.MAX_CONNECTIONS, 'MAX_CONNECTIONS'),
    reservedConnections: int(env.RESERVED_CONNECTIONS, 'RESERVED_CONNECTIONS'),
    headersTimeoutMs: int(env.HEADERS_TIMEOUT_MS, 'HEADERS_TIMEOUT_MS'),
    upgradeTimeoutMs: int(env.UPGRADE_TIMEOUT_MS, 'UPGRADE_TIMEOUT_MS'),
    yjsUpdateRate: int(env.YJS_UPDATE_RATE, 'YJS_UPDATE_RATE'),
    yjsUpdateBurst: int(env.YJS_UPDATE_BURST, 'YJS_UPDATE_BURST'),
    yjsBytesRate: int(env.YJS_BYTES_RATE, 'YJS_BYTES_RATE'),
    yjsBytesBurst: int(env.YJS_BYTES_BURST, 'YJS_BYTES_BURST'),
    yjsMessageRate: int(env.YJS_MESSAGE_RATE, 'YJS_MESSAGE_RATE'),
    yjsMessageBurst: int(env.YJS_MESSAGE_BURST, 'YJS_MESSAGE_BURST'),
    yjsPenaltyMs: int(env.YJS_PENALTY_MS, 'YJS_PENALTY_MS'),
    webhookUrl: str(env.WEBHOOK_URL),
    lprTable: str(env.LPR_TABLE),
    webhookSecret: str(env.WEBHOOK_SECRET),
    webhookTimeoutMs: int(env.WEBHOOK_TIMEOUT_MS, 'WEBHOOK_TIMEOUT_MS'),
    webhookPollMs: int(env.WEBHOOK_POLL_MS, 'WEBHOOK_POLL_MS'),
    webhookRetryBaseMs: int(env.WEBHOOK_RETRY_BASE_MS, 'WEBHOOK_RETRY_BASE_MS'),
    webhookRetryMaxMs: int(env.WEBHOOK_RETRY_MAX_MS, 'WEBHOOK_RETRY_MAX_MS'),
    webhookMaxAgeMs: int(env.WEBHOOK_MAX_AGE_MS, 'WEBHOOK_MAX_AGE_MS'),
    sessionTtlMs: scaled(int(env.SESSION_TTL_HOURS, 'SESSION_TTL_HOURS'), 3600_000),
    sessionIdleMs: scaled(int(env.SESSION_IDLE_MINUTES, 'SESSION_IDLE_MINUTES'), 60_000),
    loginFailuresPerAccount: int(env.LOGIN_FAILURES_PER_ACCOUNT, 'LOGIN_FAILURES_PER_ACCOUNT'),
    loginFailuresPerAddress: int(env.LOGIN_FAILURES_PER_ADDRESS, 'LOGIN_FAILURES_PER_ADDRESS'),
    loginFailureWindowMs: scaled(int(env.LOGIN_FAILURE_WINDOW_MINUTES, 'LOGIN_FAILURE_WINDOW_MINUTES'), 60_000),
    trustProxy: str(env.TRUST_PROXY) === undefined ? undefined : !['0', 'false', 'no', 'off'].includes(env.TRUST_PROXY!.toLowerCase()),
    oidcAllowPrivateIssuers:
      str(env.OIDC_ALLOW_PRIVATE_ISSUERS) === undefined ? undefined : !['0', 'false', 'no', 'off'].includes(env.OIDC_ALLOW_PRIVATE_ISSUERS!.toLowerCase()),
  }
  for (const k of Object.keys(c) as (keyof Config)[]) if (c[k] === undefined) delete c[k]
  return c
}

export function resolveConfig(options: Partial<Config>): Config {
  const c: Config = { ...DEFAULTS }
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v
  c.dataDir = path.resolve(c.dataDir)
  if (c.maxPayload > 1024 * 1024) throw new Error('maxPayload must be at most 1 MiB')
  checkSecretLength('SECRET', c.secret)
  checkSecretLength('OPERATOR_KEY', c.operatorKey)
  if (c.yjsBytesRate > 0 && c.yjsBytesBurst < c.maxPayload) throw new Error('YJS_BYTES_BURST must be at least the largest message (maxPayload)')
  // A zero-length minute would end every pause the moment it is called.
  if (c.pauseMinuteMs < 1) throw new Error('PAUSE_MINUTE_MS must be at least 1')
  checkWebhookConfig(c)
  if (c.sessionTtlMs < 1 || c.sessionIdleMs < 1 || c.loginFailureWindowMs < 1000) {
    throw new Error('SESSION_TTL_HOURS, SESSION_IDLE_MINUTES and LOGIN_FAILURE_WINDOW_MINUTES must be positive')
  }
  return c
}

function checkWebhookConfig(c: Config): void {
  if (c.webhookSecret !== undefined && c.webhookUrl === undefined) throw new Error('WEBHOOK_SECRET is set but WEBHOOK_URL is not')
  if (c.webhookUrl === undefined) return
  let url: URL
  try {
    url = new URL(c.webhookUrl)
  } catch {
    throw new Error('WEBHOOK_URL must be an http:// or https:// URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('WEBHOOK_URL must be an http:// or https:// URL')
  if (c.webhookSecret === undefined) throw new Error('WEBHOOK_URL needs WEBHOOK_SECRET (whsec_ followed by base64 of at least 24 random bytes)')
  webhookKey(c.webhookSecret)
  if (c.webhookTimeoutMs < 1 || c.webhookPollMs < 1 || c.webhookRetryBaseMs < 1) throw new Error('WEBHOOK_TIMEOUT_MS, WEBHOOK_POLL_MS and WEBHOOK_RETRY_BASE_MS must be positive')
}
