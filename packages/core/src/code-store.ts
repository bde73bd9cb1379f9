import { HeapArray } from './heap.js';
import type { Heap } from './heap.js';

/**
 * Fixed-size codes in dense slots (slot s at s × codeSize), growable, with swap-remove for true deletes:
 * the byte counterpart of core's VectorStore. Lives in the kernels' heap when they have one, so the
 * WASM code kernels read codes in place.
 */
export class CodeStore {
  readonly codeSize: number;
  private bytes: HeapArray<Uint8Array>;
  private count = 0;

  constructor(codeSize: number, heap: Heap | null = null, initialCapacity = 64) {
    this.codeSize = codeSize;
    this.bytes = new HeapArray(Uint8Array, heap, Math.max(1, initialCapacity) * codeSize);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return Math.floor(this.bytes.length / this.codeSize);
  }

  /** Current backing bytes (code of slot s at s × codeSize). Re-read after any call that may grow memory. */
  get data(): Uint8Array {
    return this.bytes.view;
  }

  get bytesUsed(): number {
    return this.count * this.codeSize;
  }

  reserve(codes: number): void {
    if (codes <= this.capacity) return;
    this.bytes.resize(Math.max(codes, Math.ceil(this.capacity * 1.5), 64) * this.codeSize);
  }

  /** Appends a zeroed code and returns its slot (write it through `data` at slot × codeSize). */
  appendEmpty(): number {
    this.reserve(this.count + 1);
    return this.count++;
  }

  /** Appends a copy of codeSize bytes from src@srcOff; returns the new slot. */
  append(src: Uint8Array, srcOff = 0): number {
    const slot = this.appendEmpty();
    this.bytes.view.set(src.subarray(srcOff, srcOff + this.codeSize), slot * this.codeSize);
    return slot;
  }

  /** Moves the last code into `slot`; returns the slot that moved, or -1 when `slot` was the last. */
  swapRemove(slot: number): number {
    const last = this.count - 1;
    const data = this.bytes.view;
    const size = this.codeSize;
    if (slot !== last) data.copyWithin(slot * size, last * size, (last + 1) * size);
    data.fill(0, last * size, (last + 1) * size);
    this.count = last;
    return slot === last ? -1 : last;
  }

  /** Drops every code past `size` (rolls back a failed batch). */
  truncate(size: number): void {
    if (size >= this.count) return;
    this.bytes.view.fill(0, size * this.codeSize, this.count * this.codeSize);
    this.count = size;
  }

  /** Packed copy of the codes in use. */
  exportPacked(): Uint8Array {
    return this.bytes.view.slice(0, this.count * this.codeSize);
  }

  free(): void {
    this.bytes.free();
  }
}
