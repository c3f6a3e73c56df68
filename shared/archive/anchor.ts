// The anchor at the end of every export: the server's Ed25519 signature (the agreement key) over where the
// log ended when it was exported. The hash chain alone cannot tell a log cut short, or rewritten and
// re-chained, from the real one; the signed last seq and last hash can. Isomorphic (WebCrypto verify).
import { canonicalJson } from '../document/canonicalJson.ts'
import { base64urlToBytes, importPublicKey, type PublicKeyInput } from '../agreement/publicKey.ts'

/** What the server signs: the room, the last event of the export, and when it was exported. */
export interface AnchorFields {
  roomId: string
  lastSeq: number
  /** Hash of the event at lastSeq. */
  lastHash: string
  /** ISO 8601 instant, the archive's own exportedAt. */
  exportedAt: string
}

export interface ArchiveAnchor extends AnchorFields {
  /** RFC 7638 thumbprint of the signing key (GET /api/public-key's kid). */
  kid: string
  /** base64url Ed25519 signature over anchorSigningText(fields). */
  signature: string
}

/** Signed with the fields, so an anchor signature can never pass for an agreement's (or anything else's). */
export const ANCHOR_PURPOSE = 'negotiation-room-archive-anchor'

/** The exact text that is signed: canonical JSON of {purpose, roomId, lastSeq, lastHash, exportedAt}. */
export function anchorSigningText(f: AnchorFields): string {
  return canonicalJson({ purpose: ANCHOR_PURPOSE, roomId: f.roomId, lastSeq: f.lastSeq, lastHash: f.lastHash, exportedAt: f.exportedAt })
}

export type AnchorSignatureCheck = { ok: true; kid: string } | { ok: false; reason: string }

/** Checks the anchor's signature with the given key; never throws. */
export async function verifyAnchorSignature(anchor: ArchiveAnchor, key: PublicKeyInput): Promise<AnchorSignatureCheck> {
  let imported: Awaited<ReturnType<typeof importPublicKey>>
  try {
    imported = await importPublicKey(key)
  } catch (err) {
    return { ok: false, reason: `the key cannot be used: ${(err as Error).message}` }
  }
  if (anchor.kid !== imported.kid) return { ok: false, reason: `it names key ${anchor.kid}, not the key used (${imported.kid})` }
  const bytes = base64urlToBytes(anchor.signature)
  if (!bytes || bytes.length !== 64) return { ok: false, reason: 'the signature is not a base64url Ed25519 signature (64 bytes)' }
  const ok = await globalThis.crypto.subtle.verify('Ed25519', imported.key, bytes, new TextEncoder().encode(anchorSigningText(anchor)))
  return ok ? { ok: true, kid: imported.kid } : { ok: false, reason: 'the signature does not match its fields' }
}
