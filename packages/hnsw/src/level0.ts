/**
 * Where the level-0 link blocks live. Each slot has one block of (1 + 2m) int32 — the count, then the
 * neighbours — at `ints[slot * stride + base]`. Float32 storage interleaves the blocks with the vectors
 * (hnswlib's layout: a node's links sit next to the vector that was scored just before it is expanded, so
 * expanding it rarely misses the cache); SQ8 storage keeps them in a plain array.
 */
export interface Level0Links {
  /** The current view. It can change when memory grows: read it again after anything that allocates. */
  readonly ints: Int32Array;
  /** Ints from one slot's block to the next. */
  readonly stride: number;
  /** Offset of slot 0's block. */
  readonly base: number;
  /** Ints reserved per block beyond the (1 + 2m) used (padding), for memory accounting. */
  readonly padding: number;
  /** Makes room for `slots` blocks (new blocks are zero). */
  reserve(slots: number): void;
  readonly capacity: number;
}

/** Level-0 blocks in their own growable Int32Array. */
export class SeparateLevel0 implements Level0Links {
  ints: Int32Array;
  readonly stride: number;
  readonly base = 0;
  readonly padding = 0;
  capacity: number;

  constructor(blockInts: number, initialCapacity: number) {
    this.stride = blockInts;
    this.capacity = Math.max(1, initialCapacity);
    this.ints = new Int32Array(this.capacity * blockInts);
  }

  reserve(slots: number): void {
    if (slots <= this.capacity) return;
    const next = Math.max(slots, Math.ceil(this.capacity * 1.5), 64);
    const ints = new Int32Array(next * this.stride);
    ints.set(this.ints);
    this.ints = ints;
    this.capacity = next;
  }
}
