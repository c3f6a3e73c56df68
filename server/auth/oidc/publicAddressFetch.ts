// An organisation's admin chooses the identity provider's address, and the server then fetches it (discovery,
// token, userinfo). Without a check, that admin could make the server request internal services (cloud metadata
// at 169.254.169.254, a database admin page on 10.x). Requests to the IdP therefore go only to public addresses,
// unless the operator allows private ones (OIDC_ALLOW_PRIVATE_ISSUERS, for an IdP inside the bank's network).
// The name is resolved and checked just before each request; a DNS answer that changes between the check and
// the connection (rebinding) is not caught here — a deployment that must rule that out routes egress through a
// proxy that enforces the same rule.
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import * as client from 'openid-client'

const PRIVATE = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4')
}
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6')
}

/** Whether an address is loopback, private, link-local, shared, reserved or multicast (IPv4-mapped IPv6 as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4')
  const family = isIP(address)
  if (family === 0) return true
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

export class PrivateAddressError extends Error {}

/** Refuses a URL whose host is, or resolves to, any private address. */
export async function assertPublicHost(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
  const inside = addresses.find(isPrivateAddress)
  if (inside !== undefined) throw new PrivateAddressError(`${url.host} is a private address (${inside}); set OIDC_ALLOW_PRIVATE_ISSUERS=true to allow an identity provider inside your network`)
}

/** openid-client's fetch, refusing private addresses first. */
export const publicAddressFetch: client.CustomFetch = async (url, options) => {
  await assertPublicHost(new URL(url))
  // openid-client's body types are fetch's own at run time; only @types/node's older BodyInit tells them apart.
  return fetch(url, options as RequestInit)
}
