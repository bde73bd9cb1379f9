import { HeapArray } from '@annkit/core';
import type { Kernels, Metric, VectorStore } from '@annkit/core';
import { FloatDistance } from './float-distance.js';
import { sortPairs } from './heaps.js';

/**
 * Exact re-ranking for quantized storage (FAISS's refine): candidates ranked on codes are rescored against
 * the kept float rows, in one gather call, and re-sorted.
 */
export class ExactRerank {
  private readonly dc: FloatDistance;
  private slotsBuf: HeapArray<Int32Array>;
  private outBuf: HeapArray<Float32Array>;

  constructor(kernels: Kernels, raw: VectorStore, metric: Metric) {
    // VectorStore rows are exactly their padded stride long.
    this.dc = new FloatDistance(kernels, { get data() { return raw.data; }, stride: raw.stride, rowLength: raw.stride }, metric);
    this.slotsBuf = new HeapArray(Int32Array, kernels.heap, 64);
    this.outBuf = new HeapArray(Float32Array, kernels.heap, 64);
  }

  /** Room for n candidates. Call before reading the query view passed to rerank (this may grow the heap). */
  reserve(n: number): void {
    if (this.slotsBuf.length >= n) return;
    this.slotsBuf.resize(Math.max(n, this.slotsBuf.length * 2));
    this.outBuf.resize(this.slotsBuf.length);
  }

  /** Replaces the distances of the first n (dist, slot) pairs with exact ones and re-sorts them. */
  rerank(q: Float32Array, dists: Float32Array, slots: Int32Array, n: number): void {
    const buf = this.slotsBuf.view;
    const out = this.outBuf.view;
    for (let i = 0; i < n; i++) buf[i] = slots[i]!;
    this.dc.setQuery(q);
    this.dc.distances(buf, n, out);
    for (let i = 0; i < n; i++) dists[i] = out[i]!;
    sortPairs(dists, slots, n);
  }
}
