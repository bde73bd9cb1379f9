import { HeapArray, paddedStride } from '@annkit/core';
import type { LongTaskOptions, Metric } from '@annkit/core';
import { PqCodec } from '@annkit/pq';
import type { PqCodecOptions } from '@annkit/pq';
import type { ListCodec } from './list-codec.js';
import type { RowArray } from './inverted-lists.js';

/** Rows per residual chunk in encodeBlock. */
const RESIDUAL_BLOCK = 256;
/** Largest precomputed per-list table (nlist × m × 2^nbits floats) built automatically. */
export const PRECOMPUTE_MAX_BYTES = 128 << 20;

/**
 * IVF-PQ: lists hold product-quantized codes of the residual from the list centroid (or of the vector).
 * l2 builds the ADC table per probed list from the residual query q − c; ip/cosine build it once per
 * query from q and add the coarse dot product q·c per list (q·(c + r) = q·c + q·r).
 */
export class PqListCodec implements ListCodec {
  readonly type = 'pq' as const;
  readonly metric: Metric;
  readonly rowLen: number;
  readonly rowCtor = Uint8Array;
  readonly byResidual: boolean;
  readonly codec: PqCodec;
  private readonly dim: number;
  private readonly work: HeapArray<Float32Array>;
  private readonly table: HeapArray<Float32Array>;
  /** Residuals of one encodeBlock chunk (padded rows). */
  private readonly residuals: HeapArray<Float32Array>;
  private readonly tablePerList: boolean;
  private query: Float32Array = new Float32Array(0);
  private listShift = 0;
  /** Per-list terms ||y||² + 2 c·y (nlist × m × ksub), when l2 by residual and small enough. */
  private listTerms: Float32Array | null = null;
  private readonly queryTerms: Float32Array;

  constructor(metric: Metric, byResidual: boolean, codec: PqCodec) {
    this.dim = codec.dim;
    this.metric = metric;
    this.byResidual = byResidual;
    this.codec = codec;
    this.rowLen = codec.codeSize;
    this.work = new HeapArray(Float32Array, codec.kernels.heap, paddedStride(codec.dim));
    this.table = new HeapArray(Float32Array, codec.kernels.heap, codec.tableSize);
    this.residuals = new HeapArray(Float32Array, codec.kernels.heap, RESIDUAL_BLOCK * paddedStride(codec.dim));
    this.tablePerList = byResidual && metric === 'l2';
    this.queryTerms = new Float32Array(codec.tableSize);
  }

  static create(metric: Metric, byResidual: boolean, options: PqCodecOptions): PqListCodec {
    return new PqListCodec(metric, byResidual, new PqCodec(options));
  }

  get isTrained(): boolean {
    return this.codec.isTrained;
  }

  get stateBytes(): number {
    return this.codec.m * this.codec.ksub * this.codec.dsub * 4 + (this.listTerms?.byteLength ?? 0);
  }

  exportState(): Uint8Array {
    const books = this.codec.exportState();
    return new Uint8Array(books.buffer, books.byteOffset, books.byteLength);
  }

  train(samples: Float32Array, opts?: LongTaskOptions): void {
    this.codec.train(samples, opts);
  }

  encode(v: Float32Array, vOff: number, centroids: Float32Array, cOff: number, rows: RowArray, rowOff: number): void {
    const codes = rows as Uint8Array;
    if (!this.byResidual) {
      this.codec.encodeRow(v, vOff, codes, rowOff);
      return;
    }
    const r = this.work.view;
    for (let i = 0; i < this.dim; i++) r[i] = v[vOff + i]! - centroids[cOff + i]!;
    this.codec.encodeRow(r, 0, codes, rowOff);
  }

  encodeBlock(rows: Float32Array, stride: number, n: number, listOf: Int32Array, centroids: Float32Array, cStride: number, codes: Uint8Array): void {
    const dim = this.dim;
    for (let b = 0; b < n; b += RESIDUAL_BLOCK) {
      const count = Math.min(RESIDUAL_BLOCK, n - b);
      let src = rows;
      let srcOff = b * stride;
      if (this.byResidual) {
        const res = this.residuals.view;
        for (let r = 0; r < count; r++) {
          const vo = (b + r) * stride;
          const co = listOf[b + r]! * cStride;
          for (let i = 0; i < dim; i++) res[r * stride + i] = rows[vo + i]! - centroids[co + i]!;
        }
        src = res;
        srcOff = 0;
      }
      this.codec.encodeBlock(src, srcOff, stride, count, codes, b * this.rowLen);
    }
  }

  decode(rows: RowArray, rowOff: number, centroids: Float32Array, cOff: number, out: Float32Array, outOff: number): void {
    this.codec.decodeRow(rows as Uint8Array, rowOff, out, outOff);
    if (this.byResidual) for (let i = 0; i < this.dim; i++) out[outOff + i] = out[outOff + i]! + centroids[cOff + i]!;
  }

  /**
   * l2 by residual: ||q − c − r||² = ||q − c||² + Σ_j (||y_j||² + 2 c_j·y_j) − 2 Σ_j q_j·y_j over the chosen
   * centroids y_j. The middle term depends only on the list and the code, so it is tabulated once per list
   * (FAISS's precomputed table); per query only −2 q_j·y_j is computed, and per list one add per entry.
   */
  prepareLists(centroids: Float32Array, nlist: number, cStride: number): void {
    this.listTerms = null;
    if (!this.tablePerList) return;
    const { m, ksub, dsub } = this.codec;
    const size = m * ksub;
    if (nlist * size * 4 > PRECOMPUTE_MAX_BYTES) return;
    const books = this.codec.centroids;
    const norms = new Float32Array(size);
    for (let t = 0; t < size; t++) {
      let s = 0;
      for (let i = 0; i < dsub; i++) s += books[t * dsub + i]! * books[t * dsub + i]!;
      norms[t] = s;
    }
    const terms = new Float32Array(nlist * size);
    const dots = new Float32Array(size);
    for (let l = 0; l < nlist; l++) {
      // dot of each centroid sub-vector with each codebook entry, through the ADC kernel (dot mode).
      this.codec.buildTable(centroids, l * cStride, 'ip', dots);
      const base = l * size;
      for (let t = 0; t < size; t++) terms[base + t] = norms[t]! + 2 * dots[t]!;
    }
    this.listTerms = terms;
  }

  beginQuery(q: Float32Array): void {
    this.query = q;
    if (this.listTerms !== null) {
      // −2 q_j·y_j, once per query.
      const qt = this.queryTerms;
      this.codec.buildTable(q, 0, 'ip', qt);
      for (let t = 0; t < qt.length; t++) qt[t] = -2 * qt[t]!;
      return;
    }
    if (!this.tablePerList) this.codec.buildTable(q, 0, this.metric, this.table.view);
  }

  beginList(list: number, centroids: Float32Array, cOff: number, coarseRaw: number): void {
    const terms = this.listTerms;
    if (terms !== null) {
      const table = this.table.view;
      const qt = this.queryTerms;
      const size = qt.length;
      const base = list * size;
      for (let t = 0; t < size; t++) table[t] = terms[base + t]! + qt[t]!;
      this.listShift = coarseRaw;
      return;
    }
    if (this.tablePerList) {
      const w = this.work.view;
      const q = this.query;
      for (let i = 0; i < this.dim; i++) w[i] = q[i]! - centroids[cOff + i]!;
      this.codec.buildTable(w, 0, 'l2', this.table.view);
      this.listShift = 0;
      return;
    }
    // dot metrics by residual: distance = -(q·c + q·r) (ip) or 1 - (q·c + q·r) (cosine).
    this.listShift = this.byResidual ? -coarseRaw : 0;
  }

  scan(rows: RowArray, first: number, n: number, out: Float32Array): void {
    this.codec.scanBlock(this.table.view, rows as Uint8Array, first * this.rowLen, n, out);
    if (this.metric === 'l2') {
      const shift = this.listShift;
      if (shift !== 0) for (let j = 0; j < n; j++) out[j] = out[j]! + shift;
      return;
    }
    const base = (this.metric === 'cosine' ? 1 : 0) + this.listShift;
    for (let j = 0; j < n; j++) out[j] = base - out[j]!;
  }

  free(): void {
    this.work.free();
    this.table.free();
    this.residuals.free();
    this.codec.free();
  }
}
