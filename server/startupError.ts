// A start-up failure as the one line an operator reads (no stack trace): what went wrong and what to do.
export function startupMessage(err: unknown, port: number | undefined): string {
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string }
  const at = e.port ?? port
  const where = at === undefined ? 'the port' : `port ${at}`
  if (e.code === 'EADDRINUSE') return `${where} is already in use (is another server running?); stop it or start with another PORT, e.g. PORT=${(at ?? 3000) + 1} npm start`
  if (e.code === 'EACCES' && e.syscall === 'listen') return `${where} needs more privileges; use a port above 1023 (PORT=3000)`
  if (e.code === 'EADDRNOTAVAIL') return `HOST ${e.address ?? ''} is not an address of this machine; unset HOST to listen on all addresses`
  const message = err instanceof Error ? err.message : String(err)
  return message.split('\n')[0]!.trim() || 'unknown error'
}
