// Reads an upload's raw body up to a limit and stops the moment the limit is passed. body-parser
// refuses a large body only after draining all of it (an endless upload was read for 98 GiB): here a
// body announced or found too large gets its 413 at once, on a connection that is then closed.
import type { Request, Response } from 'express'
import { sendError } from './errors.ts'

export type UploadBody = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: boolean; message: string }

/** The body, or why not; a too-large body is not read any further (answer it with refuseTooLarge). */
export function readUpload(req: Request, limit: number): Promise<UploadBody> {
  const announced = req.get('content-length')
  if (announced !== undefined && Number(announced) > limit) return Promise.resolve({ ok: false, tooLarge: true, message: 'announced too large' })
  const encoding = (req.get('content-encoding') ?? 'identity').toLowerCase()
  if (encoding !== 'identity') return Promise.resolve({ ok: false, tooLarge: false, message: `Content-Encoding ${encoding} is not accepted; send the file as it is` })
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (result: UploadBody): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
      resolve(result)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        req.pause()
        chunks.length = 0
        finish({ ok: false, tooLarge: true, message: 'too large' })
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      const body = Buffer.concat(chunks, size)
      finish({ ok: true, bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) })
    }
    const onError = (err: Error): void => finish({ ok: false, tooLarge: false, message: err.message || 'the upload could not be read' })
    const onAborted = (): void => finish({ ok: false, tooLarge: false, message: 'the upload was interrupted' })
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}

/** How long a refused upload's connection stays half-open so that the client reads the 413 before it is closed. */
const LINGER_MS = 2000

/**
 * 413 too_large, then the connection is closed; nothing more of the body is read. The close lingers (as web
 * servers do): node would destroy the socket the moment the answer is out, and a client still sending would
 * get a reset in place of the 413. So the FIN follows the answer, and the socket is destroyed once the client
 * has closed its side, or after LINGER_MS.
 */
export function refuseTooLarge(req: Request, res: Response, message: string): void {
  const socket = req.socket
  req.pause()
  // The client may still be sending: its errors are expected once the socket is gone.
  req.on('error', () => {})
  socket.destroySoon = () => {
    socket.end()
    const timer = setTimeout(() => socket.destroy(), LINGER_MS)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
  }
  res.setHeader('Connection', 'close')
  sendError(res, 'too_large', message)
}
