import { HeapArray } from '../heap.js';
import type { Kernels } from '../kernels.js';
import { kernelToDistance } from '../metric.js';
import type { Metric } from '../metric.js';
import type { QueryDistance } from './vector-storage.js';

/** Float rows as the kernels read them: `rowLength` floats (dim padded to 4) every `stride` floats. */
export interface FloatRows {
  /** The current view (re-read after anything that may grow the kernels' heap). */
  readonly data: Float32Array;
  readonly stride: number;
  readonly rowLength: number;
}

/**
 * Distances over float32 rows: l2 as squared Euclidean, ip as −dot, cosine as 1 − dot (rows are unit length).
 * The query is copied once into a padded buffer in the kernels' heap, so WASM kernels read it in place.
 */
export class FloatDistance implements QueryDistance {
  private readonly kernels: Kernels;
  private readonly rows: FloatRows;
  private readonly metric: Metric;
  private readonly isL2: boolean;
  private readonly queryBuf: HeapArray<Float32Array>;
  private query: Float32Array;
  /** The rows view, refreshed on every bind: nothing grows the heap while a query is bound. */
  private data: Float32Array;
  private readonly stride: number;
  private readonly len: number;

  constructor(rows: FloatRows, kernels: Kernels, metric: Metric) {
    this.kernels = kernels;
    this.rows = rows;
    this.metric = metric;
    this.isL2 = metric === 'l2';
    this.stride = rows.stride;
    this.len = rows.rowLength;
    this.queryBuf = new HeapArray(Float32Array, kernels.heap, this.len);
    this.query = this.queryBuf.view;
    this.data = rows.data;
  }

  setQuery(query: Float32Array): void {
    this.data = this.rows.data;
    const q = (this.query = this.queryBuf.view);
    // Copy (padding stays zero): the caller's array may live outside the heap or be shorter than rowLength.
    const n = Math.min(query.length, this.len);
    for (let i = 0; i < n; i++) q[i] = query[i]!;
  }

  setQuerySlot(slot: number): void {
    this.data = this.rows.data;
    const q = (this.query = this.queryBuf.view);
    q.set(this.data.subarray(slot * this.stride, slot * this.stride + this.len));
  }

  one(slot: number): number {
    if (this.isL2) return this.kernels.l2(this.query, 0, this.data, slot * this.stride, this.len);
    return kernelToDistance(this.metric, this.kernels.dot(this.query, 0, this.data, slot * this.stride, this.len));
  }

  block(first: number, n: number, out: Float32Array): void {
    this.kernels.distanceMany(this.metric, this.query, 0, this.data, first * this.stride, this.stride, n, this.len, out);
  }

  gather(slots: Int32Array, n: number, out: Float32Array): void {
    this.kernels.distanceGather(this.metric, this.query, 0, this.data, this.stride, slots, n, this.len, out);
  }

  between(a: number, b: number): number {
    const stride = this.stride;
    const data = this.rows.data;
    if (this.isL2) return this.kernels.l2(data, a * stride, data, b * stride, this.len);
    return kernelToDistance(this.metric, this.kernels.dot(data, a * stride, data, b * stride, this.len));
  }

  betweenMany(a: number, slots: Int32Array, n: number, out: Float32Array): void {
    const data = this.rows.data;
    this.kernels.distanceGather(this.metric, data, a * this.stride, data, this.stride, slots, n, this.len, out);
  }

  free(): void {
    this.queryBuf.free();
  }
}
