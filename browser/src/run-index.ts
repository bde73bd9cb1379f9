import { FlatIndex } from '@annkit/flat';
import type { Kernels, Metric, SearchOptions, SearchResult } from '@annkit/core';
import { checkResults, checkSameBytes, checkSameResults, expect, misalignedCopy, recall } from './checks.js';
import type { TestData } from './data.js';
import type { VariantReport } from './report.js';

/** The structural shape every index family shares (FlatIndex's contract), loose enough for all of them. */
export interface AnyIndex {
  readonly size: number;
  /** The kernel backend the index computes with. */
  readonly backend: string;
  /** False until a trainable index has been trained. */
  readonly isTrained?: boolean;
  train?(samples: Float32Array): void;
  addBatch(ids: ArrayLike<number>, vectors: Float32Array): void;
  remove(id: number): boolean;
  searchBatch(queries: Float32Array, k: number, opts?: SearchOptions): SearchResult[];
  serialize(): Uint8Array;
}

/** One configuration of a family: how to make, load and search it, and the recall it must reach. */
export interface IndexVariant {
  name: string;
  metrics: Metric[];
  create(dim: number, metric: Metric, kernels: Kernels): AnyIndex;
  load(bytes: Uint8Array, kernels: Kernels): AnyIndex;
  /** Per-call search parameters (efSearch, nprobe, …). */
  search: Record<string, unknown>;
  minRecall: number;
  /** Distances must equal FlatIndex's within float tolerance (exact families). */
  exactDistances?: boolean;
}

export interface RunContext {
  kernels: Kernels;
  data: TestData;
  k: number;
  /** Exact results per metric, computed once with the TS kernels (the oracle). */
  truth(metric: Metric): SearchResult[];
  rowOfId: ReadonlyMap<number, number>;
}

export function makeContext(kernels: Kernels, data: TestData, k: number, jsKernels: Kernels): RunContext {
  const cache = new Map<Metric, SearchResult[]>();
  const rowOfId = new Map<number, number>();
  data.ids.forEach((id, row) => rowOfId.set(id, row));
  return {
    kernels,
    data,
    k,
    rowOfId,
    truth(metric) {
      let t = cache.get(metric);
      if (!t) {
        const oracle = new FlatIndex({ dim: data.dim, metric, kernels: jsKernels });
        oracle.addBatch(data.ids, data.base);
        t = oracle.searchBatch(data.queries, k);
        cache.set(metric, t);
      }
      return t;
    },
  };
}

/**
 * Builds, searches (well-formed results, recall against FlatIndex, filters, removals) and round-trips
 * one variant through bytes: a misaligned copy and a Blob must load to an index with identical results
 * that re-serialises to identical bytes.
 */
export async function runIndexVariant(ctx: RunContext, family: string, v: IndexVariant, metric: Metric): Promise<VariantReport> {
  const { data, k, kernels } = ctx;
  const what = `${family} [${v.name}, ${metric}, ${kernels.backend}]`;
  const t0 = performance.now();
  const index = v.create(data.dim, metric, kernels);
  if (index.isTrained === false) index.train!(data.base);
  index.addBatch(data.ids, data.base);
  const buildMs = performance.now() - t0;
  expect(index.size === data.n, () => `${what}: size ${index.size} after adding ${data.n} vectors`);
  expect(index.backend === kernels.backend, () => `${what}: index reports kernels '${index.backend}', was given '${kernels.backend}'`);

  const live = new Set<number>(data.ids);
  const t1 = performance.now();
  const results = index.searchBatch(data.queries, k, v.search);
  const searchMs = performance.now() - t1;
  checkResults(`${what} search`, results, k, live);
  const truth = ctx.truth(metric);
  const r = recall(results, truth, k, ctx.rowOfId, data.base, data.queries, data.dim, metric);
  expect(r >= v.minRecall, () => `${what}: recall@${k} ${r.toFixed(4)} is below the floor ${v.minRecall}`);
  if (v.exactDistances) checkCloseDistances(what, results, truth);

  const allow = new Set<number>();
  for (const id of data.ids) if (id % 3 === 0) allow.add(id);
  checkResults(`${what} filtered search`, index.searchBatch(data.queries, k, { ...v.search, filter: allow }), k, live, (id) => allow.has(id));

  // Remove every tenth row: removed ids must never come back, before or after the round trip.
  for (let row = 0; row < data.n; row += 10) {
    const id = data.ids[row];
    expect(index.remove(id), () => `${what}: remove(${id}) returned false for a present id`);
    live.delete(id);
  }
  expect(index.size === live.size, () => `${what}: size ${index.size} after removals, expected ${live.size}`);
  const afterRemoval = index.searchBatch(data.queries, k, v.search);
  checkResults(`${what} search after removals`, afterRemoval, k, live);

  const bytes = index.serialize();
  const loaded = v.load(misalignedCopy(bytes), kernels);
  expect(loaded.size === index.size, () => `${what}: loaded size ${loaded.size}, expected ${index.size}`);
  checkSameResults(`${what} round trip`, afterRemoval, loaded.searchBatch(data.queries, k, v.search));
  checkSameBytes(`${what} re-serialised`, bytes, loaded.serialize());
  const fromBlob = new Uint8Array(await new Blob([bytes as Uint8Array<ArrayBuffer>]).arrayBuffer());
  checkSameResults(`${what} round trip through a Blob`, afterRemoval, v.load(fromBlob, kernels).searchBatch(data.queries, k, v.search));

  return { variant: v.name, metric, recall: r, bytes: bytes.length, buildMs, searchMs };
}

/** Exact families: each distance equals the oracle's at the same rank (TS vs WASM summation order aside). */
function checkCloseDistances(what: string, results: SearchResult[], truth: SearchResult[]): void {
  results.forEach((res, q) => {
    for (let i = 0; i < res.distances.length; i++) {
      const a = res.distances[i];
      const b = truth[q].distances[i];
      expect(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), () => `${what}: query ${q} rank ${i} distance ${a} differs from the exact ${b}`);
    }
  });
}
