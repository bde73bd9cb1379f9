import { AnnkitError, assertDim, assertMetric, optionOr, resolveInitialCapacity } from '@annkit/core';
import type { BaseIndexOptions, Kernels, LoadOptions, Metric, SearchOptions, VectorStorage } from '@annkit/core';
import { isRerankFactor } from './flat-codes-file.js';

/**
 * Makes the rows' storage with the index's own kernels (so the index owns its memory): a Float32Storage
 * for exact search, a CodeStorage over a quantizer for compressed rows. train() calls it again and swaps
 * the trained storage in, so a failed training leaves the index as it was.
 */
export type StorageMaker<V extends VectorStorage = VectorStorage> = (dim: number, metric: Metric, kernels: Kernels, initialCapacity: number) => V;

export interface FlatCodesIndexOptions<V extends VectorStorage = VectorStorage> extends BaseIndexOptions {
  storage: StorageMaker<V>;
  /** Keep the raw float vectors as well, for exact `rerank` (costs 4 × dim bytes per vector). Default false. */
  keepVectors?: boolean;
  /** Re-rank factor used when a search passes no `rerank` (needs keepVectors). Default 0: none. */
  rerank?: number;
  /** Vectors to reserve room for up front. */
  initialCapacity?: number;
}

export interface FlatCodesSearchOptions extends SearchOptions {
  /**
   * Re-rank the best k × rerank candidates of the code scan by exact distance to the raw vectors (needs
   * keepVectors); 0 for none. Default: the index's `rerank` option.
   */
  rerank?: number;
}

export interface FlatCodesLoadOptions<V extends VectorStorage = VectorStorage> extends LoadOptions {
  /** The storage the file's rows were written by (its kind and code size are checked against the file). */
  storage: StorageMaker<V>;
}

/** Checks the options an index is built from, before it allocates anything. */
export function checkFlatCodesOptions(options: FlatCodesIndexOptions<VectorStorage>, name: string): void {
  if (options === null || typeof options !== 'object') throw new AnnkitError('INVALID_ARGUMENT', `${name} takes an options object { dim, metric, ... }.`);
  assertDim(options.dim);
  assertMetric(options.metric);
  if (typeof options.storage !== 'function') throw new AnnkitError('INVALID_ARGUMENT', `${name} needs storage: (dim, metric, kernels, capacity) => VectorStorage.`);
  checkRerank(optionOr(options.rerank, 0), options.keepVectors === true);
  resolveInitialCapacity(options.initialCapacity, options.dim);
}

/** A re-rank factor: 0 (none) or 1..1e6, and only over kept raw vectors. Returns it. */
export function checkRerank(rerank: unknown, keepVectors: boolean): number {
  if (!isRerankFactor(rerank)) throw new AnnkitError('INVALID_ARGUMENT', `rerank must be a factor ≥ 1 (or 0 for none), got ${String(rerank)}.`);
  if (rerank > 0 && !keepVectors) throw new AnnkitError('INVALID_ARGUMENT', 'rerank needs the raw vectors: create the index with keepVectors: true.');
  return rerank;
}
