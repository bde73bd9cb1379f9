import { AnnkitError, assertDim, assertMetric, assertPositiveInt } from '@annkit/core';
import type { BaseIndexOptions, Kernels, SearchOptions } from '@annkit/core';

export interface HnswIndexOptions extends BaseIndexOptions {
  /** Links per node on the upper levels; level 0 holds 2·m. Default 16. */
  m?: number;
  /** Beam width while building. Default 200. */
  efConstruction?: number;
  /** Top neighbour lists up with the closest candidates the diversity heuristic discarded. Default false. */
  keepPrunedConnections?: boolean;
  /**
   * Removed and replaced vectors stay in the graph as routing-only tombstones until compaction re-links their
   * neighbours and frees their slots. With autoCompact (default true) that happens as soon as tombstones
   * exceed this fraction of the live vectors (default 0.1); call compact() to do it at any time.
   */
  maxTombstoneRatio?: number;
  autoCompact?: boolean;
  /**
   * How vectors are stored: 'float32' (default) or 'sq8', one byte per dimension (a quarter of the memory;
   * call train(samples) before adding). The graph runs over either.
   */
  storage?: HnswStorageKind;
  /** With 'sq8', keep the float rows as well, for exact `rerank` and exact getVector. Default false. */
  keepVectors?: boolean;
  /** Distance kernels (default: core's TypeScript kernels; pass `await loadKernels()` from @annkit/wasm for SIMD). */
  kernels?: Kernels;
  /** Vectors to reserve room for up front (everything grows as needed). */
  initialCapacity?: number;
}

export type HnswStorageKind = 'float32' | 'sq8';

export type FilterStrategy = 'auto' | 'graph' | 'exact';

export interface HnswSearchOptions extends SearchOptions {
  /** Beam width at level 0 (raised to k when smaller). Default 64. */
  efSearch?: number;
  /**
   * How a `filter` is applied. 'graph': walk the graph, letting only allowed vectors into the results;
   * 'exact': score every allowed vector; 'auto' (default): whichever is estimated to compute fewer
   * distances (exact wins for selective filters, the graph for permissive ones).
   */
  filterStrategy?: FilterStrategy;
  /**
   * With 'sq8' storage and keepVectors: re-rank the best k × rerank candidates by their exact float distance
   * (the returned distances are then exact). 0 (default) returns code distances. Ignored for 'float32'.
   */
  rerank?: number;
}

export interface HnswLoadOptions {
  kernels?: Kernels;
}

export const DEFAULT_M = 16;
export const DEFAULT_EF_CONSTRUCTION = 200;
export const DEFAULT_EF_SEARCH = 64;
export const DEFAULT_MAX_TOMBSTONE_RATIO = 0.1;
export const MAX_M = 256;
export const MAX_EF = 1 << 20;

/** The options after validation, with defaults applied. */
export interface ResolvedOptions {
  dim: number;
  metric: BaseIndexOptions['metric'];
  seed: number;
  m: number;
  efConstruction: number;
  keepPrunedConnections: boolean;
  maxTombstoneRatio: number;
  autoCompact: boolean;
  initialCapacity: number;
  storage: HnswStorageKind;
  keepVectors: boolean;
}

export function resolveOptions(options: HnswIndexOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'HnswIndex takes an options object { dim, metric, m?, efConstruction? }.');
  assertDim(options.dim);
  assertMetric(options.metric);
  const m = options.m ?? DEFAULT_M;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 2 || m > MAX_M) throw new AnnkitError('INVALID_ARGUMENT', `m must be an integer in 2..${MAX_M}, got ${String(m)}.`);
  const efConstruction = options.efConstruction ?? DEFAULT_EF_CONSTRUCTION;
  assertPositiveInt('efConstruction', efConstruction, MAX_EF);
  const seed = options.seed ?? 0x5eed;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new AnnkitError('INVALID_ARGUMENT', `seed must be an integer, got ${String(seed)}.`);
  const ratio = options.maxTombstoneRatio ?? DEFAULT_MAX_TOMBSTONE_RATIO;
  if (!isValidRatio(ratio)) throw new AnnkitError('INVALID_ARGUMENT', `maxTombstoneRatio must be a number in (0, 1], got ${String(ratio)}.`);
  const initialCapacity = options.initialCapacity ?? 64;
  assertPositiveInt('initialCapacity', initialCapacity, 2 ** 31 - 1);
  const storage = options.storage ?? 'float32';
  if (storage !== 'float32' && storage !== 'sq8') throw new AnnkitError('INVALID_ARGUMENT', `storage must be 'float32' or 'sq8', got ${JSON.stringify(storage)}.`);
  const keepVectors = options.keepVectors === true;
  if (keepVectors && storage !== 'sq8') throw new AnnkitError('INVALID_ARGUMENT', `keepVectors applies to storage 'sq8' (float32 storage keeps the vectors already).`);
  return {
    dim: options.dim,
    metric: options.metric,
    seed,
    m,
    efConstruction,
    keepPrunedConnections: options.keepPrunedConnections === true,
    maxTombstoneRatio: ratio,
    autoCompact: options.autoCompact !== false,
    initialCapacity,
    storage,
    keepVectors,
  };
}

export function isValidRatio(ratio: unknown): ratio is number {
  return typeof ratio === 'number' && ratio > 0 && ratio <= 1;
}

export function resolveFilterStrategy(opts: HnswSearchOptions | undefined): FilterStrategy {
  const s = opts?.filterStrategy ?? 'auto';
  if (s !== 'auto' && s !== 'graph' && s !== 'exact') throw new AnnkitError('INVALID_ARGUMENT', `filterStrategy must be 'auto', 'graph' or 'exact', got ${JSON.stringify(s)}.`);
  return s;
}

/** The rerank factor of one call (0: none). */
export function resolveRerank(opts: HnswSearchOptions | undefined): number {
  const r = opts?.rerank ?? 0;
  if (typeof r !== 'number' || !(r === 0 || (r >= 1 && r <= 1e6))) throw new AnnkitError('INVALID_ARGUMENT', `rerank must be 0 (none) or a factor in 1..1e6, got ${String(r)}.`);
  return r;
}

/** efSearch of one call, validated; raised to k. */
export function resolveEf(opts: HnswSearchOptions | undefined, k: number): number {
  const ef = opts?.efSearch ?? DEFAULT_EF_SEARCH;
  assertPositiveInt('efSearch', ef, MAX_EF);
  return Math.max(ef, k);
}
