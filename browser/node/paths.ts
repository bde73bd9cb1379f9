import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** browser/ (this package's folder), whatever the working directory. */
export const BROWSER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const REPO_DIR = resolve(BROWSER_DIR, '..');
/** Built pages land in the repo's (git-ignored) .cache. */
export const PAGES_OUT_DIR = join(REPO_DIR, '.cache', 'browser-pages');
