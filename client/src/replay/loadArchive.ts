// Fetches a room's archive with the room token and checks its shape; the chain is verified separately
// (verifyArchive), so a tampered file still replays, with a warning naming the first bad seq.
import { parseArchiveFile, type ArchiveFile } from '../../../shared/archive/archiveFile.ts'
import type { ObserverLabel } from '../../../shared/protocol/index.ts'
import { observerLabelOf } from '../lib/roomInfo.ts'

export type ArchiveLoad =
  | { ok: true; archive: ArchiveFile }
  | { ok: false; kind: 'http'; status: number; error: string }
  | { ok: false; kind: 'format'; message: string }

export async function loadArchive(roomId: string, token: string): Promise<ArchiveLoad> {
  let res: Response
  try {
    res = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/archive`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } })
  } catch {
    return { ok: false, kind: 'http', status: 0, error: 'network' }
  }
  const text = await res.text().catch(() => '')
  if (!res.ok) {
    let error = `http_${res.status}`
    try {
      const body = JSON.parse(text) as { error?: unknown }
      if (typeof body.error === 'string') error = body.error
    } catch {
      /* not JSON */
    }
    return { ok: false, kind: 'http', status: res.status, error }
  }
  const parsed = parseArchiveFile(text)
  return parsed.ok ? { ok: true, archive: parsed.value } : { ok: false, kind: 'format', message: parsed.error }
}

/** The observer's label as the room was created with it (the 'create' event's invites). */
export function observerLabelFrom(archive: ArchiveFile): ObserverLabel {
  const create = archive.events[0]
  const invites = create && create.type === 'create' && create.payload && typeof create.payload === 'object' ? (create.payload as { invites?: unknown }).invites : undefined
  const observer = Array.isArray(invites) ? (invites as { role?: unknown; label?: unknown }[]).find((i) => i?.role === 'observer') : undefined
  return observerLabelOf(observer?.label ?? 'other')
}
