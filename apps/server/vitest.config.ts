import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Node tests resolve through ssr.resolve: read workspace dependencies from their source.
  ssr: { resolve: { conditions: ['@sky/source', 'module', 'node', 'development|production'] } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 60_000 },
})
