import type { LongTaskOptions, VectorStorage } from '@annkit/core';
import type { CoarseQuantizer } from './coarse.js';

/** How the lists store vectors: raw floats, scalar-quantized or product-quantized codes. */
export type IvfCodecType = 'flat' | 'sq8' | 'sq4' | 'fp16' | 'pq';

/** Entries scored per scan() call at most. */
export const SCAN_BLOCK = 1024;
/** Rows assigned and appended per block at most. */
export const APPEND_BLOCK = 256;
/** Bytes of float rows one append block may hold: very wide rows get fewer rows per block. */
const APPEND_BLOCK_BYTES = 1 << 20;

/**
 * Rows per append block for rows of `stride` floats: APPEND_BLOCK, or fewer when that would exceed 1 MB, so
 * the block buffers (allocated up front, also for a loaded file that never adds) stay small at any dim.
 */
export function appendBlockRows(stride: number): number {
  return Math.max(1, Math.min(APPEND_BLOCK, Math.floor(APPEND_BLOCK_BYTES / (4 * stride))));
}

/** Makes and releases the storage of one inverted list. */
export interface ListFactory<L extends VectorStorage = VectorStorage> {
  /** An empty storage for one list. */
  createList(): L;
  /** Releases one list's rows (what the lists share, such as a trained quantizer, stays). */
  freeList(list: L): void;
}

/**
 * What IVF adds to a storage: every list is a core VectorStorage (float rows, or the codes of a RowCodec
 * shared by all lists), and the list codec supplies what is IVF's own — residuals from the list centroid
 * (subtracted before encoding, added back after decoding) and a query bound per probed list. Vectors and
 * queries arrive prepared (normalised under cosine) in padded rows; `centroids` is the coarse quantizer's
 * padded table and `cOff` the offset of the entry's list centroid. Called per list, never per entry, on the
 * hot path.
 */
export interface ListCodec<L extends VectorStorage = VectorStorage> extends ListFactory<L> {
  readonly type: IvfCodecType;
  /** Whether codes encode the residual from the list centroid. */
  readonly byResidual: boolean;
  readonly isTrained: boolean;
  /** Bytes per stored vector: 4 × dim for floats, the code size otherwise. */
  readonly codeSize: number;
  /** Bytes of trained state (ranges, codebooks, precomputed tables). */
  readonly stateSize: number;
  /** Learns the encoding from packed n × dim rows (residuals when byResidual). */
  train(samples: Float32Array, opts?: LongTaskOptions): void;
  /**
   * Appends n prepared rows (row r at rows@r × stride) to their lists (row r to lists[listOf[r]], whose
   * centroid is at centroids@listOf[r] × cStride) and writes each row's position in its list to pos[r].
   * The caller has reserved room in every list first, so nothing allocates here and heap views stay valid.
   */
  appendBlock(lists: readonly L[], rows: Float32Array, stride: number, n: number, listOf: Int32Array, centroids: Float32Array, cStride: number, pos: Int32Array): void;
  /** Decodes the entry at `pos` of `list` (the stored approximation) into out@outOff. */
  read(list: L, pos: number, centroids: Float32Array, cOff: number, out: Float32Array, outOff: number): void;
  /**
   * Optional: called whenever the coarse centroids are (re)installed with a trained codec (after train()
   * and deserialize()), to precompute per-list tables.
   */
  prepareLists?(coarse: CoarseQuantizer): void;
  /** Binds the prepared query (padded row, in the kernels' heap). */
  beginQuery(q: Float32Array): void;
  /**
   * Binds one probed list: its storage, its number, its centroid and the coarse kernel value for it (squared
   * distance under l2, the dot product q·c otherwise).
   */
  beginList(list: L, listNo: number, centroids: Float32Array, cOff: number, coarseRaw: number): void;
  /** out[j] = distance from the query to entry first + j of the bound list, for j < n ≤ SCAN_BLOCK. */
  scan(first: number, n: number, out: Float32Array): void;
  /** The trained state as bytes for the file (empty when there is none). */
  saveState(): Uint8Array;
  /** Restores saveState() bytes (CORRUPT_DATA when they do not fit). */
  loadState(bytes: Uint8Array): void;
  free(): void;
}
