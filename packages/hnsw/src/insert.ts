import { HeapArray } from '@annkit/core';
import type { Kernels, QueryDistance } from '@annkit/core';
import type { HnswGraph } from './graph.js';
import { sortPairs } from './heaps.js';
import type { IndexRows } from './index-rows.js';
import type { LayerSearch } from './layer-search.js';
import type { NeighborSelector } from './select-neighbors.js';

/**
 * What building and repairing the graph share: the graph, the rows and the one distance computer that sees
 * them (bound to the node being linked), the traversal and the scratch.
 */
export interface BuildContext {
  readonly graph: HnswGraph;
  readonly rows: IndexRows;
  readonly dc: QueryDistance;
  readonly search: LayerSearch;
  readonly selector: NeighborSelector;
  readonly efConstruction: number;
  readonly keepPruned: boolean;
  readonly scratch: BuildScratch;
}

/** Candidate and selection buffers for one insertion or one repair, grown on demand. */
export class BuildScratch {
  candDist = new Float32Array(256);
  candSlot = new Int32Array(256);
  selDist: Float32Array;
  selSlot: Int32Array;
  pruneDist: Float32Array;
  pruneSlot: Int32Array;
  pruneOutDist: Float32Array;
  pruneOutSlot: Int32Array;

  /** y's links and their distances to y, in the kernels' heap for one gather call. */
  readonly gatherSlots: HeapArray<Int32Array>;
  readonly gatherOut: HeapArray<Float32Array>;

  constructor(kernels: Kernels, maxM0: number) {
    this.gatherSlots = new HeapArray(Int32Array, kernels.heap, maxM0);
    this.gatherOut = new HeapArray(Float32Array, kernels.heap, maxM0);
    this.selDist = new Float32Array(maxM0);
    this.selSlot = new Int32Array(maxM0);
    this.pruneDist = new Float32Array(maxM0 + 1);
    this.pruneSlot = new Int32Array(maxM0 + 1);
    this.pruneOutDist = new Float32Array(maxM0 + 1);
    this.pruneOutSlot = new Int32Array(maxM0 + 1);
  }

  ensureCandidates(n: number): void {
    if (this.candDist.length >= n) return;
    const size = Math.max(n, this.candDist.length * 2);
    this.candDist = new Float32Array(size);
    this.candSlot = new Int32Array(size);
  }
}

/**
 * Makes room for the largest selection a build or a repair runs (efConstruction candidates, or a full
 * level-0 list plus one). It may grow the kernels' heap, so it comes before a node is bound.
 */
export function reserveBuild(ctx: BuildContext): void {
  ctx.selector.reserve(Math.max(buildBeam(ctx) + 1, ctx.graph.maxM0 + 1));
}

/**
 * The beam width of an insertion: efConstruction, but never more than the graph has node slots (a beam
 * cannot hold more nodes than exist, so results are the same), so that a large efConstruction — say one
 * read from a small file — costs memory in proportion to the graph, not to the parameter.
 */
function buildBeam(ctx: BuildContext): number {
  return Math.min(ctx.efConstruction, ctx.graph.capacity);
}

/**
 * Links a freshly allocated node into every level up to `level` (Malkov & Yashunin, Algorithm 1):
 * greedy descent above its level, then at each of its levels an efConstruction beam search, the diversity
 * heuristic to pick m neighbours, and reverse links (pruned by the same heuristic when a list is full).
 * The node's vector must be stored and bound as ctx.dc's query.
 */
export function insertNode(ctx: BuildContext, slot: number, level: number, ids: Float64Array): void {
  const g = ctx.graph;
  const dc = ctx.dc;
  // No live node to link to (empty, or only tombstones left): the new node starts a fresh graph.
  if (g.entryPoint < 0 || g.liveCount === 1) {
    g.entryPoint = slot;
    g.maxLevel = level;
    return;
  }
  let cur = g.entryPoint;
  let curDist = Math.fround(dc.one(cur));
  for (let l = g.maxLevel; l > level; l--) {
    ctx.search.greedy(dc, cur, curDist, l);
    cur = ctx.search.bestSlot;
    curDist = ctx.search.bestDist;
  }
  const s = ctx.scratch;
  const beam = buildBeam(ctx);
  s.ensureCandidates(beam);
  for (let l = Math.min(level, g.maxLevel); l >= 0; l--) {
    ctx.search.search(dc, cur, curDist, beam, l, null, ids);
    const n = ctx.search.results.drainAscending(s.candDist, s.candSlot);
    if (n === 0) continue;
    connect(ctx, slot, l, n);
    cur = s.candSlot[0]!;
    curDist = s.candDist[0]!;
  }
  if (level > g.maxLevel) {
    g.entryPoint = slot;
    g.maxLevel = level;
  }
}

/** Picks `slot`'s neighbours at `level` among the n sorted candidates in scratch and links both ways. */
export function connect(ctx: BuildContext, slot: number, level: number, n: number): void {
  const g = ctx.graph;
  const s = ctx.scratch;
  const kept = ctx.selector.select(ctx.dc, s.candDist, s.candSlot, n, g.m, ctx.keepPruned, s.selSlot, s.selDist);
  g.setList(slot, level, s.selSlot, kept);
  for (let i = 0; i < kept; i++) addReverseLink(ctx, s.selSlot[i]!, slot, level, s.selDist[i]!);
}

/** Adds `x` to `y`'s list at `level`; a full list is re-selected with the heuristic over its links plus x. */
export function addReverseLink(ctx: BuildContext, y: number, x: number, level: number, dist: number): void {
  const g = ctx.graph;
  const arr = g.listArray(level);
  const off = g.listOffset(y, level);
  const count = arr[off]!;
  for (let j = 1; j <= count; j++) if (arr[off + j] === x) return;
  const max = g.maxLinks(level);
  if (count < max) {
    g.appendLink(y, level, x);
    return;
  }
  const s = ctx.scratch;
  const dc = ctx.dc;
  const gathered = s.gatherSlots.view;
  const dists = s.gatherOut.view;
  for (let j = 0; j < count; j++) gathered[j] = arr[off + 1 + j]!;
  dc.betweenMany(y, gathered, count, dists);
  for (let j = 0; j < count; j++) {
    s.pruneSlot[j] = gathered[j]!;
    s.pruneDist[j] = dists[j]!;
  }
  s.pruneSlot[count] = x;
  s.pruneDist[count] = dist;
  sortPairs(s.pruneDist, s.pruneSlot, count + 1);
  const kept = ctx.selector.select(dc, s.pruneDist, s.pruneSlot, count + 1, max, ctx.keepPruned, s.pruneOutSlot, s.pruneOutDist);
  g.setList(y, level, s.pruneOutSlot, kept);
}

