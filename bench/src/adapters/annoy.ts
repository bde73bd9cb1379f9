import { AnnoyIndex } from '@annkit/annoy';
import type { BenchAdapter, BuiltIndex } from './types.js';

export interface AnnoyBenchParams {
  nTrees?: number;
  /** Leaf size (default: AnnoyIndex's, the padded dimension). */
  bucketSize?: number;
  seed?: number;
  /** searchK grid (default: a doubling sweep from nTrees × 10). */
  searchK?: number | number[];
  /** Base size, to end the default sweep at half of it. */
  nBase?: number;
}

/**
 * The searchK sweep: nTrees × k (the default budget for k = 10), then doublings from 250 while they stay
 * below half the base (beyond that an exact scan is as cheap), at most 64k.
 */
export function defaultSearchKs(nTrees: number, nBase = Infinity): number[] {
  const out = new Set<number>([nTrees * 10]);
  for (let s = 250; s <= Math.min(64_000, nBase / 2); s *= 2) out.add(s);
  return [...out].sort((a, b) => a - b);
}

/** annkit's Annoy-style forest: build once over the base (explicit build()), sweep searchK. */
export function annoyAdapter(params: AnnoyBenchParams = {}): BenchAdapter {
  const nTrees = params.nTrees ?? 10;
  const grid = params.searchK === undefined ? defaultSearchKs(nTrees, params.nBase) : Array.isArray(params.searchK) ? params.searchK : [params.searchK];
  return {
    library: 'annkit-annoy',
    label: `Annoy${nTrees}${params.bucketSize !== undefined ? `,bucket${params.bucketSize}` : ''}`,
    searchGrid: grid.map((searchK) => ({ searchK })),
    metrics: ['l2', 'ip', 'cosine'],
    build({ dim, metric, base, n, kernels, onProgress }): BuiltIndex {
      const index = new AnnoyIndex({ dim, metric, kernels, nTrees, bucketSize: params.bucketSize, seed: params.seed, initialCapacity: n });
      const ids = new Float64Array(n);
      for (let i = 0; i < n; i++) ids[i] = i;
      index.addBatch(ids, base, { onProgress });
      index.build({ onProgress });
      let searchK = grid[0]!;
      return {
        setSearchParams: (p) => {
          searchK = p.searchK ?? grid[0]!;
        },
        search: (q, k) => index.search(q as Float32Array, k, { searchK }).ids,
        memoryBytes: () => index.memoryBytes,
        serializedBytes: () => index.serialize().byteLength,
      };
    },
  };
}
