// Structured logs. Tokens and the operator key never reach a log line (redacted by key, and
// request URLs are logged without their query string).
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'

export type { Logger }

/** `destination` (default stdout) lets a test read exactly what would be logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions<never> = {
    level,
    base: { service: 'negotiation-room' },
    redact: {
      paths: ['token', '*.token', 'operatorKey', '*.operatorKey', 'secret', 'authorization', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  }
  return destination ? pino(options, destination) : pino(options)
}

/** The path of a request URL without its query (which may carry a token). */
export function safePath(url: string | undefined): string {
  if (!url) return ''
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}
