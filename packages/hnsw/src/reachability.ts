import { LIVE } from './graph.js';
import { addReverseLink, reserveBuild } from './insert.js';
import type { BuildContext } from './insert.js';

/**
 * Keeps every live node reachable from the entry point at level 0, which (with the beam search continuing
 * from the entry point when its start's component runs out) lets a search with ef ≥ n find all n vectors.
 *
 * Why it is needed (issue 12 item 4): copies of one vector prune one another out of neighbour lists, so a
 * copy can lose every in-link; before the selector pruned copies, a cluster with more copies than a list
 * holds filled its lists with itself and closed off (50 vectors × 20 copies at m = 4 lost ~700 of 1,000 ids).
 */
export class Reachability {
  private queue = new Int32Array(64);
  private reached = new Uint8Array(64);

  /** Breadth-first from the entry point at level 0; links in every live node it cannot reach. */
  relinkUnreachable(ctx: BuildContext, ids: Float64Array): void {
    const g = ctx.graph;
    if (g.entryPoint < 0) return;
    reserveBuild(ctx);
    if (this.reached.length < g.slotCount) this.reached = new Uint8Array(Math.max(g.slotCount, this.reached.length * 2));
    const reached = this.reached;
    reached.fill(0, 0, g.slotCount);
    this.markReachable(ctx, g.entryPoint);
    for (let slot = 0; slot < g.slotCount; slot++) {
      if (g.state[slot] !== LIVE || reached[slot] === 1) continue;
      this.linkAtLevel0(ctx, slot, ids);
      this.markReachable(ctx, slot);
    }
  }

  private markReachable(ctx: BuildContext, from: number): void {
    const g = ctx.graph;
    if (this.queue.length < g.slotCount) this.queue = new Int32Array(Math.max(g.slotCount, this.queue.length * 2));
    const queue = this.queue;
    const reached = this.reached;
    let head = 0;
    let tail = 0;
    if (reached[from] === 0) {
      reached[from] = 1;
      queue[tail++] = from;
    }
    const links = g.links0;
    while (head < tail) {
      const c = queue[head++]!;
      const off = c * g.stride0 + g.base0;
      const end = off + 1 + links[off]!;
      for (let j = off + 1; j < end; j++) {
        const s = links[j]!;
        if (reached[s] === 0) {
          reached[s] = 1;
          queue[tail++] = s;
        }
      }
    }
  }

  /**
   * Gives the unreachable `slot` neighbours found from the entry point, reverse links where lists have room
   * (re-selecting a full list could drop another node's last in-link), and, when none of those took, an
   * in-link spliced into its nearest reachable node.
   */
  private linkAtLevel0(ctx: BuildContext, slot: number, ids: Float64Array): void {
    const g = ctx.graph;
    const dc = ctx.dc;
    dc.setQuerySlot(slot);
    ctx.search.descend(dc, 0);
    const s = ctx.scratch;
    s.ensureCandidates(ctx.efConstruction + 1);
    ctx.search.search(dc, ctx.search.bestSlot, ctx.search.bestDist, ctx.efConstruction + 1, 0, null, ids);
    const found = ctx.search.results.drainAscending(s.candDist, s.candSlot);
    let n = 0;
    let host = g.entryPoint;
    for (let i = 0; i < found; i++) {
      const c = s.candSlot[i]!;
      if (c === slot) continue;
      if (host === g.entryPoint && this.reached[c] === 1) host = c;
      s.candSlot[n] = c;
      s.candDist[n] = s.candDist[i]!;
      n++;
    }
    const kept = n > 0 ? ctx.selector.select(dc, s.candDist, s.candSlot, n, g.maxM0, ctx.keepPruned, s.selSlot, s.selDist) : 0;
    g.setList(slot, 0, s.selSlot, kept);
    let linked = false;
    for (let i = 0; i < kept; i++) {
      const y = s.selSlot[i]!;
      if (g.count(y, 0) >= g.maxM0) continue;
      addReverseLink(ctx, y, slot, 0, s.selDist[i]!);
      if (this.reached[y] === 1) linked = true;
    }
    if (!linked && host !== slot) spliceIn(ctx, slot, host);
  }
}

/**
 * Makes `slot` reachable from the reachable `host` without making anything else unreachable: host's link
 * to w (the one closest to `slot`) is handed over to `slot`, and `slot` links to w, so every path through
 * host → w now runs host → slot → w. `slot` was unreachable, so its old out-links served no one;
 * ctx.dc must be bound to it.
 */
function spliceIn(ctx: BuildContext, slot: number, host: number): void {
  const g = ctx.graph;
  const s = ctx.scratch;
  const arr = g.links0;
  const hostOff = g.listOffset(host, 0);
  const hostCount = arr[hostOff]!;
  if (hostCount < g.maxM0) {
    g.appendLink(host, 0, slot);
    return;
  }
  const links = s.gatherSlots.view;
  const dists = s.gatherOut.view;
  for (let j = 0; j < hostCount; j++) links[j] = arr[hostOff + 1 + j]!;
  ctx.dc.gather(links, hostCount, dists);
  let at = 0;
  for (let j = 1; j < hostCount; j++) if (dists[j]! < dists[at]!) at = j;
  const w = links[at]!;
  for (let j = 0; j < hostCount; j++) s.pruneSlot[j] = links[j]!;
  s.pruneSlot[at] = slot;
  g.setList(host, 0, s.pruneSlot, hostCount);

  const own = g.listOffset(slot, 0);
  const count = arr[own]!;
  for (let j = 1; j <= count; j++) if (arr[own + j] === w) return;
  if (count < g.maxM0) {
    g.appendLink(slot, 0, w);
    return;
  }
  for (let j = 0; j < count; j++) s.pruneSlot[j] = arr[own + 1 + j]!;
  s.pruneSlot[count - 1] = w;
  g.setList(slot, 0, s.pruneSlot, count);
}
