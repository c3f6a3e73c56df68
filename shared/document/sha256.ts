// Synchronous SHA-256 that runs unchanged in the browser and on the server (lib0's implementation).
import { digest } from 'lib0/hash/sha256'

const encoder = new TextEncoder()

export function sha256Hex(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  let hex = ''
  for (const b of digest(bytes)) hex += b.toString(16).padStart(2, '0')
  return hex
}
