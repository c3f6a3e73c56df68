// Signs the anchor that ends every archive export, with the agreement key (shared/archive/anchor.ts says why).
import { anchorSigningText, type AnchorFields, type ArchiveAnchor } from '../../shared/archive/anchor.ts'
import { signText, type ServerKey } from './serverKey.ts'

export function signAnchor(key: ServerKey, fields: AnchorFields): ArchiveAnchor {
  const f: AnchorFields = { roomId: fields.roomId, lastSeq: fields.lastSeq, lastHash: fields.lastHash, exportedAt: fields.exportedAt }
  return { ...f, kid: key.kid, signature: signText(key, anchorSigningText(f)) }
}
