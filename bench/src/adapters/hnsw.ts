import { HnswIndex } from '@annkit/hnsw';
import type { BenchAdapter, BuiltIndex } from './types.js';

export interface HnswBenchParams {
  m?: number;
  efConstruction?: number;
  /** efSearch grid (default: the same sweep as the hnswlib adapter, so curves line up). */
  efSearch?: number | number[];
  keepPrunedConnections?: number;
  seed?: number;
}

export const DEFAULT_EF_GRID = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];

/** annkit's HNSW: addBatch over the base (the build), then a sweep of efSearch. */
export function hnswAdapter(params: HnswBenchParams = {}): BenchAdapter {
  const m = params.m ?? 16;
  const efConstruction = params.efConstruction ?? 200;
  const grid = params.efSearch === undefined ? DEFAULT_EF_GRID : Array.isArray(params.efSearch) ? params.efSearch : [params.efSearch];
  const keepPruned = params.keepPrunedConnections === 1;
  return {
    library: 'annkit-hnsw',
    label: `HNSW${m},efC${efConstruction}${keepPruned ? ',keepPruned' : ''}`,
    searchGrid: grid.map((efSearch) => ({ efSearch })),
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, kernels, onProgress }): BuiltIndex {
      const index = new HnswIndex({ dim, metric, kernels, m, efConstruction, keepPrunedConnections: keepPruned, seed: params.seed, initialCapacity: n });
      const ids = new Float64Array(n);
      for (let i = 0; i < n; i++) ids[i] = i;
      index.addBatch(ids, base, { onProgress });
      let efSearch = grid[0]!;
      return {
        setSearchParams: (p) => {
          efSearch = p.efSearch ?? grid[0]!;
        },
        search: (q, k) => index.search(q as Float32Array, k, { efSearch }).ids,
        memoryBytes: () => index.memoryBytes,
        serializedBytes: () => index.serialize().byteLength,
      };
    },
  };
}
