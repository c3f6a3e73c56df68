// `npm run --silent cli -- <command> …`: the dispatcher. Adding a command is one line in COMMANDS.
import { pathToFileURL } from 'node:url'
import { EXIT, type CliIo, type Command } from './command.ts'

type Entry = { summary: string; load: () => Promise<{ command: Command }> }

const COMMANDS: Record<string, Entry> = {
  terms: { summary: 'JSON array of terms on stdin → JSON array of schedules on stdout', load: () => import('./terms.ts') },
  schedule: { summary: 'print one schedule as a table with its summary', load: () => import('./schedule.ts') },
  verify: { summary: 'check a signed agreement offline (signature, hash, figures, confirmations)', load: () => import('./verify.ts') },
  'verify-archive': { summary: 'check a room archive or dispute bundle offline; names the first bad seq', load: () => import('./verifyArchive.ts') },
  export: { summary: 'a signed agreement as a Fineract request, a schedule CSV, JSON or a payment calendar (.ics)', load: () => import('./export.ts') },
  admin: { summary: 'create an organisation and its first admin in the server’s store (DATA_DIR or DATABASE_URL)', load: () => import('./admin.ts') },
  webhooks: { summary: 'a new WEBHOOK_SECRET; list and redeliver webhook deliveries (operator)', load: () => import('./webhooks.ts') },
}

export async function usage(): Promise<string> {
  const lines = ['usage: npm run --silent cli -- <command> [options]', '', 'commands:']
  for (const [name, entry] of Object.entries(COMMANDS)) {
    lines.push(`  ${name.padEnd(16)}${entry.summary}`)
    const { command } = await entry.load()
    for (const line of command.usage.split('\n')) lines.push(`      ${line}`)
  }
  return `${lines.join('\n')}\n`
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io[name === undefined ? 'stderr' : 'stdout'](await usage())
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!entry) {
    io.stderr(`unknown command: ${name}\n\n${await usage()}`)
    return EXIT.usage
  }
  const { command } = await entry.load()
  return command.run(args, io)
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const processIo: CliIo = {
  readStdin,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), processIo).then(
    (code) => {
      // exitCode, not exit(): a large JSON answer on a pipe must be flushed first.
      process.exitCode = code
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exitCode = 70
    },
  )
}
