import { HeapArray } from './heap.js';
import type { Heap } from './heap.js';
import { paddedStride } from './kernels.js';

/**
 * Contiguous row-major float32 rows with a padded stride (zeros in the padding add nothing to l2 or dot).
 * Grows by reallocation (no fixed capacity); deletes are swap-removes so rows stay dense.
 */
export class VectorStore {
  readonly dim: number;
  readonly stride: number;
  private rows: HeapArray<Float32Array>;
  private count = 0;

  constructor(dim: number, heap: Heap | null = null, initialCapacity = 64) {
    this.dim = dim;
    this.stride = paddedStride(dim);
    this.rows = new HeapArray(Float32Array, heap, Math.max(1, initialCapacity) * this.stride);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.rows.length / this.stride;
  }

  /** Current backing view (row i at i*stride). Re-read after any call that may grow memory. */
  get data(): Float32Array {
    return this.rows.view;
  }

  /** Bytes held by the rows in use (excluding spare capacity). */
  get bytesUsed(): number {
    return this.count * this.stride * 4;
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const next = Math.max(rows, Math.ceil(this.capacity * 1.5), 64);
    this.rows.resize(next * this.stride);
  }

  /** Appends `dim` values from src@srcOff; returns the new slot. */
  append(src: Float32Array, srcOff = 0): number {
    this.reserve(this.count + 1);
    const slot = this.count++;
    this.write(slot, src, srcOff);
    return slot;
  }

  /** Overwrites the row at `slot` (padding stays zero). */
  write(slot: number, src: Float32Array, srcOff = 0): void {
    const data = this.rows.view;
    const off = slot * this.stride;
    for (let i = 0; i < this.dim; i++) data[off + i] = src[srcOff + i]!;
  }

  /** Scales the row at `slot` in place by `factor` (used to normalise for cosine). */
  scale(slot: number, factor: number): void {
    const data = this.rows.view;
    const off = slot * this.stride;
    for (let i = 0; i < this.dim; i++) data[off + i] = data[off + i]! * factor;
  }

  /** Copies the row at `slot` into dst@dstOff (dim values). */
  read(slot: number, dst: Float32Array, dstOff = 0): Float32Array {
    const data = this.rows.view;
    const off = slot * this.stride;
    for (let i = 0; i < this.dim; i++) dst[dstOff + i] = data[off + i]!;
    return dst;
  }

  /**
   * Removes `slot` by moving the last row into it. Returns the slot that moved
   * (the old last slot), or -1 when the removed row was the last one.
   */
  swapRemove(slot: number): number {
    const last = this.count - 1;
    const data = this.rows.view;
    if (slot !== last) data.copyWithin(slot * this.stride, last * this.stride, (last + 1) * this.stride);
    data.fill(0, last * this.stride, (last + 1) * this.stride);
    this.count = last;
    return slot === last ? -1 : last;
  }

  /** Drops all rows past `size` (used to roll back a failed batch). */
  truncate(size: number): void {
    if (size >= this.count) return;
    this.rows.view.fill(0, size * this.stride, this.count * this.stride);
    this.count = size;
  }

  /** Packed copy of the rows in use, without padding (dim values per row). */
  exportPacked(): Float32Array {
    const out = new Float32Array(this.count * this.dim);
    for (let s = 0; s < this.count; s++) this.read(s, out, s * this.dim);
    return out;
  }

  free(): void {
    this.rows.free();
  }
}
