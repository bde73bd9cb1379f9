import { HeapArray, VisitedSet } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import { LIVE, TOMBSTONE } from './graph.js';
import { sortPairs } from './heaps.js';
import { reserveBuild } from './insert.js';
import type { BuildContext } from './insert.js';
import type { Reachability } from './reachability.js';
import { rebuildLinks } from './rebuild.js';

/**
 * Turns tombstones into free slots without a rebuild (the delete consolidation of FreshDiskANN, on HNSW):
 *  1. every live node that links to a tombstone keeps its live links and refills the tombstones' places from
 *     the tombstones' live neighbours (diversity heuristic first, then the closest), keeping its degree;
 *  2. the tombstones are released: links cleared, vectors zeroed, slots listed for reuse;
 *  3. a new entry point is chosen if the old one died, and any live node no longer reachable at level 0 is
 *     linked again by a search from the entry point, so every live vector stays findable.
 */
export class Compactor {
  private readonly marks = new VisitedSet(64);
  private slotsBuf: HeapArray<Int32Array>;
  private outBuf: HeapArray<Float32Array>;
  private gathered: Int32Array = new Int32Array(64);
  private queue: Int32Array = new Int32Array(64);

  private readonly reachability: Reachability;

  constructor(kernels: Kernels, reachability: Reachability) {
    this.reachability = reachability;
    this.slotsBuf = new HeapArray(Int32Array, kernels.heap, 64);
    this.outBuf = new HeapArray(Float32Array, kernels.heap, 64);
  }

  /** With `rebuild`, the live nodes are linked again from scratch instead of repaired (see rebuildLinks). */
  compact(ctx: BuildContext, ids: Float64Array, rebuild: boolean): void {
    const g = ctx.graph;
    if (g.tombstoneCount === 0 && !rebuild) return;
    reserveBuild(ctx);
    for (let level = 0; level <= g.maxLevel && !rebuild; level++) {
      for (let y = 0; y < g.slotCount; y++) {
        if (g.state[y] === LIVE && g.levels[y]! >= level) this.repairList(ctx, y, level);
      }
    }
    for (let slot = 0; slot < g.slotCount; slot++) {
      if (g.state[slot] !== TOMBSTONE) continue;
      ctx.rows.clear(slot);
      g.release(slot);
    }
    if (g.entryPoint >= 0 && g.state[g.entryPoint] !== LIVE) g.chooseEntryPoint();
    g.settle();
    ctx.rows.truncate(g.slotCount);
    if (rebuild) rebuildLinks(ctx, ids);
    this.reachability.relinkUnreachable(ctx, ids);
  }

  /** Refills the places of the tombstones in y's list at `level` (nothing to do when it links to none). */
  private repairList(ctx: BuildContext, y: number, level: number): void {
    const g = ctx.graph;
    const arr = g.listArray(level);
    const off = g.listOffset(y, level);
    const count = arr[off]!;
    let buried = false;
    for (let j = 1; j <= count; j++) if (g.state[arr[off + j]!] === TOMBSTONE) buried = true;
    if (!buried) return;

    const marks = this.marks;
    marks.reset(g.slotCount);
    marks.visit(y);
    // Live neighbours stay as they are; the tombstones' live neighbours are the candidates for their places.
    let live = 0;
    let n = 0;
    let queued = 0;
    for (let j = 1; j <= count; j++) {
      const s = arr[off + j]!;
      if (!marks.visit(s)) continue;
      if (g.state[s] === LIVE) this.keptLive[live++] = s;
      else queued = this.enqueue(queued, s);
    }
    // The tombstones' live neighbours replace them. One hop only: at 10% tombstones each has ~3 buried
    // neighbours, so following chains would percolate through the whole graph.
    for (let q = 0; q < queued; q++) {
      const t = this.queue[q]!;
      const toff = g.listOffset(t, level);
      const tcount = arr[toff]!;
      for (let j = 1; j <= tcount; j++) {
        const z = arr[toff + j]!;
        if (g.state[z] === LIVE && marks.visit(z)) n = this.gather(n, z);
      }
    }

    if (this.slotsBuf.length < n) {
      this.slotsBuf.resize(Math.max(n, this.slotsBuf.length * 2));
      this.outBuf.resize(this.slotsBuf.length);
    }
    // Anything that grows the kernels' heap comes before the bind below.
    ctx.selector.reserve(n);
    const slots = this.slotsBuf.view;
    const out = this.outBuf.view;
    slots.set(this.gathered.subarray(0, n));
    const dc = ctx.dc;
    dc.setQuerySlot(y);
    if (n > 0) dc.gather(slots, n, out);
    const s = ctx.scratch;
    s.ensureCandidates(n);
    for (let i = 0; i < n; i++) {
      s.candSlot[i] = slots[i]!;
      s.candDist[i] = out[i]!;
    }
    sortPairs(s.candDist, s.candSlot, n);
    // Refill the places of the tombstones: diverse candidates first (the heuristic, checked against the whole
    // list), then the closest of the rest, so the node keeps its degree. Re-selecting the whole list instead
    // thins it (the heuristic keeps fewer links than reverse links had filled in) and costs recall.
    const list = s.selSlot;
    for (let i = 0; i < live; i++) list[i] = this.keptLive[i]!;
    const size = ctx.selector.select(dc, s.candDist, s.candSlot, n, count, true, list, s.selDist, live);
    g.setList(y, level, list, size);
  }

  /** Live neighbours of the node being repaired (at most 2·MAX_M). */
  private readonly keptLive = new Int32Array(512);

  private gather(n: number, slot: number): number {
    if (n === this.gathered.length) this.gathered = growInt(this.gathered);
    this.gathered[n] = slot;
    return n + 1;
  }

  private enqueue(n: number, slot: number): number {
    if (n === this.queue.length) this.queue = growInt(this.queue);
    this.queue[n] = slot;
    return n + 1;
  }
}

function growInt(arr: Int32Array): Int32Array {
  const next = new Int32Array(arr.length * 2);
  next.set(arr);
  return next;
}
