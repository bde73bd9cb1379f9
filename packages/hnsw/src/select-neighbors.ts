import { HeapArray } from '@annkit/core';
import type { Kernels, QueryDistance } from '@annkit/core';

const UNDECIDED = 0;
const PRUNED = 1;
/** Undecided, and known to be a copy of the base node (see prune). */
const COPY = 2;

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
  /** Copies of a base node pruned so far: each may have lost its last in-link (the index then relinks). */
  copiesPruned = 0;
  /** Copies of the base kept in the list being selected, and how many it may hold. */
  private copiesKept = 0;
  private copyCap = 1;

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
    this.copiesKept = 0;
    this.copyCap = Math.max(1, maxCount >> 1);
    for (let p = 0; p < preset && open > 0; p++) open = this.prune(dc, outSlot[p]!, -1, NaN, candDist, open);
    let kept = preset;
    while (open > 0 && kept < maxCount) {
      // The first undecided candidate survived every kept neighbour: it is diverse.
      const c = pending[0]!;
      const ci = order[0]!;
      const cDist = candDist[ci]!;
      outSlot[kept] = c;
      outDist[kept] = cDist;
      kept++;
      if (state[ci] === COPY) this.copiesKept++;
      pending.copyWithin(0, 1, open);
      order.copyWithin(0, 1, open);
      open--;
      if (kept < maxCount) open = this.prune(dc, c, ci, cDist, candDist, open);
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

  /**
   * Drops the pending candidates closer to the kept neighbour `c` (candidate `ci`, at `cDist` from the base;
   * −1 and NaN for preset neighbours) than to the base node; returns how many remain.
   *
   * Copies of the base are capped at half the list. A copy is as far from every candidate as the base is,
   * so the strict rule never prunes anything with it: with more copies than room, a list held nothing but
   * copies and a cluster of copies closed on itself (at m = 4, 50 vectors × 20 copies, 973 of 1,000 ids
   * were unreachable). Half the list keeps the copies well linked to one another; the other half points out.
   * A candidate is a copy of the base and of c when the three distances agree exactly: equal rows give
   * equal bits, and distinct rows almost never do.
   */
  private prune(dc: QueryDistance, c: number, ci: number, cDist: number, candDist: Float32Array, open: number): number {
    const pending = this.pending.view;
    const dists = this.dists.view;
    const order = this.order;
    dc.betweenMany(c, pending, open, dists);
    let left = 0;
    for (let r = 0; r < open; r++) {
      const i = order[r]!;
      const d = dists[r]!;
      if (d < candDist[i]!) {
        this.state[i] = PRUNED;
        continue;
      }
      if (d === cDist && candDist[i] === cDist) {
        if (this.state[ci] !== COPY) {
          // c is a copy too, recognised only now: count it once.
          this.state[ci] = COPY;
          this.copiesKept++;
        }
        if (this.copiesKept >= this.copyCap) {
          this.state[i] = PRUNED;
          this.copiesPruned++;
          continue;
        }
        this.state[i] = COPY;
      }
      pending[left] = pending[r]!;
      order[left] = i;
      left++;
    }
    return left;
  }
}
