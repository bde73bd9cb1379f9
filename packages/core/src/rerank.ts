import { HeapArray } from './heap.js';
import type { Kernels } from './kernels.js';
import type { Metric } from './metric.js';
import type { QueryDistance } from './storage/vector-storage.js';
import { TopK } from './topk.js';
import type { VectorStore } from './vector-store.js';

/**
 * Exact re-ranking (FAISS's refine): candidates found on codes are rescored against the raw vectors kept
 * by slot, and the best k kept. Buffers grow once and are reused across searches.
 */
export class Reranker {
  private readonly kernels: Kernels;
  private readonly metric: Metric;
  private readonly dim: number;
  private slots: HeapArray<Int32Array>;
  private dists: Float32Array = new Float32Array(16);
  private readonly final = new TopK(16);

  constructor(dim: number, metric: Metric, kernels: Kernels) {
    this.dim = dim;
    this.metric = metric;
    this.kernels = kernels;
    this.slots = new HeapArray(Int32Array, kernels.heap, 16);
  }

  /** Room for `n` candidates. Call before reading any kernel-heap view used in `rerank` (it may allocate). */
  reserve(n: number): void {
    if (this.slots.length < n) {
      const cap = Math.max(n, 2 * this.slots.length);
      this.slots.free();
      this.slots = new HeapArray(Int32Array, this.kernels.heap, cap);
    }
    if (this.dists.length < n) this.dists = new Float32Array(Math.max(n, 2 * this.dists.length));
  }

  /**
   * Drains `candidates` (labels are slots), rescoring them against raw@slot with the prepared query q;
   * returns the TopK holding the best k by exact distance (labels are slots).
   */
  rerank(candidates: TopK, k: number, q: Float32Array, raw: VectorStore): TopK {
    const count = candidates.size;
    this.reserve(count);
    const slots = this.slots.view;
    const exact = this.dists;
    candidates.drainSorted(exact, slots);
    if (this.metric === 'l2') this.kernels.l2Gather(q, 0, raw.data, raw.stride, slots, count, this.dim, exact);
    else this.kernels.dotGather(q, 0, raw.data, raw.stride, slots, count, this.dim, exact);
    const final = this.final;
    final.reset(Math.min(k, Math.max(1, count)));
    const sign = this.metric === 'l2' ? 1 : -1;
    const bias = this.metric === 'cosine' ? 1 : 0;
    for (let i = 0; i < count; i++) final.push(sign * exact[i]! + bias, slots[i]!);
    return final;
  }

  /**
   * Like rerank, scoring through `exact`: a distance over the raw rows (by slot) whose query is already
   * bound. Call reserve(candidates.size) before binding it, so no allocation here stales its views.
   */
  rerankWith(candidates: TopK, k: number, exact: QueryDistance): TopK {
    const count = candidates.size;
    this.reserve(count);
    const slots = this.slots.view;
    const dists = this.dists;
    candidates.drainSorted(dists, slots);
    exact.gather(slots, count, dists);
    const final = this.final;
    final.reset(Math.min(k, Math.max(1, count)));
    for (let i = 0; i < count; i++) final.push(dists[i]!, slots[i]!);
    return final;
  }

  free(): void {
    this.slots.free();
  }
}
