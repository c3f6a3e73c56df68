// `cli admin create --org NAME --email EMAIL --name NAME [--password-stdin]`: the first admin of an
// organisation (made too when it does not exist), written straight into the server's store: SQLite in
// DATA_DIR, or PostgreSQL at DATABASE_URL, as the server would open it (a running server sees the new
// admin at once). Unlike the other commands it imports the server's store, since it writes what only the
// server otherwise writes.
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { isRefusal } from '../shared/protocol/errors.ts'
import { validateCreateStaff } from '../shared/schema/staff.schema.ts'
import { configFromEnv, resolveConfig } from '../server/config.ts'
import { OrgAccounts } from '../server/org/OrgAccounts.ts'
import { PgStore } from '../server/store/PgStore.ts'
import { SqliteStore } from '../server/store/SqliteStore.ts'
import type { Store } from '../server/store/Store.ts'
import { EXIT, type CliIo, type Command } from './command.ts'
import { parseFileArgs } from './fileArgs.ts'

export const ADMIN_USAGE = `admin create --org NAME --email EMAIL --name NAME [--password-stdin] [--json]
  Creates the organisation NAME if there is none (names compare case-insensitively) and an admin
  of it. The password is read from stdin with --password-stdin (at least 12 characters), else a new
  one is generated and printed once. Writes to the store of DATA_DIR (./data) or DATABASE_URL.
  Exit 0 created, 1 refused (the e-mail is taken in that organisation), 2 bad usage.`

const REFUSED = 1

async function openStore(): Promise<Store> {
  const config = resolveConfig(configFromEnv())
  if (config.databaseUrl) return PgStore.open(config.databaseUrl, { max: 2 })
  return new SqliteStore(path.join(config.dataDir, 'negotiation.db'))
}

function usageError(io: CliIo, message: string): number {
  io[message ? 'stderr' : 'stdout'](`${message ? `${message}\n` : ''}usage: ${ADMIN_USAGE}\n`)
  return message ? EXIT.usage : EXIT.ok
}

export const command: Command = {
  usage: ADMIN_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const fromStdin = argv.includes('--password-stdin')
    const args = parseFileArgs(
      argv.filter((a) => a !== '--password-stdin'),
      ['org', 'email', 'name'] as const,
    )
    if (typeof args === 'string') return usageError(io, args === 'FILE is missing' ? 'the action (create) is missing' : args)
    if (args.file !== 'create') return usageError(io, `unknown admin action ${args.file}`)
    const { org: orgName, email, name } = args.options
    if (!orgName?.trim() || !email || !name) return usageError(io, 'create needs --org, --email and --name')
    const generated = !fromStdin
    // One line from stdin: `printf '%s' "$PW" | …` and `echo "$PW" | …` both work.
    const password = fromStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : randomBytes(18).toString('base64url')
    const checked = validateCreateStaff({ email, name, roles: ['admin'], password })
    if (!checked.ok) return usageError(io, checked.error.startsWith('/password') ? 'the password needs at least 12 characters' : checked.error)

    const store = await openStore()
    try {
      const accounts = new OrgAccounts(store.orgs, { ttlMs: 1, idleMs: 1 })
      const { org, created } = await accounts.ensureOrg(orgName)
      const admin = await accounts.createStaff(org.id, checked.value)
      if (isRefusal(admin)) {
        io.stderr(`${admin.message} (${org.name}, ${email})\n`)
        return REFUSED
      }
      if (args.json) {
        io.stdout(`${JSON.stringify({ org: { id: org.id, name: org.name, created }, admin: { id: admin.id, email: admin.email, name: admin.name, roles: admin.roles }, ...(generated ? { password } : {}) }, null, 2)}\n`)
      } else {
        io.stdout(`${created ? 'created' : 'found'} organisation ${org.name} (${org.id})\ncreated admin ${admin.name} <${admin.email}> (${admin.id})\n`)
        if (generated) io.stdout(`password: ${password}\n(shown only now; sign in at /api/auth/login)\n`)
      }
      return EXIT.ok
    } finally {
      await store.close()
    }
  },
}
