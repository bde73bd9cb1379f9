import type { Kernels, SearchResult } from '@annkit/core';
import { recallAtK } from '@annkit/datasets';
import { FlatIndex } from '@annkit/flat';
import { HnswIndex } from '@annkit/hnsw';
import type { DemoData } from './load.js';

export const K = 10;

export interface Built {
  flat: FlatIndex;
  hnsw: HnswIndex;
  flatBuildMs: number;
  hnswBuildMs: number;
  /** Exact results of every query (the ground truth), and how long the exact scan took per query. */
  truth: SearchResult[];
  flatMsPerQuery: number;
  hnswBytes: number;
}

export interface Measured {
  efSearch: number;
  results: SearchResult[];
  msPerQuery: number;
  recall: number;
}

/** Ids are row positions, so results feed recallAtK directly. */
function ids(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => i);
}

export function buildBoth(data: DemoData, kernels: Kernels): Built {
  const t0 = performance.now();
  const flat = new FlatIndex({ dim: data.dim, metric: data.metric, kernels, initialCapacity: data.nBase });
  flat.addBatch(ids(data.nBase), data.base);
  const t1 = performance.now();
  const hnsw = new HnswIndex({ dim: data.dim, metric: data.metric, kernels, m: 16, efConstruction: 100, initialCapacity: data.nBase });
  hnsw.addBatch(ids(data.nBase), data.base);
  const t2 = performance.now();
  const truth: SearchResult[] = [];
  for (let q = 0; q < data.nQueries; q++) truth.push(flat.search(data.queries.subarray(q * data.dim, (q + 1) * data.dim), K));
  const t3 = performance.now();
  return { flat, hnsw, flatBuildMs: t1 - t0, hnswBuildMs: t2 - t1, truth, flatMsPerQuery: (t3 - t2) / data.nQueries, hnswBytes: hnsw.serialize().length };
}

/** Queries one at a time (as an application would), then tie-tolerant recall@10 against the exact scan. */
export function measureHnsw(data: DemoData, built: Built, efSearch: number): Measured {
  const results: SearchResult[] = [];
  const t0 = performance.now();
  for (let q = 0; q < data.nQueries; q++) results.push(built.hnsw.search(data.queries.subarray(q * data.dim, (q + 1) * data.dim), K, { efSearch }));
  const msPerQuery = (performance.now() - t0) / data.nQueries;
  const gt = new Int32Array(data.nQueries * K);
  built.truth.forEach((r, q) => gt.set(Int32Array.from(r.ids), q * K));
  const recall = recallAtK(
    results.map((r) => r.ids),
    gt,
    K,
    K,
    { tieTolerance: { base: data.base, queries: data.queries, dim: data.dim, metric: data.metric } },
  );
  return { efSearch, results, msPerQuery, recall };
}
