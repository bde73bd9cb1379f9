import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared datasets folder: $ANNKIT_DATASETS if set, else the first `shared/datasets` found walking up
 * from the working directory, then from this package's own folder (so `<clone>/../shared/datasets` works
 * for a checkout next to the data, whatever the cwd). Undefined when there is none.
 */
export function findSharedDatasetsDir(): string | undefined {
  const fromEnv = process.env.ANNKIT_DATASETS;
  if (fromEnv) return resolve(fromEnv);
  for (const start of [process.cwd(), packageDir()]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'shared', 'datasets');
      if (isDir(candidate)) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** Where downloads, built datasets and recomputed ground truth live: $ANNKIT_CACHE or ~/.cache/annkit. */
export function defaultCacheDir(): string {
  const fromEnv = process.env.ANNKIT_CACHE;
  return fromEnv ? resolve(fromEnv) : join(homedir(), '.cache', 'annkit');
}

function packageDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false;
  }
}
