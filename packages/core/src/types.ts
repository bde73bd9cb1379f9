import { AnnkitError } from './errors.js';
import type { Kernels, KernelBackend } from './kernels.js';
import type { Metric } from './metric.js';
import type { LongTaskOptions } from './progress.js';

/** Closest first; length = min(k, live matches); never padded. */
export interface SearchResult {
  ids: Float64Array;
  distances: Float32Array;
}

/** A set of ids to search within (any `Set<number>` works). */
export type AllowList = ReadonlySet<number>;

/** Restricts results to ids the predicate accepts (or the set contains). */
export type SearchFilter = ((id: number) => boolean) | AllowList;

export interface SearchOptions {
  /**
   * Only ids it accepts are returned. A predicate runs during the scan: it may read its index (has(),
   * getVector(), size, ids()), but a call that changes the index or searches it again throws INVALID_STATE.
   */
  filter?: SearchFilter;
}

export interface VectorIndex<S extends SearchOptions = SearchOptions> {
  readonly kind: string;
  readonly dim: number;
  readonly metric: Metric;
  readonly size: number;
  /** The kernels in use: 'wasm-simd128' by default wherever the runtime supports it, else 'js'. */
  readonly backend: KernelBackend;
  /** Adds one vector; a present id is DUPLICATE_ID (use upsert to replace). */
  add(id: number, vector: VectorInput): void;
  /** Adds n rows of a row-major n × dim batch, validated whole before any write. */
  addBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void;
  /** Inserts or replaces in place, without a rebuild. */
  upsert(id: number, vector: VectorInput): void;
  /** Upserts n rows of a row-major n × dim batch, validated whole before any write. */
  upsertBatch(ids: ArrayLike<number>, vectors: Float32Array, opts?: LongTaskOptions): void;
  /** Removes an id; returns false when it was absent. */
  remove(id: number): boolean;
  /** Removes every id present (validated whole first); returns how many were removed. */
  removeBatch(ids: ArrayLike<number>): number;
  /** The stored ids, in no particular order (do not mutate the index while iterating). */
  ids(): IterableIterator<number>;
  has(id: number): boolean;
  /**
   * The stored vector of `id` (UNKNOWN_ID when absent): normalised under cosine, and the decoded
   * approximation for quantized indexes.
   */
  getVector(id: number): Float32Array;
  search(query: VectorInput, k: number, opts?: S): SearchResult;
  /** Searches n queries given as one row-major n × dim array. */
  searchBatch(queries: Float32Array, k: number, opts?: S): SearchResult[];
  serialize(opts?: LongTaskOptions): Uint8Array;
  /** Gives back the memory the index holds (also done by the garbage collector); freeing twice is harmless. */
  free(): void;
  [Symbol.dispose](): void;
}

export interface TrainableIndex<S extends SearchOptions = SearchOptions> extends VectorIndex<S> {
  readonly isTrained: boolean;
  train(samples: Float32Array, opts?: LongTaskOptions): void;
}

/** A single vector: a Float32Array, or a plain number array (copied once). */
export type VectorInput = Float32Array | readonly number[];

/** Serialised index bytes as users hold them: Uint8Array (Node's Buffer is one) or ArrayBuffer. */
export type BytesInput = Uint8Array | ArrayBuffer;

/** Which kernels to use: 'auto' (WASM SIMD where supported, else TypeScript), 'js', 'wasm', or kernels already loaded. */
export type KernelChoice = 'auto' | 'js' | 'wasm';

/** Options every index constructor accepts. */
export interface BaseIndexOptions {
  dim: number;
  metric: Metric;
  seed?: number;
  /** Default 'auto': WASM SIMD wherever the runtime supports it (ANNKIT_KERNELS=js|wasm overrides), else TypeScript. */
  kernels?: Kernels | KernelChoice;
}

/** Options every deserialize()/load() accepts. */
export interface LoadOptions {
  kernels?: Kernels | KernelChoice;
}

/** Turns a user filter into a predicate (null = accept all). */
export function filterPredicate(filter: SearchFilter | undefined): ((id: number) => boolean) | null {
  if (filter === undefined) return null;
  if (typeof filter === 'function') return filter;
  if (filter !== null && typeof filter === 'object' && typeof (filter as AllowList).has === 'function') {
    return (id: number) => filter.has(id);
  }
  throw new AnnkitError('INVALID_ARGUMENT', `filter must be a predicate (id) => boolean or a Set of ids.`);
}

export function emptyResult(): SearchResult {
  return { ids: new Float64Array(0), distances: new Float32Array(0) };
}
