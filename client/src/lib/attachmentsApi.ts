// Evidence files of a room (server/http/attachments.ts): list, upload the raw bytes with progress,
// and the client-side checks made before anything is sent.
import type { AttachmentInfo, AttachmentList, AttachmentUploaded } from '../../../shared/protocol/attachment.ts'
import { api, type ApiResult } from './api.ts'

/** The server's limit (server/attachments/sniffType.ts MAX_ATTACHMENT_BYTES): 10 MiB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

/** What the file picker offers; the server decides the real type from the content. */
export const ACCEPTED_EXTENSIONS = '.pdf,.png,.jpg,.jpeg'

export function attachmentsPath(roomId: string): string {
  return `/api/rooms/${encodeURIComponent(roomId)}/attachments`
}

export function attachmentPath(roomId: string, sha256: string): string {
  return `${attachmentsPath(roomId)}/${encodeURIComponent(sha256)}`
}

export async function listAttachments(roomId: string, token: string): Promise<ApiResult<AttachmentInfo[]>> {
  const r = await api.get<AttachmentList>(attachmentsPath(roomId), token)
  if (!r.ok) return r
  const list = Array.isArray(r.data?.attachments) ? r.data.attachments : []
  return { ok: true, status: r.status, data: list }
}

/** Sends the file's bytes as the request body (XMLHttpRequest, so the upload reports progress). */
export function uploadAttachment(
  roomId: string,
  token: string,
  file: Blob & { name: string },
  onProgress?: (fraction: number) => void,
): Promise<ApiResult<AttachmentUploaded>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', attachmentsPath(roomId))
    xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name))
    if (onProgress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total)
      }
    }
    xhr.onerror = () => resolve({ ok: false, status: 0, error: 'network', message: '' })
    xhr.ontimeout = () => resolve({ ok: false, status: 0, error: 'timeout', message: '' })
    xhr.onload = () => {
      let data: unknown = null
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        data = null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ ok: true, status: xhr.status, data: data as AttachmentUploaded })
        return
      }
      const d = (data ?? {}) as { error?: unknown; message?: unknown }
      const fallback = xhr.status === 413 ? 'too_large' : xhr.status === 415 ? 'unsupported_type' : xhr.status === 403 ? 'forbidden' : `http_${xhr.status}`
      resolve({
        ok: false,
        status: xhr.status,
        error: typeof d.error === 'string' ? d.error : fallback,
        message: typeof d.message === 'string' ? d.message : '',
      })
    }
    xhr.send(file)
  })
}
