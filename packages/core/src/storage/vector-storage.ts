import type { Kernels } from '../kernels.js';
import type { Metric } from '../metric.js';
import type { LongTaskOptions } from '../progress.js';

/** How rows are encoded: raw floats, half floats, scalar-quantized, product-quantized or packed bits. */
export type StorageKind = 'f32' | 'fp16' | 'sq8' | 'sq4' | 'pq' | 'bits';

/**
 * Distances from one bound query to stored rows (FAISS's DistanceComputer). Every value is already the
 * metric's distance (smaller is closer); the metric's sign and bias are applied inside, never by the caller.
 * A computer is made once per index (or per search thread) and re-bound per query; binding may build tables
 * (PQ's ADC lookup), so the query is bound once and read by many calls.
 */
export interface QueryDistance {
  /** Binds a prepared query (unit length under cosine), `dim` values; the array must stay unchanged while bound. */
  setQuery(query: Float32Array): void;
  /** Binds the stored row of `slot` as the query (graph construction and repair). */
  setQuerySlot(slot: number): void;
  /** Distance from the bound query to the row at `slot`. */
  one(slot: number): number;
  /** out[i] = one(first + i) for i < n: a contiguous block, scored in one kernel call. */
  block(first: number, n: number, out: Float32Array): void;
  /** out[i] = one(slots[i]) for i < n: rows gathered by slot. */
  gather(slots: Int32Array, n: number, out: Float32Array): void;
  /** Distance between two stored rows. */
  between(a: number, b: number): number;
  /** out[i] = between(a, slots[i]) for i < n. */
  betweenMany(a: number, slots: Int32Array, n: number, out: Float32Array): void;
  /** Releases kernel-heap memory held for the query (tables, copies). */
  free(): void;
}

/**
 * A set of encoded rows in dense slots: what every structure (flat scan, HNSW graph, IVF lists) stores
 * its vectors in and scores them through. Rows arrive prepared for the metric (unit length under cosine);
 * slot s is the s-th row. Views of kernel-heap memory go stale when the heap grows: re-read after writes.
 */
export interface VectorStorage {
  readonly kind: StorageKind;
  readonly dim: number;
  readonly metric: Metric;
  readonly kernels: Kernels;
  /** Bytes per stored row (the code, or 4 × dim for floats). */
  readonly codeSize: number;
  /** Whether rows can be written (quantizers must be trained first; raw floats always can). */
  readonly isTrained: boolean;
  /** Rows in use. */
  readonly size: number;
  /** Bytes held for the rows in use plus trained state (spare capacity excluded). */
  readonly bytesUsed: number;
  /** Learns the encoding from prepared sample rows (row-major, `dim` apart). No-op for raw floats. */
  train(samples: Float32Array, opts?: LongTaskOptions): void;
  /** Makes room for `rows` rows without changing `size`. */
  reserve(rows: number): void;
  /** Appends a prepared row; returns its slot. */
  append(src: Float32Array, srcOff: number): number;
  /** Overwrites the row at `slot` (slot < size; slot === size appends). */
  write(slot: number, src: Float32Array, srcOff: number): void;
  /** Decodes the row of `slot` (the stored approximation) into out@outOff; returns out. */
  read(slot: number, out: Float32Array, outOff?: number): Float32Array;
  /** Zeroes the row of `slot` (a slot left free by a structure that keeps slots stable). */
  clear(slot: number): void;
  /** Moves the last row into `slot`; returns the slot that moved, or -1 when `slot` was the last. */
  swapRemove(slot: number): number;
  /** Drops every row from `rows` on. */
  truncate(rows: number): void;
  /** A new query-bound distance computer over these rows. */
  createDistance(): QueryDistance;
  /** The rows in use, packed (codes back to back; floats without padding) as bytes. */
  exportRows(): Uint8Array;
  /** Appends `count` packed rows from a file, validating every value first (CORRUPT_DATA). */
  importRows(bytes: Uint8Array, count: number): void;
  /** Trained state (ranges, codebooks) as bytes; empty when there is none. */
  exportState(): Uint8Array;
  /** Restores state written by exportState, validating it (CORRUPT_DATA). */
  importState(bytes: Uint8Array): void;
  /** Releases kernel-heap memory; the storage must not be used afterwards. */
  free(): void;
}

/** What creates a storage for a structure: the structure chooses when, the caller chooses the encoding. */
export type StorageFactory = (dim: number, metric: Metric, kernels: Kernels, initialCapacity: number) => VectorStorage;
