import { HeapArray, TopK } from '@annkit/core';
import type { IdMap, Kernels, QueryDistance } from '@annkit/core';
import { LIVE } from './graph.js';
import type { HnswGraph } from './graph.js';

/** Slots scored per kernel call. */
const BLOCK = 256;

/**
 * Exact search over the allowed vectors only: what a very selective filter needs, since a graph walk would
 * have to cross many forbidden nodes to find a few allowed ones. Allowed slots are gathered in blocks and
 * scored with one kernel call per block; the best k stay in `topk`.
 */
export class ExactScan {
  readonly topk = new TopK(16);
  private readonly slotsBuf: HeapArray<Int32Array>;
  private readonly outBuf: HeapArray<Float32Array>;

  constructor(kernels: Kernels) {
    this.slotsBuf = new HeapArray(Int32Array, kernels.heap, BLOCK);
    this.outBuf = new HeapArray(Float32Array, kernels.heap, BLOCK);
  }

  /** Every live slot whose id passes `filter`. */
  scanPredicate(dc: QueryDistance, graph: HnswGraph, ids: Float64Array, filter: (id: number) => boolean, k: number): void {
    this.topk.reset(k);
    const slots = this.slotsBuf.view;
    const state = graph.state;
    let n = 0;
    for (let s = 0; s < graph.slotCount; s++) {
      if (state[s] !== LIVE || !filter(ids[s]!)) continue;
      slots[n++] = s;
      if (n === BLOCK) {
        this.score(dc, n);
        n = 0;
      }
    }
    if (n > 0) this.score(dc, n);
  }

  /** The live ids of an allow-list (looked up one by one: the list is small when this is chosen). */
  scanAllowList(dc: QueryDistance, idMap: IdMap, allow: ReadonlySet<number>, k: number): void {
    this.topk.reset(k);
    const slots = this.slotsBuf.view;
    let n = 0;
    for (const id of allow) {
      const s = typeof id === 'number' ? idMap.slotOf(id) : -1;
      if (s < 0) continue;
      slots[n++] = s;
      if (n === BLOCK) {
        this.score(dc, n);
        n = 0;
      }
    }
    if (n > 0) this.score(dc, n);
  }

  private score(dc: QueryDistance, n: number): void {
    const slots = this.slotsBuf.view;
    const out = this.outBuf.view;
    dc.gather(slots, n, out);
    const topk = this.topk;
    let threshold = topk.threshold;
    for (let i = 0; i < n; i++) {
      if (out[i]! > threshold) continue;
      if (topk.push(out[i]!, slots[i]!)) threshold = topk.threshold;
    }
  }
}
