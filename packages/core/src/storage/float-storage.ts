import { AnnkitError } from '../errors.js';
import { HeapArray } from '../heap.js';
import type { Kernels } from '../kernels.js';
import { paddedStride } from '../kernels.js';
import type { Metric } from '../metric.js';
import { FloatDistance } from './float-distance.js';
import { assertStoredRows } from './stored-rows.js';
import type { QueryDistance, VectorStorage } from './vector-storage.js';

export interface Float32StorageOptions {
  /** Rows to reserve up front. */
  initialCapacity?: number;
  /**
   * Int32 values kept beside each row, in the same block (hnswlib's layout: a graph node's level-0 links sit
   * next to the vector scored just before the node is expanded, so expanding it rarely misses the cache).
   * Read and written through `ints` at `slot * stride + extraBase`. Default 0.
   */
  extraInts?: number;
}

/**
 * Raw float32 rows, one block per slot in the kernels' heap:
 *   [ row: paddedStride(dim) floats (zeros after dim) | extraInts int32 | zero padding to a multiple of 4 ]
 * The kernels read rows with the block as stride; the padding adds nothing to l2 or dot, so SIMD needs no tail.
 */
export class Float32Storage implements VectorStorage {
  readonly kind = 'f32' as const;
  readonly dim: number;
  readonly metric: Metric;
  readonly kernels: Kernels;
  readonly codeSize: number;
  readonly isTrained = true;
  /** Floats read per row by the kernels (dim rounded up to 4). */
  readonly rowLength: number;
  /** Floats (= ints) from one block to the next. */
  readonly stride: number;
  /** Offset of the extra ints within a block. */
  readonly extraBase: number;
  readonly extraInts: number;
  private readonly blocks: HeapArray<Float32Array>;
  private floatView: Float32Array;
  private intView: Int32Array;
  private rows = 0;

  constructor(dim: number, metric: Metric, kernels: Kernels, options: Float32StorageOptions = {}) {
    this.dim = dim;
    this.metric = metric;
    this.kernels = kernels;
    this.codeSize = 4 * dim;
    this.rowLength = paddedStride(dim);
    this.extraInts = options.extraInts ?? 0;
    this.extraBase = this.rowLength;
    this.stride = (this.rowLength + this.extraInts + 3) & ~3;
    const capacity = Math.max(1, options.initialCapacity ?? 64);
    this.blocks = new HeapArray(Float32Array, kernels.heap, capacity * this.stride);
    this.floatView = this.blocks.view;
    this.intView = new Int32Array(this.floatView.buffer, this.floatView.byteOffset, this.floatView.length);
  }

  get size(): number {
    return this.rows;
  }

  get capacity(): number {
    return this.blocks.length / this.stride;
  }

  /** The current float view of the blocks (row of slot s at s × stride). */
  get data(): Float32Array {
    this.sync();
    return this.floatView;
  }

  /** The current int view of the same blocks (extra ints of slot s at s × stride + extraBase). */
  get ints(): Int32Array {
    this.sync();
    return this.intView;
  }

  get bytesUsed(): number {
    return this.rows * this.stride * 4;
  }

  private sync(): void {
    const view = this.blocks.view;
    if (view !== this.floatView) {
      this.floatView = view;
      this.intView = new Int32Array(view.buffer, view.byteOffset, view.length);
    }
  }

  train(): void {
    // Raw floats need no training.
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const next = Math.max(rows, Math.ceil(this.capacity * 1.5), 64);
    this.blocks.resize(next * this.stride);
    this.sync();
  }

  append(src: Float32Array, srcOff: number): number {
    const slot = this.rows;
    this.write(slot, src, srcOff);
    return slot;
  }

  write(slot: number, src: Float32Array, srcOff: number): void {
    if (slot >= this.rows) {
      this.reserve(slot + 1);
      this.rows = slot + 1;
    }
    const data = this.data;
    const off = slot * this.stride;
    for (let i = 0; i < this.dim; i++) data[off + i] = src[srcOff + i]!;
  }

  read(slot: number, out: Float32Array, outOff = 0): Float32Array {
    const data = this.data;
    const off = slot * this.stride;
    for (let i = 0; i < this.dim; i++) out[outOff + i] = data[off + i]!;
    return out;
  }

  clear(slot: number): void {
    const off = slot * this.stride;
    this.data.fill(0, off, off + this.rowLength);
  }

  swapRemove(slot: number): number {
    const last = this.rows - 1;
    const data = this.data;
    const stride = this.stride;
    if (slot !== last) data.copyWithin(slot * stride, last * stride, (last + 1) * stride);
    data.fill(0, last * stride, (last + 1) * stride);
    this.rows = last;
    return slot === last ? -1 : last;
  }

  truncate(rows: number): void {
    if (rows >= this.rows) return;
    // Whole blocks: spare blocks must be all zero (extra ints included).
    this.data.fill(0, rows * this.stride, this.rows * this.stride);
    this.rows = rows;
  }

  createDistance(): QueryDistance {
    return new FloatDistance(this, this.kernels, this.metric);
  }

  exportRows(): Uint8Array {
    const out = new Float32Array(this.rows * this.dim);
    for (let s = 0; s < this.rows; s++) this.read(s, out, s * this.dim);
    return new Uint8Array(out.buffer);
  }

  importRows(bytes: Uint8Array, count: number): void {
    const dim = this.dim;
    if (bytes.byteLength !== count * dim * 4) throw new AnnkitError('CORRUPT_DATA', `Corrupt data: ${count} float rows of dim ${dim} need ${count * dim * 4} bytes, got ${bytes.byteLength}.`);
    const rows = bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, count * dim) : new Float32Array(bytes.slice().buffer);
    assertStoredRows(rows, count, dim, this.metric);
    this.reserve(this.rows + count);
    for (let s = 0; s < count; s++) this.append(rows, s * dim);
  }

  exportState(): Uint8Array {
    return new Uint8Array(0);
  }

  importState(bytes: Uint8Array): void {
    if (bytes.byteLength !== 0) throw new AnnkitError('CORRUPT_DATA', 'Corrupt data: float storage has no trained state, but state bytes were given.');
  }

  free(): void {
    this.blocks.free();
    this.rows = 0;
  }
}
