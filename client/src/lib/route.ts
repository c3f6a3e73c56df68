// The three screens of the client, from the path alone (the server serves index.html for each).

export type Route = { name: 'lobby' } | { name: 'room'; roomId: string } | { name: 'replay'; roomId: string } | { name: 'notFound' }

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/'
  if (path === '/' || path === '/lobby') return { name: 'lobby' }
  const m = /^\/room\/([A-Za-z0-9_-]{1,128})$/.exec(path)
  if (m && m[1]) return { name: 'room', roomId: m[1] }
  const r = /^\/replay\/([A-Za-z0-9_-]{1,128})$/.exec(path)
  if (r && r[1]) return { name: 'replay', roomId: r[1] }
  return { name: 'notFound' }
}
