import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFvecs } from '@annkit/datasets';
import { findSharedDatasetsDir } from '@annkit/datasets/node';
import { clusteredData } from '../src/data.js';

/** What the demo page fetches: fvecs bytes of the first rows of a dataset, and a description. */
export interface DatasetSlice {
  meta: { name: string; metric: 'l2' | 'cosine'; dim: number; nBase: number; nQueries: number; source: string };
  base: Uint8Array;
  queries: Uint8Array;
}

export const DEMO_DATASET = 'glove6b-100-angular';

/** The first `rows` rows of an fvecs file, read without loading the whole file. */
function headOfFvecs(path: string, rows: number): { bytes: Uint8Array; dim: number; n: number } {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(4);
    readSync(fd, header, 0, 4, 0);
    const dim = header.readInt32LE(0);
    const rowBytes = 4 + 4 * dim;
    const bytes = new Uint8Array(rows * rowBytes);
    const got = readSync(fd, bytes, 0, bytes.length, 0);
    const n = Math.floor(got / rowBytes);
    return { bytes: bytes.subarray(0, n * rowBytes), dim, n };
  } finally {
    closeSync(fd);
  }
}

/**
 * A slice of GloVe (cosine) from the shared datasets; without them, a seeded synthetic set of the same
 * shape so the demo still runs anywhere.
 */
export function datasetSlice(maxBase: number, maxQueries: number): DatasetSlice {
  const dir = findSharedDatasetsDir();
  const folder = dir === undefined ? undefined : join(dir, DEMO_DATASET);
  if (folder !== undefined && existsSync(join(folder, 'base.fvecs')) && existsSync(join(folder, 'query.fvecs'))) {
    const base = headOfFvecs(join(folder, 'base.fvecs'), maxBase);
    const queries = headOfFvecs(join(folder, 'query.fvecs'), maxQueries);
    const meta = JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8')) as { name?: string };
    return {
      meta: { name: meta.name ?? DEMO_DATASET, metric: 'cosine', dim: base.dim, nBase: base.n, nQueries: queries.n, source: `first rows of ${DEMO_DATASET} (shared datasets)` },
      base: base.bytes,
      queries: queries.bytes,
    };
  }
  const dim = 100;
  const data = clusteredData(maxBase, maxQueries, dim, 7);
  return {
    meta: { name: 'synthetic-clusters-100', metric: 'l2', dim, nBase: maxBase, nQueries: maxQueries, source: 'seeded gaussian mixture (no shared datasets found)' },
    base: encodeFvecs(data.base, dim),
    queries: encodeFvecs(data.queries, dim),
  };
}
