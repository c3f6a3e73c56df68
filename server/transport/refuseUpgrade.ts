// An upgrade refused before any websocket exists is a plain HTTP response with the JSON error body
// every other endpoint sends, so a client (or curl) reads why.
import type { Duplex } from 'node:stream'

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }

export function refuseUpgrade(socket: Duplex, status: number, error: string, text: string): void {
  if (socket.destroyed) return
  const body = JSON.stringify({ error, message: text })
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}
