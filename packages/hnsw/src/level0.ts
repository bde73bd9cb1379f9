import type { VectorStorage } from '@annkit/core';

/**
 * Where the level-0 link blocks live. Each slot has one block of (1 + 2m) int32 — the count, then the
 * neighbours — at `ints[slot * stride + extraBase]`. Float rows that keep int32s beside each row hold the
 * blocks themselves (hnswlib's layout: a node's links sit next to the vector that was scored just before it
 * is expanded, so expanding it rarely misses the cache); any other storage gets a plain array.
 */
export interface Level0Links {
  /** The current view. It can change when memory grows: read it again after anything that allocates. */
  readonly ints: Int32Array;
  /** Ints from one slot's block to the next. */
  readonly stride: number;
  /** Offset of slot 0's block. */
  readonly extraBase: number;
  /** Makes room for `slots` blocks (new blocks are zero). */
  reserve(slots: number): void;
}

/** A storage that keeps int32s beside each row, in the same block (core's Float32Storage with `extraInts`). */
interface RowsWithInts extends Level0Links {
  readonly extraInts: number;
}

/**
 * The level-0 blocks for rows in `storage`: the storage itself when it offers room for `blockInts` int32s
 * beside each row (a capability, detected by its shape, not its class), else a separate array.
 */
export function level0For(storage: VectorStorage, blockInts: number, initialCapacity: number): Level0Links {
  const rows = storage as VectorStorage & Partial<RowsWithInts>;
  if (typeof rows.extraBase === 'number' && typeof rows.extraInts === 'number' && rows.extraInts >= blockInts && rows.ints instanceof Int32Array) {
    return rows as VectorStorage & RowsWithInts;
  }
  return new SeparateLevel0(blockInts, initialCapacity);
}

/** Level-0 blocks in their own growable Int32Array. */
export class SeparateLevel0 implements Level0Links {
  ints: Int32Array;
  readonly stride: number;
  readonly extraBase = 0;
  private capacity: number;

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
