// Runs only the browser test (`npx vitest run --config browser/vitest.config.ts` from the repo root);
// the root config runs it with everything else once its include lists browser/test.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import root from '../vitest.config.js';

export default defineConfig({
  ...root,
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { ...root.test, include: ['browser/test/**/*.test.ts'] },
});
