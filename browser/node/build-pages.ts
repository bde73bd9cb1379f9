import { build } from 'vite';
import { pagesConfig } from './pages-config.js';
import { PAGES_OUT_DIR } from './paths.js';

/** Bundles the harness and demo pages into `outDir` (production build: minified, as users ship it). */
export async function buildPages(outDir = PAGES_OUT_DIR): Promise<string> {
  await build(pagesConfig(outDir));
  return outDir;
}
