import { HeapArray } from '@annkit/core';
import type { Kernels, QueryDistance } from '@annkit/core';
import { LIVE } from './graph.js';
import type { HnswGraph } from './graph.js';
import { HeapStorage, ResultHeap } from './heaps.js';
import { VisitedMarks } from './visited.js';

/**
 * The two traversals of HNSW over one level, with every buffer allocated once and reused:
 * a greedy walk (upper levels, ef = 1) and the beam search with a candidate min-heap and a result max-heap.
 * The neighbours of an expanded node that were not visited yet are scored in one kernel call.
 */
export class LayerSearch {
  /** The frontier: a min-heap by distance. */
  readonly candidates = new HeapStorage(256);
  /** The best results so far: a max-heap whose top is the bound a candidate must beat. */
  readonly results = new ResultHeap(256);
  private readonly visited = new VisitedMarks();
  private readonly graph: HnswGraph;
  /** Gather buffers in the kernels' heap, so WASM kernels read them in place. */
  private readonly slotBuf: HeapArray<Int32Array>;
  private readonly outBuf: HeapArray<Float32Array>;
  /** Where the last greedy walk ended. */
  bestSlot = -1;
  bestDist = Infinity;
  /** Keeps the early loads of the search loop alive (their values are never used otherwise). */
  sink = 0;
  /** Distances computed by the last traversal (for the cost model of filtered search and for tests). */
  distanceCount = 0;

  constructor(graph: HnswGraph, kernels: Kernels) {
    this.graph = graph;
    this.slotBuf = new HeapArray(Int32Array, kernels.heap, graph.maxM0);
    this.outBuf = new HeapArray(Float32Array, kernels.heap, graph.maxM0);
  }

  /** Greedy from the entry point down to level `to` + 1 (the query bound in dc); result in bestSlot/bestDist. */
  descend(dc: QueryDistance, to: number): void {
    const g = this.graph;
    let cur = g.entryPoint;
    let curDist = Math.fround(dc.one(cur));
    for (let l = g.maxLevel; l > to; l--) {
      this.greedy(dc, cur, curDist, l);
      cur = this.bestSlot;
      curDist = this.bestDist;
    }
    this.bestSlot = cur;
    this.bestDist = curDist;
  }

  /** Walks to the closest node at `level` by always moving to the best neighbour; result in bestSlot/bestDist. */
  greedy(dc: QueryDistance, entry: number, entryDist: number, level: number): void {
    const g = this.graph;
    const arr = g.listArray(level);
    const slots = this.slotBuf.view;
    const out = this.outBuf.view;
    let cur = entry;
    let curDist = entryDist;
    for (let moved = true; moved; ) {
      moved = false;
      const off = g.listOffset(cur, level);
      const n = arr[off]!;
      if (n === 0) break;
      for (let j = 0; j < n; j++) slots[j] = arr[off + 1 + j]!;
      dc.gather(slots, n, out);
      this.distanceCount += n;
      for (let i = 0; i < n; i++) {
        if (out[i]! < curDist) {
          curDist = out[i]!;
          cur = slots[i]!;
          moved = true;
        }
      }
    }
    this.bestSlot = cur;
    this.bestDist = curDist;
  }

  /**
   * Beam search at `level` from one entry: leaves up to `ef` results in `results` (a max-heap).
   * Tombstones and filtered-out nodes are traversed but never become results, so the search keeps going
   * until it holds `ef` acceptable nodes (or the reachable graph is exhausted).
   */
  search(dc: QueryDistance, entry: number, entryDist: number, ef: number, level: number, filter: ((id: number) => boolean) | null, ids: Float64Array): void {
    const g = this.graph;
    const arr = level === 0 ? g.links0 : g.upper;
    const stride0 = g.stride0;
    const base0 = g.base0;
    const upperOffset = g.upperOffset;
    const levelOffset = (level - 1) * g.strideUp;
    const state = g.state;
    const cand = this.candidates;
    const res = this.results;
    const slots = this.slotBuf.view;
    const out = this.outBuf.view;
    const epoch = this.visited.next(g.slotCount);
    const marks = this.visited.marks;
    marks[entry] = epoch;
    // Without tombstones or a filter every reachable node is a live result (free slots are never linked).
    const checkState = filter !== null || g.tombstoneCount > 0;
    // The heaps are driven inline below: this loop is where queries spend their time.
    let cSize = 0;
    let cDist = cand.dist;
    let cSlot = cand.slot;
    let rSize = 0;
    if (res.dist.length < ef) res.reserve(ef);
    const rDist = res.dist;
    const rSlot = res.slot;
    cDist[0] = entryDist;
    cSlot[0] = entry;
    cSize = 1;
    if (state[entry] === LIVE && (filter === null || filter(ids[entry]!))) {
      rDist[0] = entryDist;
      rSlot[0] = entry;
      rSize = 1;
    }
    let bound = rSize >= ef ? rDist[0]! : Infinity;
    let computed = 0;
    let touched = 0;
    for (;;) {
      if (cSize === 0) {
        // Frontier exhausted short of ef: the start's component is all there was. Level 0 is kept reachable
        // from the entry point (compaction and addBatch relink what is not), so continuing from there reaches
        // every node: with ef ≥ n, all n are found (issue 12 item 4).
        const root = g.entryPoint;
        if (rSize >= ef || level !== 0 || root < 0 || marks[root] === epoch) break;
        marks[root] = epoch;
        const d = Math.fround(dc.one(root));
        computed++;
        cDist[0] = d;
        cSlot[0] = root;
        cSize = 1;
        if (state[root] === LIVE && (filter === null || filter(ids[root]!))) {
          siftUpMax(rDist, rSlot, rSize++, d, root);
          if (rSize >= ef) bound = rDist[0]!;
        }
        continue;
      }
      if (cDist[0]! > bound) break;
      const c = cSlot[0]!;
      // c stays at the root until the first neighbour worth keeping replaces it (one sift instead of a pop
      // and a push); if none is, it is popped at the end.
      let rootIsExpanded = true;
      const off = level === 0 ? c * stride0 + base0 : upperOffset[c]! + levelOffset;
      // Load the links of the likely next candidate now (the better child of the root), so a cache miss
      // overlaps the distance work below: JS has no prefetch, but an early load does the same job.
      if (cSize > 2) {
        const next = cDist[1]! <= cDist[2]! ? cSlot[1]! : cSlot[2]!;
        touched ^= arr[level === 0 ? next * stride0 + base0 : upperOffset[next]! + levelOffset]!;
      } else if (cSize > 1) {
        const next = cSlot[1]!;
        touched ^= arr[level === 0 ? next * stride0 + base0 : upperOffset[next]! + levelOffset]!;
      }
      const end = off + 1 + arr[off]!;
      let n = 0;
      for (let j = off + 1; j < end; j++) {
        const s = arr[j]!;
        if (marks[s] === epoch) continue;
        marks[s] = epoch;
        slots[n++] = s;
      }
      if (n > 0) dc.gather(slots, n, out);
      computed += n;
      for (let k = 0; k < n; k++) {
        const d = out[k]!;
        if (!(d < bound)) continue;
        const s = slots[k]!;
        let i: number;
        if (rootIsExpanded) {
          rootIsExpanded = false;
          siftDownMin(cDist, cSlot, cSize, d, s);
        } else {
          if (cSize === cDist.length) {
            cand.size = cSize;
            cand.reserve(cSize * 2);
            cDist = cand.dist;
            cSlot = cand.slot;
          }
          i = cSize++;
          while (i > 0) {
            const p = (i - 1) >> 1;
            if (cDist[p]! <= d) break;
            cDist[i] = cDist[p]!;
            cSlot[i] = cSlot[p]!;
            i = p;
          }
          cDist[i] = d;
          cSlot[i] = s;
        }
        if (checkState && (state[s] !== LIVE || (filter !== null && !filter(ids[s]!)))) continue;
        if (rSize < ef) {
          // Room left: sift the new result up.
          siftUpMax(rDist, rSlot, rSize++, d, s);
        } else {
          // Full: the new result replaces the worst (the root) and sifts down, one pass instead of two.
          let j = 0;
          for (;;) {
            let ch = 2 * j + 1;
            if (ch >= rSize) break;
            if (ch + 1 < rSize && rDist[ch + 1]! > rDist[ch]!) ch++;
            if (rDist[ch]! <= d) break;
            rDist[j] = rDist[ch]!;
            rSlot[j] = rSlot[ch]!;
            j = ch;
          }
          rDist[j] = d;
          rSlot[j] = s;
        }
        if (rSize >= ef) bound = rDist[0]!;
      }
      if (rootIsExpanded) {
        cSize--;
        if (cSize > 0) siftDownMin(cDist, cSlot, cSize, cDist[cSize]!, cSlot[cSize]!);
      }
    }
    cand.size = 0;
    res.size = rSize;
    this.sink = touched;
    this.distanceCount += computed;
  }
}

/** Puts (d, s) at the root of the min-heap of n entries and sifts it down. */
function siftDownMin(dist: Float32Array, slot: Int32Array, n: number, d: number, s: number): void {
  let i = 0;
  for (;;) {
    let ch = 2 * i + 1;
    if (ch >= n) break;
    if (ch + 1 < n && dist[ch + 1]! < dist[ch]!) ch++;
    if (dist[ch]! >= d) break;
    dist[i] = dist[ch]!;
    slot[i] = slot[ch]!;
    i = ch;
  }
  dist[i] = d;
  slot[i] = s;
}

/** Puts (d, s) at index i (the end) of a max-heap and sifts it up. */
function siftUpMax(dist: Float32Array, slot: Int32Array, i: number, d: number, s: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (dist[p]! >= d) break;
    dist[i] = dist[p]!;
    slot[i] = slot[p]!;
    i = p;
  }
  dist[i] = d;
  slot[i] = s;
}
