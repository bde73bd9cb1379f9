import type { Level0Links } from './level0.js';

/** Slot states. A tombstone still routes searches (its vector and links stay) but is never a result. */
export const FREE = 0;
export const LIVE = 1;
export const TOMBSTONE = 2;

/** Highest level a node can draw (levels are stored in a byte; P(level > 24) is negligible for m ≥ 2). */
export const MAX_LEVEL = 24;

/** Told before the graph overwrites state that existed when a batch began (addBatch's UndoLog). */
export interface GraphWriteLog {
  /** Before a slot is (re)allocated. */
  saveSlotMeta(graph: HnswGraph, slot: number): void;
  /** Before the first write to `slot`'s block at `level`. */
  saveBlock(graph: HnswGraph, slot: number, level: number): void;
}

/**
 * The HNSW graph: slots and links only, no vectors and no ids.
 *
 * Level 0: one fixed block of (1 + 2m) int32 per slot — the count, then the neighbours — held by a
 * Level0Links (interleaved with float32 rows, or a plain array); `links0` is its current view.
 * Levels ≥ 1: a node of level L owns L consecutive blocks of (1 + m) int32 in `upper`, starting at
 * `upperOffset[slot]` (−1 for level-0 nodes). Upper regions are bump-allocated and repacked in slot order
 * by compaction, so there is no free-list to get wrong.
 * Free slots (released by compaction) are reused smallest first; `freeSlots` keeps them in descending order.
 */
export class HnswGraph {
  readonly m: number;
  readonly maxM0: number;
  /** Ints in a level-0 block: the count and 2m links. */
  readonly block0: number;
  /** Ints from one slot's level-0 block to the next, and where slot 0's starts. */
  readonly stride0: number;
  readonly base0: number;
  readonly strideUp: number;
  private readonly level0: Level0Links;
  capacity: number;
  slotCount = 0;
  levels: Uint8Array;
  state: Uint8Array;
  upperOffset: Int32Array;
  upper: Int32Array;
  upperUsed = 0;
  entryPoint = -1;
  maxLevel = -1;
  liveCount = 0;
  tombstoneCount = 0;
  freeSlots: Int32Array;
  freeCount = 0;
  /** When set, before-images of pre-existing blocks are saved before their first write (addBatch rollback). */
  undo: GraphWriteLog | null = null;

  constructor(m: number, level0: Level0Links, initialCapacity = 64) {
    this.m = m;
    this.maxM0 = 2 * m;
    this.block0 = 2 * m + 1;
    this.level0 = level0;
    this.stride0 = level0.stride;
    this.base0 = level0.extraBase;
    this.strideUp = m + 1;
    this.capacity = Math.max(1, initialCapacity);
    level0.reserve(this.capacity);
    this.levels = new Uint8Array(this.capacity);
    this.state = new Uint8Array(this.capacity);
    this.upperOffset = new Int32Array(this.capacity).fill(-1);
    this.upper = new Int32Array(Math.max(16, this.strideUp * 4));
    this.freeSlots = new Int32Array(16);
  }

  /** The level-0 blocks' current view (read it again after anything that may grow the kernels' heap). */
  get links0(): Int32Array {
    return this.level0.ints;
  }

  /** Neighbour capacity of a level. */
  maxLinks(level: number): number {
    return level === 0 ? this.maxM0 : this.m;
  }

  /** The array holding `slot`'s block at `level`. */
  listArray(level: number): Int32Array {
    return level === 0 ? this.links0 : this.upper;
  }

  /** Offset of `slot`'s block at `level` (the count; neighbours follow). */
  listOffset(slot: number, level: number): number {
    return level === 0 ? slot * this.stride0 + this.base0 : this.upperOffset[slot]! + (level - 1) * this.strideUp;
  }

  reserve(slots: number): void {
    if (slots <= this.capacity) return;
    const next = Math.max(slots, Math.ceil(this.capacity * 1.5), 64);
    this.levels = grow(this.levels, next);
    this.state = grow(this.state, next);
    this.level0.reserve(next);
    const offsets = new Int32Array(next).fill(-1);
    offsets.set(this.upperOffset);
    this.upperOffset = offsets;
    this.capacity = next;
  }

  /** Takes the smallest free slot, or a new one at the end; marks it live at `level` with empty lists. */
  allocate(level: number): number {
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.freeSlots[--this.freeCount]!;
    } else {
      this.reserve(this.slotCount + 1);
      slot = this.slotCount++;
    }
    this.undo?.saveSlotMeta(this, slot);
    this.levels[slot] = level;
    this.state[slot] = LIVE;
    this.setCount(slot, 0, 0);
    if (level > 0) this.upperOffset[slot] = this.allocUpper(level);
    this.liveCount++;
    return slot;
  }

  private allocUpper(level: number): number {
    const need = level * this.strideUp;
    if (this.upperUsed + need > this.upper.length) this.upper = grow(this.upper, Math.max(this.upperUsed + need, Math.ceil(this.upper.length * 1.5)));
    const offset = this.upperUsed;
    this.upperUsed += need;
    this.upper.fill(0, offset, offset + need);
    return offset;
  }

  /** Number of neighbours of `slot` at `level`. */
  count(slot: number, level: number): number {
    return this.listArray(level)[this.listOffset(slot, level)]!;
  }

  /** Sets the count, zeroing entries past it so the bytes stay canonical. */
  setCount(slot: number, level: number, n: number): void {
    const arr = this.listArray(level);
    const off = this.listOffset(slot, level);
    this.undo?.saveBlock(this, slot, level);
    const old = arr[off]!;
    arr[off] = n;
    if (old > n) arr.fill(0, off + 1 + n, off + 1 + old);
  }

  /** Replaces `slot`'s list at `level` with the first n entries of `src`. */
  setList(slot: number, level: number, src: Int32Array, n: number): void {
    const arr = this.listArray(level);
    const off = this.listOffset(slot, level);
    this.undo?.saveBlock(this, slot, level);
    const old = arr[off]!;
    arr[off] = n;
    for (let i = 0; i < n; i++) arr[off + 1 + i] = src[i]!;
    if (old > n) arr.fill(0, off + 1 + n, off + 1 + old);
  }

  /** Appends one neighbour (the caller checked there is room). */
  appendLink(slot: number, level: number, neighbour: number): void {
    const arr = this.listArray(level);
    const off = this.listOffset(slot, level);
    this.undo?.saveBlock(this, slot, level);
    const n = arr[off]!;
    arr[off + 1 + n] = neighbour;
    arr[off] = n + 1;
  }

  /** Marks a live slot as a tombstone. */
  bury(slot: number): void {
    this.state[slot] = TOMBSTONE;
    this.liveCount--;
    this.tombstoneCount++;
  }

  /** Releases a slot completely (links cleared; the caller repacks `upper` and rebuilds the free list). */
  release(slot: number): void {
    if (this.state[slot] === LIVE) this.liveCount--;
    else if (this.state[slot] === TOMBSTONE) this.tombstoneCount--;
    this.state[slot] = FREE;
    this.levels[slot] = 0;
    const off = slot * this.stride0 + this.base0;
    this.links0.fill(0, off, off + this.block0);
    this.upperOffset[slot] = -1;
  }

  /**
   * Rebuilds the derived bookkeeping after slots were released: drops trailing free slots, lists the
   * remaining free slots (descending), and repacks the upper regions in slot order.
   */
  settle(): void {
    while (this.slotCount > 0 && this.state[this.slotCount - 1] === FREE) this.slotCount--;
    let free = 0;
    for (let s = 0; s < this.slotCount; s++) if (this.state[s] === FREE) free++;
    if (this.freeSlots.length < free) this.freeSlots = new Int32Array(Math.max(free, this.freeSlots.length * 2));
    this.freeCount = 0;
    for (let s = this.slotCount - 1; s >= 0; s--) if (this.state[s] === FREE) this.freeSlots[this.freeCount++] = s;
    this.repackUpper();
  }

  private repackUpper(): void {
    let total = 0;
    for (let s = 0; s < this.slotCount; s++) total += this.levels[s]! * this.strideUp;
    const packed = new Int32Array(Math.max(16, total));
    let at = 0;
    for (let s = 0; s < this.slotCount; s++) {
      const size = this.levels[s]! * this.strideUp;
      if (size === 0) continue;
      packed.set(this.upper.subarray(this.upperOffset[s]!, this.upperOffset[s]! + size), at);
      this.upperOffset[s] = at;
      at += size;
    }
    this.upper = packed;
    this.upperUsed = at;
  }

  /** Upper links of all slots in slot order (the canonical serialised form). */
  packedUpper(): Int32Array {
    let total = 0;
    for (let s = 0; s < this.slotCount; s++) total += this.levels[s]! * this.strideUp;
    const out = new Int32Array(total);
    let at = 0;
    for (let s = 0; s < this.slotCount; s++) {
      const size = this.levels[s]! * this.strideUp;
      if (size === 0) continue;
      out.set(this.upper.subarray(this.upperOffset[s]!, this.upperOffset[s]! + size), at);
      at += size;
    }
    return out;
  }

  /** Level-0 blocks of the first `slots` slots, packed (the canonical serialised form). */
  packedLevel0(): Int32Array {
    const out = new Int32Array(this.slotCount * this.block0);
    const links = this.links0;
    for (let s = 0; s < this.slotCount; s++) {
      const off = s * this.stride0 + this.base0;
      out.set(links.subarray(off, off + this.block0), s * this.block0);
    }
    return out;
  }

  /** Loads packed level-0 blocks for `slots` slots (the inverse of packedLevel0). */
  loadLevel0(packed: Int32Array, slots: number): void {
    this.reserve(slots);
    const links = this.links0;
    for (let s = 0; s < slots; s++) links.set(packed.subarray(s * this.block0, (s + 1) * this.block0), s * this.stride0 + this.base0);
  }

  /** Bytes held for the slots in use: upper regions, offsets, levels and states (the rows hold level 0). */
  get memoryBytes(): number {
    return this.slotCount * (4 + 2) + this.upperUsed * 4;
  }

  /** Picks the live node of highest level (smallest slot on ties) as entry point; −1 when none is live. */
  chooseEntryPoint(): void {
    let best = -1;
    let bestLevel = -1;
    for (let s = 0; s < this.slotCount; s++) {
      if (this.state[s] === LIVE && this.levels[s]! > bestLevel) {
        best = s;
        bestLevel = this.levels[s]!;
      }
    }
    this.entryPoint = best;
    this.maxLevel = bestLevel;
  }
}

function grow<T extends Uint8Array | Int32Array>(arr: T, length: number): T {
  const next = new (arr.constructor as new (n: number) => T)(length);
  next.set(arr as never);
  return next;
}
