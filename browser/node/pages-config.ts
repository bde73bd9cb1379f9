import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { defaultClientConditions } from 'vite';
import type { InlineConfig, Plugin } from 'vite';
import { BROWSER_DIR } from './paths.js';

/**
 * The Vite config of both pages (harness and demo). Workspace packages resolve to their TypeScript
 * sources through the "@annkit/source" export condition, so nothing has to be built first.
 */
export function pagesConfig(outDir: string): InlineConfig {
  return {
    root: BROWSER_DIR,
    base: './',
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['@annkit/source', ...defaultClientConditions] },
    plugins: [noNodeBuiltins()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      reportCompressedSize: false,
      rolldownOptions: {
        input: {
          harness: join(BROWSER_DIR, 'harness', 'index.html'),
          demo: join(BROWSER_DIR, 'demo', 'index.html'),
        },
      },
    },
  };
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * A Node built-in reached from a page means a package cannot run in browsers. Vite would swap in a stub
 * that throws at load time; fail the build instead, naming the importer.
 */
function noNodeBuiltins(): Plugin {
  return {
    name: 'annkit-no-node-builtins',
    enforce: 'pre',
    resolveId(id, importer) {
      if (BUILTINS.has(id) || BUILTINS.has(id.split('/')[0])) this.error(`${importer ?? 'a page'} imports the Node built-in "${id}": browser-facing packages must not.`);
      return null;
    },
  };
}
