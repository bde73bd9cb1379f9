import { HeapArray } from '@annkit/core';
import type { Kernels, QueryDistance } from '@annkit/core';

const UNDECIDED = 0;
const PRUNED = 1;

/**
 * The diversity heuristic of Malkov & Yashunin (their Algorithm 4): walking candidates from the closest, keep
 * one only if it is closer to the base node than to every neighbour kept so far. Neighbours then point in
 * different directions, which is what lets greedy search leave a cluster. With `keepPruned` the list is
 * topped up with the closest discarded candidates (the paper's keepPrunedConnections).
 * When there are no more candidates than room, all are kept (as hnswlib does): nothing to choose between.
 *
 * Run neighbour by neighbour rather than candidate by candidate: each kept neighbour is scored against all
 * candidates still undecided in one betweenMany call, and those closer to it than to the base node drop out.
 * That computes the same pairs as testing each candidate against the kept list until one is closer, but in
 * one call per kept neighbour instead of one per pair, so quantized storage decodes each kept row once.
 */
export class NeighborSelector {
  /** Slots of the candidates still undecided, in candidate order (in the kernels' heap, for betweenMany). */
  private pending: HeapArray<Int32Array>;
  private dists: HeapArray<Float32Array>;
  /** Candidate index of each pending entry, and each candidate's state. */
  private order = new Int32Array(64);
  private state = new Uint8Array(64);
  private readonly kernels: Kernels;

  constructor(kernels: Kernels) {
    this.kernels = kernels;
    this.pending = new HeapArray(Int32Array, kernels.heap, 64);
    this.dists = new HeapArray(Float32Array, kernels.heap, 64);
  }

  /**
   * Room for n candidates. Allocates in the kernels' heap, which may move it: call before binding a query
   * whose views must stay valid (the build binds per node, so it reserves efConstruction up front).
   */
  reserve(n: number): void {
    if (this.order.length >= n) return;
    const size = Math.max(n, this.order.length * 2);
    this.pending.free();
    this.dists.free();
    this.pending = new HeapArray(Int32Array, this.kernels.heap, size);
    this.dists = new HeapArray(Float32Array, this.kernels.heap, size);
    this.order = new Int32Array(size);
    this.state = new Uint8Array(size);
  }

  /**
   * Candidates are sorted closest first (`candDist` = distance to the base node). Writes the kept ones to
   * outSlot/outDist after the first `preset` entries of outSlot, which are neighbours kept already (they
   * prune candidates but are not candidates themselves), and returns the list's length (≤ maxCount).
   * The outputs must not alias the inputs; reserve(n) must have been called.
   */
  select(dc: QueryDistance, candDist: Float32Array, candSlot: Int32Array, n: number, maxCount: number, keepPruned: boolean, outSlot: Int32Array, outDist: Float32Array, preset = 0): number {
    if (preset === 0 && n <= maxCount) {
      for (let i = 0; i < n; i++) {
        outSlot[i] = candSlot[i]!;
        outDist[i] = candDist[i]!;
      }
      return n;
    }
    const pending = this.pending.view;
    const order = this.order;
    const state = this.state;
    for (let i = 0; i < n; i++) {
      pending[i] = candSlot[i]!;
      order[i] = i;
      state[i] = UNDECIDED;
    }
    let open = n;
    for (let p = 0; p < preset && open > 0; p++) open = this.prune(dc, outSlot[p]!, candDist, open);
    let kept = preset;
    while (open > 0 && kept < maxCount) {
      // The first undecided candidate survived every kept neighbour: it is diverse.
      const c = pending[0]!;
      outSlot[kept] = c;
      outDist[kept] = candDist[order[0]!]!;
      kept++;
      pending.copyWithin(0, 1, open);
      order.copyWithin(0, 1, open);
      open--;
      if (kept < maxCount) open = this.prune(dc, c, candDist, open);
    }
    // Left over only when the list is full; otherwise every candidate not kept was pruned.
    if (keepPruned) {
      for (let i = 0; i < n && kept < maxCount; i++) {
        if (state[i] !== PRUNED) continue;
        outSlot[kept] = candSlot[i]!;
        outDist[kept] = candDist[i]!;
        kept++;
      }
    }
    return kept;
  }

  /** Drops the pending candidates closer to the kept neighbour `c` than to the base node; returns how many remain. */
  private prune(dc: QueryDistance, c: number, candDist: Float32Array, open: number): number {
    const pending = this.pending.view;
    const dists = this.dists.view;
    const order = this.order;
    dc.betweenMany(c, pending, open, dists);
    let left = 0;
    for (let r = 0; r < open; r++) {
      const i = order[r]!;
      if (dists[r]! < candDist[i]!) {
        this.state[i] = PRUNED;
        continue;
      }
      pending[left] = pending[r]!;
      order[left] = i;
      left++;
    }
    return left;
  }
}
