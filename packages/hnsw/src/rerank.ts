import { HeapArray } from '@annkit/core';
import type { Kernels, QueryDistance, VectorStorage } from '@annkit/core';
import { sortPairs } from './heaps.js';

/**
 * Exact re-ranking for quantized storage (FAISS's refine): candidates ranked on codes are rescored against
 * the kept float rows, in one gather call, and re-sorted.
 */
export class ExactRerank {
  private readonly dc: QueryDistance;
  private slotsBuf: HeapArray<Int32Array>;
  private outBuf: HeapArray<Float32Array>;

  constructor(kernels: Kernels, raw: VectorStorage) {
    this.dc = raw.createDistance();
    this.slotsBuf = new HeapArray(Int32Array, kernels.heap, 64);
    this.outBuf = new HeapArray(Float32Array, kernels.heap, 64);
  }

  /** Room for n candidates (may grow the kernels' heap: call before binding anything for the search). */
  reserve(n: number): void {
    if (this.slotsBuf.length >= n) return;
    this.slotsBuf.resize(Math.max(n, this.slotsBuf.length * 2));
    this.outBuf.resize(this.slotsBuf.length);
  }

  /** Replaces the distances of the first n (dist, slot) pairs with exact ones to the prepared query q, re-sorted. */
  rerank(q: Float32Array, dists: Float32Array, slots: Int32Array, n: number): void {
    const buf = this.slotsBuf.view;
    const out = this.outBuf.view;
    for (let i = 0; i < n; i++) buf[i] = slots[i]!;
    this.dc.setQuery(q);
    this.dc.gather(buf, n, out);
    for (let i = 0; i < n; i++) dists[i] = out[i]!;
    sortPairs(dists, slots, n);
  }
}
