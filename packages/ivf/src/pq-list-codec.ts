import { HeapArray } from '@annkit/core';
import type { CodeStorage, Kernels, Metric } from '@annkit/core';
import type { PqCodec } from '@annkit/pq';
import type { CoarseQuantizer } from './coarse.js';
import { CodeListCodec } from './code-list-codec.js';
import { APPEND_BLOCK, SCAN_BLOCK } from './list-codec.js';

/** Largest precomputed per-list table (nlist × m × 2^nbits floats) built automatically. */
export const PRECOMPUTE_MAX_BYTES = 128 << 20;

/**
 * IVF-PQ: CodeListCodec over a PqCodec, plus FAISS's precomputed tables for l2 by residual:
 *   ||q − c − r||² = ||q − c||² + Σ_j (||y_j||² + 2 c_j·y_j) − 2 Σ_j q_j·y_j
 * over the chosen centroids y_j. The middle term depends only on the list and the code, so it is tabulated
 * once per list (in the kernels' heap); per query only −2 q_j·y_j is computed, instead of one ADC table per
 * probed list. A short list is then scored with two lookup passes (query terms + list terms); a long one
 * gets the summed table. Without the tables (other metrics, no residual, too many lists) scoring is the
 * codec's own.
 */
export class PqListCodec extends CodeListCodec<PqCodec> {
  /** Per-list terms ||y||² + 2 c·y (nlist × m × ksub), when l2 by residual and small enough. */
  private listTerms: HeapArray<Float32Array> | null = null;
  private termBase: Float32Array | null = null;
  private termViews: Float32Array[] = [];
  /** −2 q·y for the current query (m × ksub), the summed table of a long list, a short list's second pass. */
  private queryTerms: HeapArray<Float32Array> | null = null;
  private table: HeapArray<Float32Array> | null = null;
  private second: HeapArray<Float32Array> | null = null;
  private listNo = 0;
  private listShift = 0;
  private listTableReady = false;
  /** Codes of one appendBlock. */
  private readonly codeBuf: Uint8Array;

  constructor(codec: PqCodec, metric: Metric, byResidual: boolean, kernels: Kernels) {
    super('pq', codec, metric, byResidual, kernels);
    this.codeBuf = new Uint8Array(APPEND_BLOCK * codec.codeSize);
  }

  /** Encodes the block with one nearest-centroid kernel call per sub-quantizer, then copies each code. */
  protected override appendRows(lists: readonly CodeStorage[], src: Float32Array, stride: number, n: number, listOf: Int32Array, pos: Int32Array): void {
    const codes = this.codeBuf;
    const size = this.codec.codeSize;
    this.codec.encodeBlock(src, 0, stride, n, codes, 0);
    for (let r = 0; r < n; r++) pos[r] = lists[listOf[r]!]!.codes.append(codes, r * size);
  }

  override get stateSize(): number {
    return this.codec.stateSize + (this.listTerms === null ? 0 : this.listTerms.length * 4);
  }

  prepareLists(coarse: CoarseQuantizer): void {
    this.freeTables();
    if (!this.byResidual || this.metric !== 'l2') return;
    const { m, ksub, dsub } = this.codec;
    const size = m * ksub;
    const nlist = coarse.nlist;
    if (nlist * size * 4 > PRECOMPUTE_MAX_BYTES) return;
    const heap = this.kernels.heap;
    const terms = new HeapArray(Float32Array, heap, nlist * size);
    this.queryTerms = new HeapArray(Float32Array, heap, size);
    this.table = new HeapArray(Float32Array, heap, size);
    this.second = new HeapArray(Float32Array, heap, SCAN_BLOCK);
    // Views are read after the allocations above, which may have replaced the kernels' memory.
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

  override beginQuery(q: Float32Array): void {
    if (this.listTerms === null) {
      super.beginQuery(q);
      return;
    }
    this.query = q;
    // −2 q_j·y_j, once per query.
    const qt = this.queryTerms!.view;
    this.codec.buildTable(q, 0, 'ip', qt);
    for (let t = 0; t < qt.length; t++) qt[t] = -2 * qt[t]!;
  }

  override beginList(list: CodeStorage, listNo: number, centroids: Float32Array, cOff: number, coarseRaw: number): void {
    if (this.listTerms === null) {
      super.beginList(list, listNo, centroids, cOff, coarseRaw);
      return;
    }
    this.bound = list;
    this.listNo = listNo;
    this.listTableReady = false;
    this.listShift = coarseRaw;
  }

  override scan(first: number, n: number, out: Float32Array): void {
    if (this.listTerms === null) {
      super.scan(first, n, out);
      return;
    }
    const codes = this.bound!.data;
    const off = first * this.codec.codeSize;
    const shift = this.listShift;
    // Summing the two tables costs m·ksub adds; two lookup passes cost 2·m per entry: pick the cheaper.
    if (this.listTableReady || 2 * n >= this.codec.ksub) {
      const table = this.table!.view;
      if (!this.listTableReady) {
        const terms = this.termsOf(this.listNo);
        const qt = this.queryTerms!.view;
        for (let t = 0; t < qt.length; t++) table[t] = terms[t]! + qt[t]!;
        this.listTableReady = true;
      }
      this.codec.scanBlock(table, codes, off, n, out);
      for (let j = 0; j < n; j++) out[j] = out[j]! + shift;
      return;
    }
    const tmp = this.second!.view;
    this.codec.scanBlock(this.queryTerms!.view, codes, off, n, out);
    this.codec.scanBlock(this.termsOf(this.listNo), codes, off, n, tmp);
    for (let j = 0; j < n; j++) out[j] = out[j]! + tmp[j]! + shift;
  }

  private freeTables(): void {
    this.listTerms?.free();
    this.queryTerms?.free();
    this.table?.free();
    this.second?.free();
    this.listTerms = this.queryTerms = this.table = this.second = null;
    this.termBase = null;
    this.termViews = [];
  }

  override free(): void {
    this.freeTables();
    super.free();
  }
}
