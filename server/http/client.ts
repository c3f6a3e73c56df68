// The built client (vite build → dist/client): static files, and index.html for the app's routes.
import fs from 'node:fs'
import path from 'node:path'
import express, { Router } from 'express'
import { notFoundPage, pageLang } from './notFoundPage.ts'

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Negotiation room</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>Negotiation room</h1>
<p>The server is running, but the browser client is not built yet.</p>
<p>Run <code>npm run build</code> and reload this page.</p>
</body></html>
`

export function clientRouter(clientDir: string): Router {
  const router = Router()
  const index = path.join(clientDir, 'index.html')
  router.use(express.static(clientDir, { index: false, maxAge: '1h', fallthrough: true }))
  router.get(['/', '/lobby', '/room/*splat', '/replay/*splat'], (_req, res) => {
    // Checked per request so a build made while the server runs is picked up.
    if (!fs.existsSync(index)) {
      res.status(200).type('html').send(NOT_BUILT)
      return
    }
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(index)
  })
  // Mounted after /api (whose unknown paths answer JSON): any other page a browser asks for.
  router.get('*splat', (req, res) => {
    const lang = pageLang(req.query.lang, req.get('accept-language'))
    res.status(404).vary('Accept-Language').type('html').send(notFoundPage(lang))
  })
  return router
}
