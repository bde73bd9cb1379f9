import { HeapArray, TopK, VisitedSet } from '@annkit/core';
import type { Heap, QueryDistance } from '@annkit/core';
import { HEADER_WORDS, INTERNAL } from './forest.js';
import type { Forest } from './forest.js';
import { NodeQueue } from './node-queue.js';
import { margin } from './route.js';

/** What one search reads; built once per call. */
export interface SearchContext {
  forest: Forest;
  /** The prepared query (unit length under cosine), `dim` values; routing reads it, ranking binds it. */
  query: Float32Array;
  /** Stored rows (slots in use). */
  size: number;
  dim: number;
  idsBySlot: Float64Array;
  filter: ((id: number) => boolean) | null;
}

/**
 * Search scratch, allocated once per index: one priority queue over the nodes of all trees (ordered by
 * the smallest margin met on the way down, as in Annoy), a visited set that keeps each candidate once,
 * and the candidate slots and their distances, which live beside the rows for the kernels.
 */
export class ForestSearcher {
  private readonly queue = new NodeQueue();
  private readonly visited = new VisitedSet(64);
  private readonly candidates: HeapArray<Int32Array>;
  private readonly distances: HeapArray<Float32Array>;
  readonly topk = new TopK(16);

  constructor(heap: Heap | null) {
    this.candidates = new HeapArray(Int32Array, heap, 256);
    this.distances = new HeapArray(Float32Array, heap, 256);
  }

  /**
   * Pops nodes best-first until `searchK` distinct candidates (passing the filter) are collected or the
   * trees are exhausted; returns how many were collected (into the candidate buffer).
   */
  collect(ctx: SearchContext, t: number, searchK: number): number {
    const { forest, dim, filter, idsBySlot, query: q, size } = ctx;
    // Room for the usual case up front; a leaf chain past it grows the buffer below.
    const expected = Math.min(searchK, size) + forest.bucketSize;
    if (expected > this.candidates.length) this.candidates.resize(expected);
    const w = forest.width;
    const bucket = forest.bucketSize;
    const ints = forest.ints;
    const floats = forest.floats;
    const roots = forest.roots;
    const queue = this.queue;
    const visited = this.visited;
    queue.clear();
    visited.reset(size);
    for (let tree = 0; tree < roots.length; tree++) queue.push(Infinity, roots[tree]!);
    let found = 0;
    let out = this.candidates.view;
    while (queue.size > 0 && found < searchK) {
      const bound = queue.topPriority;
      const node = queue.pop();
      const o = node * w;
      if (ints[o] === INTERNAL) {
        const m = margin(floats, o, q, 0, dim, t);
        queue.push(bound < m ? bound : m, ints[o + 2]!);
        queue.push(bound < -m ? bound : -m, ints[o + 1]!);
        continue;
      }
      // A leaf: its head record, then any chained records.
      let remaining = ints[o + 1]!;
      let record = node;
      while (remaining > 0) {
        const n = remaining < bucket ? remaining : bucket;
        if (found + n > out.length) {
          this.candidates.resize(Math.max(found + n, out.length * 2));
          out = this.candidates.view;
        }
        const base = record * w + HEADER_WORDS;
        for (let i = 0; i < n; i++) {
          const slot = ints[base + i]!;
          if (!visited.visit(slot)) continue;
          if (filter !== null && !filter(idsBySlot[slot]!)) continue;
          out[found++] = slot;
        }
        remaining -= n;
        record = ints[record * w + 2]!;
      }
    }
    return found;
  }

  /** Puts the given slots into the candidate buffer (the exact path for small allow-lists). */
  setCandidates(slots: ArrayLike<number>, n: number): void {
    if (n > this.candidates.length) this.candidates.resize(n);
    const out = this.candidates.view;
    for (let i = 0; i < n; i++) out[i] = slots[i]!;
  }

  /**
   * Ranks the first n candidates exactly through the rows' distance computer and keeps the best k in
   * `topk`. The query is bound only after the last allocation of the search, so the bound views stay valid.
   */
  rank(distance: QueryDistance, query: Float32Array, n: number, k: number): void {
    const topk = this.topk;
    topk.reset(Math.max(1, k));
    if (n === 0) return;
    if (n > this.distances.length) this.distances.resize(Math.max(n, this.distances.length * 2));
    distance.setQuery(query);
    const slots = this.candidates.view;
    const out = this.distances.view;
    distance.gather(slots, n, out);
    let threshold = topk.threshold;
    for (let i = 0; i < n; i++) {
      const d = out[i]!;
      if (d > threshold) continue;
      if (topk.push(d, slots[i]!)) threshold = topk.threshold;
    }
  }
}
