import { svelte } from '@sveltejs/vite-plugin-svelte'
import { configDefaults, defineConfig } from 'vitest/config'

// Projects so `npm test` can run them in order and report a skipped browser suite loudly.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'cli/**/*.test.ts', 'client/src/**/*.test.ts', 'client/vite/**/*.test.ts'],
          // Tests that need a DOM run in the client project.
          exclude: [...configDefaults.exclude, '**/*.dom.test.ts'],
          environment: 'node',
          // PDF rendering and property runs take seconds on a loaded 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        // The room store and Svelte components in a DOM (happy-dom, no browser): Svelte compiles them as for
        // the browser build, and the 'browser' condition gives Svelte 5's client runtime (mount) instead of the server's.
        plugins: [svelte({ configFile: './svelte.config.js' })],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'client',
          include: ['client/src/**/*.dom.test.ts'],
          environment: 'happy-dom',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          fileParallelism: false,
        },
      },
      {
        // Authorization matrix, hostile-input fuzz, crash-without-loss and hardening (docs/RELIABILITY.md).
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // A real PostgreSQL started by test/helpers/postgres.ts (skipped loudly when not installed).
        test: {
          name: 'postgres',
          include: ['test/postgres/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Two server processes on a real PostgreSQL and a real Redis (test/helpers/postgres.ts, redis.ts).
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
