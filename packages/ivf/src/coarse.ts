import { HeapArray, TopK, paddedStride, usesDot } from '@annkit/core';
import type { Kernels, LongTaskOptions, Metric } from '@annkit/core';
import { kmeans } from '@annkit/kmeans';

export interface CoarseTrainOptions extends LongTaskOptions {
  niter: number;
  seed: number;
  maxPointsPerCentroid: number;
}

/**
 * The coarse quantizer: nlist centroids and the rules that use them.
 * - l2:     k-means, vectors assigned and lists probed by squared distance.
 * - cosine: spherical k-means on the normalised vectors, assigned and probed by largest dot product.
 * - ip:     k-means (l2) so lists are tight, vectors assigned by squared distance, lists probed by largest
 *           dot product with the query (the inner-product ranking the search is after).
 */
export class CoarseQuantizer {
  readonly dim: number;
  readonly stride: number;
  readonly metric: Metric;
  readonly kernels: Kernels;
  private centroidBuf: HeapArray<Float32Array>;
  private count = 0;
  /** Probe scores (smaller is better) and raw kernel values for the current query, one per list. */
  private scoreBuf: HeapArray<Float32Array>;
  private readonly picker = new TopK(16);

  constructor(dim: number, metric: Metric, kernels: Kernels) {
    this.dim = dim;
    this.stride = paddedStride(dim);
    this.metric = metric;
    this.kernels = kernels;
    this.centroidBuf = new HeapArray(Float32Array, kernels.heap, 0);
    this.scoreBuf = new HeapArray(Float32Array, kernels.heap, 0);
  }

  get nlist(): number {
    return this.count;
  }

  /** Centroid rows (padded stride). Re-read after allocations. */
  get centroids(): Float32Array {
    return this.centroidBuf.view;
  }

  /** Installs centroids given packed (nlist × dim). */
  setCentroids(packed: Float32Array, nlist: number): void {
    const stride = this.stride;
    this.centroidBuf.free();
    this.centroidBuf = new HeapArray(Float32Array, this.kernels.heap, nlist * stride);
    this.scoreBuf.free();
    this.scoreBuf = new HeapArray(Float32Array, this.kernels.heap, Math.max(1, nlist));
    const c = this.centroidBuf.view;
    for (let l = 0; l < nlist; l++) for (let i = 0; i < this.dim; i++) c[l * stride + i] = packed[l * this.dim + i]!;
    this.count = nlist;
  }

  /** Trains on prepared (normalised under cosine) packed samples; returns the k-means warnings. */
  train(samples: Float32Array, nlist: number, opts: CoarseTrainOptions): { centroids: Float32Array; nlist: number; warnings: string[] } {
    const result = kmeans(samples, {
      k: nlist,
      dim: this.dim,
      niter: opts.niter,
      seed: opts.seed,
      maxPointsPerCentroid: opts.maxPointsPerCentroid,
      spherical: this.metric === 'cosine',
      kernels: this.kernels,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
    return { centroids: result.centroids, nlist: result.k, warnings: result.warnings };
  }

  /** Kernel metric used to assign stored vectors to lists. */
  private get assignMetric(): Metric {
    return this.metric === 'cosine' ? 'ip' : 'l2';
  }

  /** The list of each of n prepared rows (rows@rowsOff, `stride` apart). */
  assign(rows: Float32Array, rowsOff: number, stride: number, n: number, outList: Int32Array, outDist: Float32Array): void {
    this.kernels.assignNearest(rows, rowsOff, stride, n, this.centroidBuf.view, this.stride, this.count, this.dim, this.assignMetric, outList, outDist);
  }

  /**
   * Scores every list for the prepared query and writes the `nprobe` best into `lists` (best first);
   * returns how many. Afterwards `rawScores` holds, per list, the squared distance (l2) or the dot
   * product q·c (ip, cosine): what residual decoders need.
   */
  probe(q: Float32Array, nprobe: number, lists: Int32Array): number {
    const n = this.count;
    const raw = this.scoreBuf.view;
    const dot = usesDot(this.metric);
    if (dot) this.kernels.dotMany(q, 0, this.centroidBuf.view, 0, this.stride, n, this.dim, raw);
    else this.kernels.l2Many(q, 0, this.centroidBuf.view, 0, this.stride, n, this.dim, raw);
    const take = Math.min(nprobe, n);
    const picker = this.picker;
    picker.reset(take);
    // Most lists lose against the current worst pick: compare before calling into the heap.
    let threshold = Infinity;
    // Only the order matters here: the largest dot product first, or the smallest squared distance.
    const sign = dot ? -1 : 1;
    for (let l = 0; l < n; l++) {
      const d = sign * raw[l]!;
      if (d > threshold) continue;
      if (picker.push(d, l) && picker.full) threshold = picker.threshold;
    }
    const scratch = this.pickDistances(take);
    return picker.drainSorted(scratch, lists);
  }

  private pickBuf = new Float32Array(16);
  private pickDistances(n: number): Float32Array {
    if (this.pickBuf.length < n) this.pickBuf = new Float32Array(n);
    return this.pickBuf;
  }

  get rawScores(): Float32Array {
    return this.scoreBuf.view;
  }

  /** Residuals of packed prepared rows from their assigned centroid (packed n × dim). */
  residuals(prepared: Float32Array, n: number): Float32Array {
    const dim = this.dim;
    const stride = this.stride;
    const block = 256;
    const out = new Float32Array(n * dim);
    const padded = new Float32Array(block * stride);
    const idx = new Int32Array(block);
    const dist = new Float32Array(block);
    for (let b = 0; b < n; b += block) {
      const count = Math.min(block, n - b);
      for (let r = 0; r < count; r++) for (let i = 0; i < dim; i++) padded[r * stride + i] = prepared[(b + r) * dim + i]!;
      this.assign(padded, 0, stride, count, idx, dist);
      const c = this.centroidBuf.view;
      for (let r = 0; r < count; r++) {
        const co = idx[r]! * stride;
        for (let i = 0; i < dim; i++) out[(b + r) * dim + i] = prepared[(b + r) * dim + i]! - c[co + i]!;
      }
    }
    return out;
  }

  /** Packed copy of the centroids (nlist × dim). */
  exportPacked(): Float32Array {
    const out = new Float32Array(this.count * this.dim);
    const c = this.centroidBuf.view;
    for (let l = 0; l < this.count; l++) for (let i = 0; i < this.dim; i++) out[l * this.dim + i] = c[l * this.stride + i]!;
    return out;
  }

  get bytesUsed(): number {
    return this.count * this.dim * 4;
  }

  free(): void {
    this.centroidBuf.free();
    this.scoreBuf.free();
  }
}
