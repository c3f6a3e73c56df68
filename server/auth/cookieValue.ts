// One cookie's value from a Cookie header: the session cookie and the OIDC pending cookie are the only two read,
// so a parser dependency would buy nothing.

/** The value of `name` in a Cookie header, or undefined when absent or empty. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined
  }
  return undefined
}
