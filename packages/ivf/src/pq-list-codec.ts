import { HeapArray, paddedStride } from '@annkit/core';
import type { LongTaskOptions, Metric } from '@annkit/core';
import { PqCodec } from '@annkit/pq';
import type { PqCodecOptions } from '@annkit/pq';
import type { CoarseQuantizer } from './coarse.js';
import type { ListCodec } from './list-codec.js';
import type { RowArray } from './inverted-lists.js';

/** Rows per residual chunk in encodeBlock. */
const RESIDUAL_BLOCK = 256;
/** Entries per scan() call at most (the index's block size). */
const SCAN_BLOCK = 1024;
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
  private listTerms: HeapArray<Float32Array> | null = null;
  private termBase: Float32Array | null = null;
  private termViews: Float32Array[] = [];
  /** −2 q·y for the current query (m × ksub). */
  private readonly queryTerms: HeapArray<Float32Array>;
  /** Second lookup pass of a short list (one scan block). */
  private readonly second: HeapArray<Float32Array>;
  private list = 0;
  private listTableReady = false;

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
    this.queryTerms = new HeapArray(Float32Array, codec.kernels.heap, codec.tableSize);
    this.second = new HeapArray(Float32Array, codec.kernels.heap, SCAN_BLOCK);
  }

  static create(metric: Metric, byResidual: boolean, options: PqCodecOptions): PqListCodec {
    return new PqListCodec(metric, byResidual, new PqCodec(options));
  }

  get isTrained(): boolean {
    return this.codec.isTrained;
  }

  get stateBytes(): number {
    return this.codec.m * this.codec.ksub * this.codec.dsub * 4 + (this.listTerms === null ? 0 : this.listTerms.length * 4);
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
   * (FAISS's precomputed table, in the kernels' heap); per query only −2 q_j·y_j is computed. A short list
   * is then scored with two lookup passes (query terms + list terms); a long one gets the summed table.
   */
  prepareLists(coarse: CoarseQuantizer): void {
    this.listTerms?.free();
    this.listTerms = null;
    this.termViews = [];
    if (!this.tablePerList) return;
    const { m, ksub, dsub } = this.codec;
    const size = m * ksub;
    const nlist = coarse.nlist;
    if (nlist * size * 4 > PRECOMPUTE_MAX_BYTES) return;
    const terms = new HeapArray(Float32Array, this.codec.kernels.heap, nlist * size);
    // Views are read after the allocation above, which may have replaced the kernels' memory.
    const books = this.codec.centroids;
    const norms = new Float32Array(size);
    for (let t = 0; t < size; t++) {
      let s = 0;
      for (let i = 0; i < dsub; i++) s += books[t * dsub + i]! * books[t * dsub + i]!;
      norms[t] = s;
    }
    const dots = new Float32Array(size);
    const all = terms.view;
    for (let l = 0; l < nlist; l++) {
      // Dot of the centroid's sub-vectors with every codebook entry: the ADC kernel in dot mode.
      this.codec.buildTable(coarse.centroids, l * coarse.stride, 'ip', dots);
      const base = l * size;
      for (let t = 0; t < size; t++) all[base + t] = norms[t]! + 2 * dots[t]!;
    }
    this.listTerms = terms;
  }

  /** List l's terms as a view (views are rebuilt when the kernels' memory was replaced). */
  private termsOf(list: number): Float32Array {
    const all = this.listTerms!.view;
    if (all !== this.termBase) {
      this.termBase = all;
      const size = this.codec.tableSize;
      const n = all.length / size;
      this.termViews = [];
      for (let l = 0; l < n; l++) this.termViews.push(all.subarray(l * size, (l + 1) * size));
    }
    return this.termViews[list]!;
  }

  beginQuery(q: Float32Array): void {
    this.query = q;
    if (this.listTerms !== null) {
      // −2 q_j·y_j, once per query.
      const qt = this.queryTerms.view;
      this.codec.buildTable(q, 0, 'ip', qt);
      for (let t = 0; t < qt.length; t++) qt[t] = -2 * qt[t]!;
      return;
    }
    if (!this.tablePerList) this.codec.buildTable(q, 0, this.metric, this.table.view);
  }

  beginList(list: number, centroids: Float32Array, cOff: number, coarseRaw: number): void {
    if (this.listTerms !== null) {
      this.list = list;
      this.listTableReady = false;
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
    const codes = rows as Uint8Array;
    const off = first * this.rowLen;
    if (this.listTerms !== null) {
      this.scanPrecomputed(codes, off, n, out);
      return;
    }
    this.codec.scanBlock(this.table.view, codes, off, n, out);
    if (this.metric === 'l2') return;
    const base = (this.metric === 'cosine' ? 1 : 0) + this.listShift;
    for (let j = 0; j < n; j++) out[j] = base - out[j]!;
  }

  private scanPrecomputed(codes: Uint8Array, off: number, n: number, out: Float32Array): void {
    const shift = this.listShift;
    // Summing the two tables costs m·ksub adds; two lookup passes cost 2·m per entry: pick the cheaper.
    if (this.listTableReady || 2 * n >= this.codec.ksub) {
      if (!this.listTableReady) {
        const table = this.table.view;
        const terms = this.termsOf(this.list);
        const qt = this.queryTerms.view;
        for (let t = 0; t < qt.length; t++) table[t] = terms[t]! + qt[t]!;
        this.listTableReady = true;
      }
      this.codec.scanBlock(this.table.view, codes, off, n, out);
      for (let j = 0; j < n; j++) out[j] = out[j]! + shift;
      return;
    }
    const tmp = this.second.view;
    this.codec.scanBlock(this.queryTerms.view, codes, off, n, out);
    this.codec.scanBlock(this.termsOf(this.list), codes, off, n, tmp);
    for (let j = 0; j < n; j++) out[j] = out[j]! + tmp[j]! + shift;
  }

  free(): void {
    this.listTerms?.free();
    this.queryTerms.free();
    this.second.free();
    this.work.free();
    this.table.free();
    this.residuals.free();
    this.codec.free();
  }
}
