import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { ajvStandalone } from './client/vite/ajvStandalone.ts'

// The client lives in client/ and imports shared/ (terms engine, schemas, document model) directly.
export default defineConfig({
  root: 'client',
  plugins: [ajvStandalone(), svelte({ configFile: '../svelte.config.js' })],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/healthz': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
      '/yjs': { target: 'ws://localhost:3000', ws: true },
    },
  },
})
