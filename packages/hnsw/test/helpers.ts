import { FlatIndex } from '@annkit/flat';
import { recallAtK } from '@annkit/datasets';
import type { Dataset } from '@annkit/datasets';
import type { HnswIndex, HnswSearchOptions } from '@annkit/hnsw';

export function rangeIds(n: number, from = 0): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => from + i);
}

export function queryRow(data: Dataset, i: number): Float32Array {
  return data.queries.subarray(i * data.dim, (i + 1) * data.dim);
}

/** Tie-tolerant recall@k against the dataset's exact ground truth (ids are base positions). */
export function recallOf(index: HnswIndex, data: Dataset, k: number, opts: HnswSearchOptions): number {
  const results = index.searchBatch(data.queries, k, opts).map((r) => r.ids);
  const tieTolerance = { base: data.base, queries: data.queries, dim: data.dim, metric: data.metric };
  return recallAtK(results, data.groundTruth, data.gtK, k, { tieTolerance });
}

/**
 * Mean recall@k of filtered searches against the exact filtered answer of a FlatIndex (the oracle).
 * A returned id counts when it is no farther than the oracle's k-th (ties are not misses).
 */
export function filteredRecall(index: HnswIndex, oracle: FlatIndex, data: Dataset, k: number, opts: HnswSearchOptions): number {
  let sum = 0;
  for (let i = 0; i < data.nQueries; i++) {
    const q = queryRow(data, i);
    const truth = oracle.search(q, k, { filter: opts.filter });
    const got = index.search(q, k, opts);
    if (truth.ids.length === 0) {
      sum += 1;
      continue;
    }
    const kth = truth.distances[truth.distances.length - 1]!;
    let hits = 0;
    for (let j = 0; j < got.ids.length; j++) if (got.distances[j]! <= kth + 1e-5) hits++;
    sum += Math.min(1, hits / truth.ids.length);
  }
  return sum / data.nQueries;
}

/** An exact index over the same rows, with the same ids. */
export function oracleFor(data: Dataset, ids: Float64Array = rangeIds(data.nBase)): FlatIndex {
  const flat = new FlatIndex({ dim: data.dim, metric: data.metric, initialCapacity: data.nBase });
  flat.addBatch(ids, data.base);
  return flat;
}

/** Ids whose hash falls below `fraction`: a filter unrelated to where the vectors lie. */
export function hashedSubset(n: number, fraction: number, salt: number): Set<number> {
  const out = new Set<number>();
  for (let id = 0; id < n; id++) {
    const h = Math.imul(id ^ salt, 0x9e3779b1) >>> 0;
    if (h / 4294967296 < fraction) out.add(id);
  }
  return out;
}
