import { createRequire } from 'node:module';
import type { BenchAdapter, BuiltIndex } from './types.js';

// hnswlib-node is an optional peer (a native addon compiled at install); absent means "skip".
type HnswlibModule = typeof import('hnswlib-node');

let cached: HnswlibModule | null | undefined;
let loadError = '';

export function loadHnswlib(): HnswlibModule | null {
  if (cached === undefined) {
    try {
      cached = createRequire(import.meta.url)('hnswlib-node') as HnswlibModule;
    } catch (err) {
      cached = null;
      loadError = (err as Error).message.split('\n')[0] ?? 'unknown error';
    }
  }
  return cached;
}

export function hnswlibUnavailableReason(): string | null {
  return loadHnswlib() ? null : `SKIP: hnswlib-node is not installed (${loadError}); install the bench's optional dependencies to compare`;
}

const space = (metric: string) => (metric === 'l2' ? 'l2' : metric === 'ip' ? 'ip' : 'cosine') as 'l2' | 'ip' | 'cosine';

function toArrays(queries: Float32Array[]): number[][] {
  return queries.map((q) => Array.from(q));
}

/** hnswlib's exact search (native C++ with SIMD): the peer for FlatIndex. */
export function hnswlibBruteforceAdapter(): BenchAdapter {
  return {
    library: 'hnswlib-node',
    label: 'BruteforceSearch',
    backend: 'native',
    searchGrid: [{}],
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, onProgress }): BuiltIndex {
      const lib = loadHnswlib();
      if (!lib) throw new Error(hnswlibUnavailableReason()!);
      const index = new lib.BruteforceSearch(space(metric), dim);
      index.initIndex(n);
      const row = new Array<number>(dim);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dim; j++) row[j] = base[i * dim + j]!;
        index.addPoint(row, i);
        if (onProgress && (i % 4096 === 0 || i === n - 1)) onProgress({ phase: 'add', done: i + 1, total: n });
      }
      return {
        setSearchParams() {},
        prepareQueries: toArrays,
        search: (q, k) => index.searchKnn(q as number[], k).neighbors,
        // Its storage: per element the vector plus an 8-byte label.
        memoryBytes: () => n * (dim * 4 + 8),
      };
    },
  };
}

export interface HnswlibParams {
  m?: number;
  efConstruction?: number;
  efSearch?: number[];
  seed?: number;
}

/** Native hnswlib HNSW: the peer for @annkit/hnsw. */
export function hnswlibHnswAdapter(params: HnswlibParams = {}): BenchAdapter {
  const m = params.m ?? 16;
  const efConstruction = params.efConstruction ?? 200;
  const efs = params.efSearch ?? [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
  return {
    library: 'hnswlib-node',
    label: `HNSW${m},efC${efConstruction}`,
    backend: 'native',
    searchGrid: efs.map((efSearch) => ({ efSearch })),
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, onProgress }): BuiltIndex {
      const lib = loadHnswlib();
      if (!lib) throw new Error(hnswlibUnavailableReason()!);
      const index = new lib.HierarchicalNSW(space(metric), dim);
      index.initIndex(n, m, efConstruction, params.seed ?? 100);
      const row = new Array<number>(dim);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dim; j++) row[j] = base[i * dim + j]!;
        index.addPoint(row, i);
        if (onProgress && (i % 1024 === 0 || i === n - 1)) onProgress({ phase: 'build', done: i + 1, total: n });
      }
      // hnswlib's memory per element: level-0 block (count + 2m links + vector + label) plus upper levels,
      // which hold on average 1/(m-1) levels of (count + m links) each (mL = 1/ln m).
      const level0 = 4 + 2 * m * 4 + dim * 4 + 8;
      const upper = (4 + m * 4) / (m - 1) + 8; // + the per-element pointer to its upper-level block
      return {
        setSearchParams: (p) => index.setEf(p.efSearch ?? 10),
        prepareQueries: toArrays,
        search: (q, k) => index.searchKnn(q as number[], k).neighbors,
        memoryBytes: () => Math.round(n * (level0 + upper)),
      };
    },
  };
}
