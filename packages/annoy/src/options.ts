import { AnnkitError, assertDim, assertMetric, assertPositiveInt, paddedStride, optionOr, resolveInitialCapacity } from '@annkit/core';
import type { BaseIndexOptions, LoadOptions, SearchOptions } from '@annkit/core';

export interface AnnoyIndexOptions extends BaseIndexOptions {
  /** Number of trees (default 10). More trees: better recall at a given searchK, more memory and build time. */
  nTrees?: number;
  /**
   * Most slots a leaf holds before it is split (default: the padded dimension, at least 16, so a leaf
   * record is the size of a hyperplane record, as in Annoy).
   */
  bucketSize?: number;
  /** Seed of every random choice (default 1): same seed and operations give identical bytes. */
  seed?: number;
  /** Rows to reserve up front (the store grows as needed). */
  initialCapacity?: number;
}

export interface AnnoySearchOptions extends SearchOptions {
  /**
   * Distinct candidates to collect from the trees before ranking them exactly (default nTrees × k).
   * Larger is slower and more accurate; the index size makes the search exact.
   */
  searchK?: number;
}

export interface AnnoyLoadOptions extends LoadOptions {
  /**
   * Copy the forest out of the given bytes (default false: the trees are read in place, and copied only
   * when the index is first changed; the bytes must then stay unmodified while the index is used).
   */
  copy?: boolean;
}

export const DEFAULT_TREES = 10;
export const DEFAULT_SEED = 1;
export const MAX_TREES = 4096;
export const MAX_BUCKET = 65536;

export function defaultBucketSize(dim: number): number {
  return Math.max(16, paddedStride(dim));
}

export interface ResolvedOptions {
  dim: number;
  metric: BaseIndexOptions['metric'];
  nTrees: number;
  bucketSize: number;
  seed: number;
  initialCapacity: number;
}

/** Validates constructor options and fills in defaults. */
export function resolveOptions(options: AnnoyIndexOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', 'AnnoyIndex takes an options object { dim, metric, nTrees? }.');
  assertDim(options.dim);
  assertMetric(options.metric);
  const nTrees = optionOr(options.nTrees, DEFAULT_TREES);
  assertPositiveInt('nTrees', nTrees, MAX_TREES);
  const bucketSize = optionOr(options.bucketSize, defaultBucketSize(options.dim));
  assertPositiveInt('bucketSize', bucketSize, MAX_BUCKET);
  const seed = optionOr(options.seed, DEFAULT_SEED);
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new AnnkitError('INVALID_ARGUMENT', `seed must be an integer in 0..4294967295, got ${String(seed)}.`);
  }
  const initialCapacity = resolveInitialCapacity(options.initialCapacity, options.dim);
  return { dim: options.dim, metric: options.metric, nTrees, bucketSize, seed, initialCapacity };
}

/** searchK for one call: the given value (validated) or nTrees × k. */
export function resolveSearchK(opts: AnnoySearchOptions | undefined, nTrees: number, k: number): number {
  const searchK = opts?.searchK;
  if (searchK === undefined) return Math.min(nTrees * k, 2 ** 31 - 1);
  assertPositiveInt('searchK', searchK);
  return searchK;
}
