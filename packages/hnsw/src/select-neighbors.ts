import type { GraphDistance } from './float-distance.js';

/**
 * The diversity heuristic of Malkov & Yashunin (their Algorithm 4): walking candidates from the closest, keep
 * one only if it is closer to the base node than to every neighbour kept so far. Neighbours then point in
 * different directions, which is what lets greedy search leave a cluster. With `keepPruned` the list is
 * topped up with the closest discarded candidates (the paper's keepPrunedConnections).
 * When there are no more candidates than room, all are kept (as hnswlib does): nothing to choose between.
 */
export class NeighborSelector {
  private prunedDist = new Float32Array(64);
  private prunedSlot = new Int32Array(64);

  /**
   * Candidates are sorted closest first (`candDist` = distance to the base node). Writes the kept ones to
   * outSlot/outDist and returns their count (≤ maxCount). The outputs must not alias the inputs.
   */
  select(dc: GraphDistance, candDist: Float32Array, candSlot: Int32Array, n: number, maxCount: number, keepPruned: boolean, outSlot: Int32Array, outDist: Float32Array): number {
    if (n <= maxCount) {
      for (let i = 0; i < n; i++) {
        outSlot[i] = candSlot[i]!;
        outDist[i] = candDist[i]!;
      }
      return n;
    }
    if (keepPruned && this.prunedDist.length < n) {
      this.prunedDist = new Float32Array(n);
      this.prunedSlot = new Int32Array(n);
    }
    let kept = 0;
    let pruned = 0;
    // Pair by pair, stopping at the first kept neighbour closer to the candidate than the base node is: most
    // candidates are dropped after one or two distances (a batched gather per candidate measured no faster
    // while building, and much slower on the long candidate lists of compaction).
    for (let i = 0; i < n && kept < maxCount; i++) {
      const c = candSlot[i]!;
      const d = candDist[i]!;
      let diverse = true;
      for (let j = 0; j < kept; j++) {
        if (Math.fround(dc.between(c, outSlot[j]!)) < d) {
          diverse = false;
          break;
        }
      }
      if (diverse) {
        outSlot[kept] = c;
        outDist[kept] = d;
        kept++;
      } else if (keepPruned) {
        this.prunedSlot[pruned] = c;
        this.prunedDist[pruned] = d;
        pruned++;
      }
    }
    for (let i = 0; i < pruned && kept < maxCount; i++) {
      outSlot[kept] = this.prunedSlot[i]!;
      outDist[kept] = this.prunedDist[i]!;
      kept++;
    }
    return kept;
  }
}
