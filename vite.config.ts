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
    // `npm start` builds on first run: its output is the server's address and key, not the bundler's timing report.
    rolldownOptions: { checks: { bundlerTimings: false } },
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
