import { HeapArray, QueryScratch, paddedStride } from '@annkit/core';
import type { Kernels, Metric } from '@annkit/core';
import { FloatDistance } from './float-distance.js';
import type { GraphDistance, RowSource } from './float-distance.js';
import type { Level0Links } from './level0.js';

/**
 * Where the vectors live, as the graph needs them: by slot, through a DistanceComputer. Rows given to
 * `write` are already prepared for the metric (unit length under cosine).
 */
export interface HnswStorage {
  readonly dc: GraphDistance;
  /** Reserves room for `slots` rows. */
  reserve(slots: number): void;
  /** Stores a prepared row at `slot` (slot ≤ the rows in use; slot = size appends). */
  write(slot: number, src: Float32Array, srcOff: number): void;
  /** Zeroes the row at `slot` (a released slot). */
  clear(slot: number): void;
  /** Drops rows from `slots` on. */
  truncate(slots: number): void;
  /** Binds a prepared query (a view that stays valid while searching). */
  bindQuery(query: Float32Array): void;
  /** Binds the stored row of `slot` as the query (graph repair). */
  bindSlot(slot: number): void;
  /** Copies the row of `slot` (dim values) into `out`. */
  read(slot: number, out: Float32Array): Float32Array;
  /** Bytes held for `slots` rows (level-0 links excluded: the graph counts them). */
  bytesFor(slots: number): number;
  /** Rows of the first `slots` slots, packed without padding (the serialised form). */
  exportPacked(slots: number): Float32Array;
}

/**
 * Float32 rows interleaved with the level-0 links, one block per slot in the kernels' heap:
 *   [ row: paddedStride(dim) floats | count + 2m links: int32 | zero padding to a multiple of 4 ]
 * The kernels read rows with the block as stride; the graph reads links through an Int32Array view of the
 * same memory. Views are re-derived whenever the heap's buffer changes (memory growth detaches them).
 */
export class FloatStorage implements HnswStorage, Level0Links, RowSource {
  readonly dc: FloatDistance;
  readonly dim: number;
  readonly rowLength: number;
  /** Floats (= ints) per block. */
  readonly stride: number;
  /** Offset of the links within a block. */
  readonly base: number;
  readonly padding: number;
  private readonly blocks: HeapArray<Float32Array>;
  private floats: Float32Array;
  private intView: Int32Array;
  private rows = 0;
  private readonly slotQuery: QueryScratch;

  constructor(dim: number, metric: Metric, kernels: Kernels, initialCapacity: number, linkInts: number) {
    this.dim = dim;
    this.rowLength = paddedStride(dim);
    this.base = this.rowLength;
    this.stride = (this.rowLength + linkInts + 3) & ~3;
    this.padding = this.stride - this.rowLength - linkInts;
    this.blocks = new HeapArray(Float32Array, kernels.heap, Math.max(1, initialCapacity) * this.stride);
    this.floats = this.blocks.view;
    this.intView = new Int32Array(this.floats.buffer, this.floats.byteOffset, this.floats.length);
    this.dc = new FloatDistance(kernels, this, metric);
    this.slotQuery = new QueryScratch(dim, 'l2', kernels);
  }

  /** The current float view of the blocks (rows at slot × stride). */
  get data(): Float32Array {
    this.sync();
    return this.floats;
  }

  /** The current int view of the blocks (links at slot × stride + base). */
  get ints(): Int32Array {
    this.sync();
    return this.intView;
  }

  get capacity(): number {
    return this.blocks.length / this.stride;
  }

  private sync(): void {
    const view = this.blocks.view;
    if (view !== this.floats) {
      this.floats = view;
      this.intView = new Int32Array(view.buffer, view.byteOffset, view.length);
    }
  }

  reserve(slots: number): void {
    if (slots <= this.capacity) return;
    const next = Math.max(slots, Math.ceil(this.capacity * 1.5), 64);
    this.blocks.resize(next * this.stride);
    this.sync();
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

  clear(slot: number): void {
    const off = slot * this.stride;
    this.data.fill(0, off, off + this.rowLength);
  }

  truncate(slots: number): void {
    if (slots >= this.rows) return;
    // Whole blocks: the graph has already cleared their links, and free blocks must be all zero.
    this.data.fill(0, slots * this.stride, this.rows * this.stride);
    this.rows = slots;
  }

  bindQuery(query: Float32Array): void {
    this.dc.setQuery(query);
  }

  bindSlot(slot: number): void {
    // A copy, not a view of the blocks: a view would go stale if the kernels' heap grew.
    this.dc.setQuery(this.slotQuery.loadTrusted(this.data, slot * this.stride, 1));
  }

  read(slot: number, out: Float32Array, outOff = 0): Float32Array {
    const data = this.data;
    const off = slot * this.stride;
    for (let i = 0; i < this.dim; i++) out[outOff + i] = data[off + i]!;
    return out;
  }

  bytesFor(slots: number): number {
    return slots * this.rowLength * 4;
  }

  exportPacked(slots: number): Float32Array {
    const out = new Float32Array(slots * this.dim);
    for (let s = 0; s < slots; s++) this.read(s, out, s * this.dim);
    return out;
  }
}
