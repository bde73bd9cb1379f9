import type { DistanceComputer, Kernels, Metric } from '@annkit/core';

/** What graph construction needs beyond core's DistanceComputer: one stored row against many, in one call. */
export interface GraphDistance extends DistanceComputer {
  /** out[i] = between(a, slots[i]) for i < n. */
  betweenMany(a: number, slots: Int32Array, n: number, out: Float32Array): void;
}

/** Rows the kernels can read: `rowLength` floats (dim padded to 4, zeros after dim) every `stride` floats. */
export interface RowSource {
  /** The current view (re-read after anything that may grow the kernels' heap). */
  readonly data: Float32Array;
  readonly stride: number;
  readonly rowLength: number;
}

/**
 * Distances over float32 rows: l2 as squared Euclidean, ip as −dot, cosine as 1 − dot (rows are unit length).
 * Kernels get the padded row length (the zero padding adds nothing), so SIMD needs no tail.
 */
export class FloatDistance implements GraphDistance {
  private readonly kernels: Kernels;
  private readonly source: RowSource;
  private readonly isL2: boolean;
  /** dot → distance: distance = bias − dot (ip: 0, cosine: 1). */
  private readonly bias: number;
  private query: Float32Array = new Float32Array(0);
  /** The rows view, refreshed on every setQuery: nothing grows the kernels' heap while a query is bound. */
  private rows: Float32Array;
  private readonly stride: number;
  private readonly len: number;

  constructor(kernels: Kernels, source: RowSource, metric: Metric) {
    this.kernels = kernels;
    this.source = source;
    this.isL2 = metric === 'l2';
    this.bias = metric === 'cosine' ? 1 : 0;
    this.rows = source.data;
    this.stride = source.stride;
    this.len = source.rowLength;
  }

  setQuery(query: Float32Array): void {
    this.query = query;
    this.rows = this.source.data;
  }

  distance(slot: number): number {
    const stride = this.stride;
    const rows = this.rows;
    if (this.isL2) return this.kernels.l2(this.query, 0, rows, slot * stride, this.len);
    return this.bias - this.kernels.dot(this.query, 0, rows, slot * stride, this.len);
  }

  distances(slots: Int32Array, n: number, out: Float32Array): void {
    const stride = this.stride;
    const rows = this.rows;
    if (this.isL2) {
      this.kernels.l2Gather(this.query, 0, rows, stride, slots, n, this.len, out);
      return;
    }
    this.kernels.dotGather(this.query, 0, rows, stride, slots, n, this.len, out);
    const bias = this.bias;
    for (let i = 0; i < n; i++) out[i] = bias - out[i]!;
  }

  between(a: number, b: number): number {
    const stride = this.stride;
    const rows = this.rows;
    if (this.isL2) return this.kernels.l2(rows, a * stride, rows, b * stride, this.len);
    return this.bias - this.kernels.dot(rows, a * stride, rows, b * stride, this.len);
  }

  betweenMany(a: number, slots: Int32Array, n: number, out: Float32Array): void {
    const stride = this.stride;
    const rows = this.rows;
    if (this.isL2) {
      this.kernels.l2Gather(rows, a * stride, rows, stride, slots, n, this.len, out);
      return;
    }
    this.kernels.dotGather(rows, a * stride, rows, stride, slots, n, this.len, out);
    const bias = this.bias;
    for (let i = 0; i < n; i++) out[i] = bias - out[i]!;
  }
}
