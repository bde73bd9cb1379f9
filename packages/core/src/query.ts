import { HeapArray } from './heap.js';
import type { Kernels } from './kernels.js';
import { paddedStride } from './kernels.js';
import type { Metric } from './metric.js';
import { assertVector } from './validate.js';

/**
 * A reusable query buffer with the row layout (padded stride) that lives beside the rows, so WASM kernels
 * read it in place: the query is copied once per search, never per kernel call.
 */
export class QueryScratch {
  private readonly buf: HeapArray<Float32Array>;
  readonly dim: number;
  readonly metric: Metric;

  constructor(dim: number, metric: Metric, kernels: Kernels) {
    this.dim = dim;
    this.metric = metric;
    this.buf = new HeapArray(Float32Array, kernels.heap, paddedStride(dim));
  }

  /** Validates `query`, copies it in (normalised under cosine) and returns the buffer view. */
  load(query: Float32Array, name = 'query'): Float32Array {
    const norm = assertVector(query, this.dim, this.metric, name);
    return this.loadTrusted(query, 0, norm);
  }

  /** Copies an already validated row (with its squared norm) into the buffer. */
  loadTrusted(src: Float32Array, srcOff: number, squaredNorm: number): Float32Array {
    const view = this.buf.view;
    const scale = this.metric === 'cosine' ? 1 / Math.sqrt(squaredNorm) : 1;
    for (let i = 0; i < this.dim; i++) view[i] = src[srcOff + i]! * scale;
    return view;
  }

  get view(): Float32Array {
    return this.buf.view;
  }
}

/** Squared norm of dim values from `off` (float64 accumulation). */
export function squaredNorm(v: Float32Array, off: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[off + i]! * v[off + i]!;
  return s;
}
