import { defineConfig } from 'vitest/config';

// Tests run against TypeScript sources through the "@annkit/source" export condition: no build needed.
const conditions = ['@annkit/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@annkit/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'datasets/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'browser/test/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // globalThis.gc for the memory tests (packages/annkit/test/memory.test.ts): they collect between cycles.
    execArgv: ['--expose-gc'],
    reporters: ['default'],
  },
});
