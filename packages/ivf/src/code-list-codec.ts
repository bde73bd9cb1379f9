import { CodeStorage, HeapArray, paddedStride } from '@annkit/core';
import type { CodeScorer, Kernels, LongTaskOptions, Metric, RowCodec } from '@annkit/core';
import { appendBlockRows } from './list-codec.js';
import type { IvfCodecType, ListCodec } from './list-codec.js';

/**
 * IVF over codes (SQ, fp16, PQ): each list is a core CodeStorage of one RowCodec shared by every list, and
 * scoring goes through that codec's CodeScorer, so the quantizer's encoding and distances are the very code
 * SqIndex, PqIndex and HNSW use. What is IVF's own is the residual: codes hold v − c for the list centroid c.
 * - l2 binds the residual query q − c per probed list: ||q − (c + r)||² = ||(q − c) − r||².
 * - ip/cosine bind q once per query and shift each list by −q·c: q·(c + r) = q·c + q·r, so the scorer's
 *   −q·r (ip) or 1 − q·r (cosine) only needs the list's −q·c added.
 */
export class CodeListCodec<C extends RowCodec = RowCodec> implements ListCodec<CodeStorage> {
  readonly type: IvfCodecType;
  readonly byResidual: boolean;
  readonly codec: C;
  protected readonly dim: number;
  protected readonly metric: Metric;
  protected readonly kernels: Kernels;
  /** The per-list residual query (padded, in the kernels' heap). */
  protected readonly work: HeapArray<Float32Array>;
  /** Residuals of one appendBlock (padded rows, in the kernels' heap). */
  private readonly residuals: HeapArray<Float32Array>;
  protected readonly scorer: CodeScorer;
  protected query: Float32Array = new Float32Array(0);
  /** The list being scanned. */
  protected bound: CodeStorage | null = null;
  private shift = 0;

  constructor(type: IvfCodecType, codec: C, metric: Metric, byResidual: boolean, kernels: Kernels) {
    this.type = type;
    this.codec = codec;
    this.dim = codec.dim;
    this.metric = metric;
    this.byResidual = byResidual;
    this.kernels = kernels;
    const stride = paddedStride(codec.dim);
    this.work = new HeapArray(Float32Array, kernels.heap, stride);
    // Allocated here, never in appendBlock: the caller's heap views must stay valid there.
    this.residuals = new HeapArray(Float32Array, kernels.heap, byResidual ? appendBlockRows(stride) * stride : 0);
    this.scorer = codec.createScorer(metric);
  }

  get isTrained(): boolean {
    return this.codec.isTrained;
  }

  get codeSize(): number {
    return this.codec.codeSize;
  }

  get stateSize(): number {
    return this.codec.stateSize;
  }

  train(samples: Float32Array, opts?: LongTaskOptions): void {
    this.codec.train(samples, opts);
  }

  createList(): CodeStorage {
    return new CodeStorage(this.codec, this.metric, this.kernels, 1);
  }

  freeList(list: CodeStorage): void {
    // Only the codes: the codec is shared by every list and freed once, by free().
    list.codes.free();
  }

  appendBlock(lists: readonly CodeStorage[], rows: Float32Array, stride: number, n: number, listOf: Int32Array, centroids: Float32Array, cStride: number, pos: Int32Array): void {
    let src = rows;
    if (this.byResidual) {
      src = this.residuals.view;
      const dim = this.dim;
      for (let r = 0; r < n; r++) {
        const vo = r * stride;
        const co = listOf[r]! * cStride;
        for (let i = 0; i < dim; i++) src[vo + i] = rows[vo + i]! - centroids[co + i]!;
      }
    }
    this.appendRows(lists, src, stride, n, listOf, pos);
  }

  /** Encodes row r of src (r × stride) into lists[listOf[r]]; a codec with a batch encoder overrides. */
  protected appendRows(lists: readonly CodeStorage[], src: Float32Array, stride: number, n: number, listOf: Int32Array, pos: Int32Array): void {
    for (let r = 0; r < n; r++) pos[r] = lists[listOf[r]!]!.append(src, r * stride);
  }

  read(list: CodeStorage, pos: number, centroids: Float32Array, cOff: number, out: Float32Array, outOff: number): void {
    list.read(pos, out, outOff);
    if (this.byResidual) for (let i = 0; i < this.dim; i++) out[outOff + i] = out[outOff + i]! + centroids[cOff + i]!;
  }

  beginQuery(q: Float32Array): void {
    this.query = q;
    if (!this.byResidual || this.metric !== 'l2') this.scorer.setQuery(q);
  }

  beginList(list: CodeStorage, _listNo: number, centroids: Float32Array, cOff: number, coarseRaw: number): void {
    this.bound = list;
    this.shift = 0;
    if (!this.byResidual) return;
    if (this.metric === 'l2') {
      const w = this.work.view;
      const q = this.query;
      for (let i = 0; i < this.dim; i++) w[i] = q[i]! - centroids[cOff + i]!;
      this.scorer.setQuery(w);
    } else {
      this.shift = -coarseRaw;
    }
  }

  scan(first: number, n: number, out: Float32Array): void {
    this.scorer.block(this.bound!.data, first * this.codec.codeSize, n, out);
    const shift = this.shift;
    if (shift !== 0) for (let j = 0; j < n; j++) out[j] = out[j]! + shift;
  }

  saveState(): Uint8Array {
    return this.codec.saveState();
  }

  loadState(bytes: Uint8Array): void {
    this.codec.loadState(bytes);
  }

  free(): void {
    this.bound = null;
    this.scorer.free();
    this.work.free();
    this.residuals.free();
    this.codec.free();
  }
}
