import { FREE } from './graph.js';
import type { GraphWriteLog, HnswGraph } from './graph.js';

/**
 * Rollback for addBatch: inserting links into existing nodes rewrites their blocks, so the first write to
 * each block that existed when the batch started saves its before-image. Restoring replays those images and
 * resets the graph's counters, which leaves the graph exactly (byte for byte) as it was.
 * Cost: one block copy per pre-existing block touched, nothing per search.
 */
export class UndoLog implements GraphWriteLog {
  private readonly slotLimit: number;
  private readonly upperLimit: number;
  private readonly touched0: Uint8Array;
  private readonly touchedUp: Uint8Array;
  private saved = new Int32Array(1024);
  private savedLength = 0;
  private readonly reused: number[] = [];
  private readonly scalars: { upperUsed: number; entryPoint: number; maxLevel: number; liveCount: number; tombstoneCount: number; freeCount: number };
  private readonly freeSlots: Int32Array;

  constructor(graph: HnswGraph) {
    this.slotLimit = graph.slotCount;
    this.upperLimit = graph.upperUsed;
    this.touched0 = new Uint8Array(graph.slotCount);
    this.touchedUp = new Uint8Array(Math.ceil(graph.upperUsed / graph.strideUp));
    this.scalars = {
      upperUsed: graph.upperUsed,
      entryPoint: graph.entryPoint,
      maxLevel: graph.maxLevel,
      liveCount: graph.liveCount,
      tombstoneCount: graph.tombstoneCount,
      freeCount: graph.freeCount,
    };
    this.freeSlots = graph.freeSlots.slice(0, graph.freeCount);
  }

  /** Called before a free slot is reused. */
  saveSlotMeta(graph: HnswGraph, slot: number): void {
    if (slot < this.slotLimit && graph.state[slot] === FREE) this.reused.push(slot);
  }

  /** Called before the first write to `slot`'s block at `level`. */
  saveBlock(graph: HnswGraph, slot: number, level: number): void {
    if (level === 0) {
      if (slot >= this.slotLimit || this.touched0[slot] === 1) return;
      this.touched0[slot] = 1;
      this.push(0, slot * graph.stride0 + graph.base0, graph.links0, graph.block0);
      return;
    }
    const offset = graph.upperOffset[slot]! + (level - 1) * graph.strideUp;
    if (offset >= this.upperLimit) return;
    const block = offset / graph.strideUp;
    if (this.touchedUp[block] === 1) return;
    this.touchedUp[block] = 1;
    this.push(1, offset, graph.upper, graph.strideUp);
  }

  private push(kind: number, offset: number, src: Int32Array, length: number): void {
    const need = this.savedLength + 2 + length;
    if (need > this.saved.length) {
      const next = new Int32Array(Math.max(need, this.saved.length * 2));
      next.set(this.saved.subarray(0, this.savedLength));
      this.saved = next;
    }
    this.saved[this.savedLength++] = kind;
    this.saved[this.savedLength++] = offset;
    this.saved.set(src.subarray(offset, offset + length), this.savedLength);
    this.savedLength += length;
  }

  /** Puts the graph back as it was when this log was created. */
  restore(graph: HnswGraph): void {
    for (let i = 0; i < this.savedLength; ) {
      const kind = this.saved[i++]!;
      const offset = this.saved[i++]!;
      const length = kind === 0 ? graph.block0 : graph.strideUp;
      (kind === 0 ? graph.links0 : graph.upper).set(this.saved.subarray(i, i + length), offset);
      i += length;
    }
    for (const slot of this.reused) clearSlot(graph, slot);
    for (let slot = this.slotLimit; slot < graph.slotCount; slot++) clearSlot(graph, slot);
    graph.slotCount = this.slotLimit;
    graph.upper.fill(0, this.scalars.upperUsed, graph.upperUsed);
    graph.upperUsed = this.scalars.upperUsed;
    graph.entryPoint = this.scalars.entryPoint;
    graph.maxLevel = this.scalars.maxLevel;
    graph.liveCount = this.scalars.liveCount;
    graph.tombstoneCount = this.scalars.tombstoneCount;
    graph.freeSlots.set(this.freeSlots);
    graph.freeCount = this.scalars.freeCount;
  }

  /** Slots that were free when the batch started and were reused by it. */
  get reusedSlots(): readonly number[] {
    return this.reused;
  }
}

function clearSlot(graph: HnswGraph, slot: number): void {
  graph.state[slot] = FREE;
  graph.levels[slot] = 0;
  graph.upperOffset[slot] = -1;
  const off = slot * graph.stride0 + graph.base0;
  graph.links0.fill(0, off, off + graph.block0);
}
