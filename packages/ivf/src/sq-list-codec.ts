import { HeapArray, corrupt, paddedStride } from '@annkit/core';
import type { Kernels, LongTaskOptions, Metric } from '@annkit/core';
import { SqCodec } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import type { ListCodec } from './list-codec.js';
import type { RowArray } from './inverted-lists.js';

/**
 * IVF-SQ: lists hold scalar-quantized codes of the residual from the list centroid (or of the vector).
 * l2 scores the residual query q − c against the codes; ip/cosine use q·(c + r) = q·c + q·r, so the
 * query is used as it is and the coarse dot product is added per list.
 */
export class SqListCodec implements ListCodec {
  readonly type: SqType;
  readonly metric: Metric;
  readonly rowLen: number;
  readonly rowCtor = Uint8Array;
  readonly byResidual: boolean;
  readonly codec: SqCodec;
  private readonly dim: number;
  /** Residual row for encoding and the per-list residual query (padded, in the kernels' heap). */
  private readonly work: HeapArray<Float32Array>;
  private query: Float32Array = new Float32Array(0);
  private listShift = 0;

  constructor(dim: number, metric: Metric, type: SqType, byResidual: boolean, kernels: Kernels, codec?: SqCodec) {
    this.dim = dim;
    this.metric = metric;
    this.type = type;
    this.byResidual = byResidual;
    this.codec = codec ?? new SqCodec({ dim, type, kernels });
    this.rowLen = this.codec.codeSize;
    this.work = new HeapArray(Float32Array, kernels.heap, paddedStride(dim));
  }

  get isTrained(): boolean {
    return this.codec.isTrained;
  }

  get stateBytes(): number {
    return this.type === 'fp16' ? 0 : 8 * this.dim;
  }

  exportState(): Uint8Array {
    if (this.type === 'fp16') return new Uint8Array(0);
    const { scale, offset } = this.codec.exportState();
    const out = new Float32Array(2 * this.dim);
    out.set(scale, 0);
    out.set(offset, this.dim);
    return new Uint8Array(out.buffer);
  }

  /** Restores a trained SQ list codec from exportState() bytes (CORRUPT_DATA when they do not fit). */
  static fromState(dim: number, metric: Metric, type: SqType, byResidual: boolean, kernels: Kernels, state: Float32Array): SqListCodec {
    if (type === 'fp16') return new SqListCodec(dim, metric, type, byResidual, kernels);
    if (state.length !== 2 * dim) throw corrupt(`scalar quantizer state holds ${state.length} values, expected ${2 * dim}`);
    const codec = SqCodec.fromState({ dim, type, scale: state.subarray(0, dim), offset: state.subarray(dim) }, kernels);
    return new SqListCodec(dim, metric, type, byResidual, kernels, codec);
  }

  train(samples: Float32Array, opts?: LongTaskOptions): void {
    this.codec.train(samples, opts);
  }

  encode(v: Float32Array, vOff: number, centroids: Float32Array, cOff: number, rows: RowArray, rowOff: number): void {
    if (!this.byResidual) {
      this.codec.encodeRow(v, vOff, rows as Uint8Array, rowOff);
      return;
    }
    const r = this.work.view;
    for (let i = 0; i < this.dim; i++) r[i] = v[vOff + i]! - centroids[cOff + i]!;
    this.codec.encodeRow(r, 0, rows as Uint8Array, rowOff);
  }

  decode(rows: RowArray, rowOff: number, centroids: Float32Array, cOff: number, out: Float32Array, outOff: number): void {
    this.codec.decodeRow(rows as Uint8Array, rowOff, out, outOff);
    if (this.byResidual) for (let i = 0; i < this.dim; i++) out[outOff + i] = out[outOff + i]! + centroids[cOff + i]!;
  }

  beginQuery(q: Float32Array): void {
    this.query = q;
  }

  beginList(_list: number, centroids: Float32Array, cOff: number, coarseRaw: number): void {
    this.listShift = 0;
    if (!this.byResidual) return;
    if (this.metric === 'l2') {
      const w = this.work.view;
      const q = this.query;
      for (let i = 0; i < this.dim; i++) w[i] = q[i]! - centroids[cOff + i]!;
    } else {
      this.listShift = -coarseRaw;
    }
  }

  scan(rows: RowArray, first: number, n: number, out: Float32Array): void {
    const q = this.byResidual && this.metric === 'l2' ? this.work.view : this.query;
    this.codec.distanceMany(this.metric, q, 0, rows as Uint8Array, first * this.rowLen, n, out);
    const shift = this.listShift;
    if (shift !== 0) for (let j = 0; j < n; j++) out[j] = out[j]! + shift;
  }

  free(): void {
    this.work.free();
    this.codec.free();
  }
}
