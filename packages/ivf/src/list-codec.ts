import type { LongTaskOptions, Metric } from '@annkit/core';
import type { CoarseQuantizer } from './coarse.js';
import type { RowArray, RowArrayCtor } from './inverted-lists.js';

/** How the lists store vectors: raw floats, scalar-quantized or product-quantized codes. */
export type IvfCodecType = 'flat' | 'sq8' | 'sq4' | 'fp16' | 'pq';

/**
 * What the IVF index needs from a codec, called per list (never per vector) on the hot path.
 * Vectors and queries arrive prepared (normalised under cosine) in padded rows; `centroids` is the coarse
 * quantizer's padded table and `cOff` the offset of the entry's list centroid, which residual codecs
 * subtract before encoding and add back when decoding.
 */
export interface ListCodec {
  readonly type: IvfCodecType;
  readonly metric: Metric;
  /** Elements per list entry (floats for flat, bytes for codes). */
  readonly rowLen: number;
  readonly rowCtor: RowArrayCtor;
  /** Whether codes encode the residual from the list centroid. */
  readonly byResidual: boolean;
  readonly isTrained: boolean;
  /** Learns the codec from packed n × dim rows (residuals when byResidual). */
  train(samples: Float32Array, opts?: LongTaskOptions): void;
  encode(v: Float32Array, vOff: number, centroids: Float32Array, cOff: number, rows: RowArray, rowOff: number): void;
  /**
   * Optional batch path (code codecs): encodes n prepared rows (row i at rows@i × stride, in list
   * listOf[i]) into consecutive codes of rowLen bytes. Must not allocate kernel-heap memory.
   */
  encodeBlock?(rows: Float32Array, stride: number, n: number, listOf: Int32Array, centroids: Float32Array, cStride: number, codes: Uint8Array): void;
  decode(rows: RowArray, rowOff: number, centroids: Float32Array, cOff: number, out: Float32Array, outOff: number): void;
  /** Binds the prepared query (padded row). */
  beginQuery(q: Float32Array): void;
  /**
   * Binds one probed list: its number, its centroid and the coarse kernel value for it (squared distance
   * under l2, the dot product q·c otherwise).
   */
  beginList(list: number, centroids: Float32Array, cOff: number, coarseRaw: number): void;
  /**
   * Optional: called whenever the coarse centroids are (re)installed with a trained codec (after train()
   * and deserialize()), to precompute per-list tables.
   */
  prepareLists?(coarse: CoarseQuantizer): void;
  /** out[j] = distance from the query to entry first + j of the bound list's rows, for j < n. */
  scan(rows: RowArray, first: number, n: number, out: Float32Array): void;
  /** Bytes of trained state (tables, ranges). */
  readonly stateBytes: number;
  /** The trained state as bytes for the file (empty when there is none); restored by createListCodec. */
  exportState(): Uint8Array;
  free(): void;
}
