// Invite links: one signed token per invite, in the fragment of the room's URL.
import type { Request } from 'express'
import type { Role } from '../../shared/document/roomDoc.ts'
import type { Invite } from '../../shared/protocol/http.ts'
import type { Tokens } from '../auth/tokens.ts'
import type { InviteRecord } from '../store/Store.ts'

export function baseUrl(req: Request, publicUrl: string | undefined): string {
  const base = publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`
  return base.replace(/\/+$/, '')
}

/** `generations`: after a revocation, each token carries its role's new generation (older ones are refused). */
export async function issueInvites(
  tokens: Tokens,
  roomId: string,
  invites: InviteRecord[],
  base: string,
  generations?: Readonly<Record<Role, number>>,
): Promise<Record<Role, Invite>> {
  const out = {} as Record<Role, Invite>
  for (const inv of invites) {
    const generation = generations?.[inv.role] ?? 0
    const { token } = await tokens.issue({ room: roomId, role: inv.role, name: inv.name, ...(inv.label ? { label: inv.label } : {}), ...(generation ? { generation } : {}) })
    // In the fragment: browsers send neither it to the server nor in Referer.
    out[inv.role] = { token, url: `${base}/room/${roomId}#token=${token}` }
  }
  return out
}
