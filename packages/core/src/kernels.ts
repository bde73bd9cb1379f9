import type { Heap } from './heap.js';
import { kernelToDistanceInPlace } from './metric.js';
import type { Metric } from './metric.js';
import { jsCodeKernels } from './code-kernels.js';
import type { CodeKernels } from './code-kernels.js';

export type KernelBackend = 'js' | 'wasm-simd128';

/**
 * Distance kernels, batch-first so a WASM backend pays its call overhead once per block.
 * Offsets and strides are in elements (floats), not bytes. Rows are `stride` apart; `dim` values are read.
 * l2 returns squared Euclidean distance; dot returns the plain dot product.
 * The code kernels (SQ, PQ, Hamming, k-means assignment) come from CodeKernels.
 */
export interface Kernels extends CodeKernels {
  readonly backend: KernelBackend;
  /** Where rows should live for the kernels to read them in place (null: anywhere). */
  readonly heap: Heap | null;
  l2(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number;
  dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number;
  /** out[i] = l2(q@qOff, rows@(rowsOff + i*stride)) for i < n. */
  l2Many(q: Float32Array, qOff: number, rows: Float32Array, rowsOff: number, stride: number, n: number, dim: number, out: Float32Array): void;
  dotMany(q: Float32Array, qOff: number, rows: Float32Array, rowsOff: number, stride: number, n: number, dim: number, out: Float32Array): void;
  /** out[i] = l2(q@qOff, rows@(slots[i]*stride)) for i < n. */
  l2Gather(q: Float32Array, qOff: number, rows: Float32Array, stride: number, slots: Int32Array, n: number, dim: number, out: Float32Array): void;
  dotGather(q: Float32Array, qOff: number, rows: Float32Array, stride: number, slots: Int32Array, n: number, dim: number, out: Float32Array): void;
  /** Like l2Many / dotMany, but out[i] is already the metric's distance (ip: −dot, cosine: 1 − dot), in one pass. */
  distanceMany(metric: Metric, q: Float32Array, qOff: number, rows: Float32Array, rowsOff: number, stride: number, n: number, dim: number, out: Float32Array): void;
  /** Like l2Gather / dotGather, giving the metric's distance. */
  distanceGather(metric: Metric, q: Float32Array, qOff: number, rows: Float32Array, stride: number, slots: Int32Array, n: number, dim: number, out: Float32Array): void;
}

function l2(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  // Four independent accumulators let the CPU overlap the additions.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end4 = dim - (dim & 3);
  for (; i < end4; i += 4) {
    const d0 = a[ao + i]! - b[bo + i]!;
    const d1 = a[ao + i + 1]! - b[bo + i + 1]!;
    const d2 = a[ao + i + 2]! - b[bo + i + 2]!;
    const d3 = a[ao + i + 3]! - b[bo + i + 3]!;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < dim; i++) {
    const d = a[ao + i]! - b[bo + i]!;
    s0 += d * d;
  }
  return s0 + s1 + s2 + s3;
}

function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end4 = dim - (dim & 3);
  for (; i < end4; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < dim; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + s2 + s3;
}

function l2Many(q: Float32Array, qOff: number, rows: Float32Array, rowsOff: number, stride: number, n: number, dim: number, out: Float32Array): void {
  for (let i = 0, off = rowsOff; i < n; i++, off += stride) out[i] = l2(q, qOff, rows, off, dim);
}

function dotMany(q: Float32Array, qOff: number, rows: Float32Array, rowsOff: number, stride: number, n: number, dim: number, out: Float32Array): void {
  for (let i = 0, off = rowsOff; i < n; i++, off += stride) out[i] = dot(q, qOff, rows, off, dim);
}

function l2Gather(q: Float32Array, qOff: number, rows: Float32Array, stride: number, slots: Int32Array, n: number, dim: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = l2(q, qOff, rows, slots[i]! * stride, dim);
}

function dotGather(q: Float32Array, qOff: number, rows: Float32Array, stride: number, slots: Int32Array, n: number, dim: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = dot(q, qOff, rows, slots[i]! * stride, dim);
}

function distanceMany(metric: Metric, q: Float32Array, qOff: number, rows: Float32Array, rowsOff: number, stride: number, n: number, dim: number, out: Float32Array): void {
  if (metric === 'l2') return l2Many(q, qOff, rows, rowsOff, stride, n, dim, out);
  dotMany(q, qOff, rows, rowsOff, stride, n, dim, out);
  kernelToDistanceInPlace(metric, out, n);
}

function distanceGather(metric: Metric, q: Float32Array, qOff: number, rows: Float32Array, stride: number, slots: Int32Array, n: number, dim: number, out: Float32Array): void {
  if (metric === 'l2') return l2Gather(q, qOff, rows, stride, slots, n, dim, out);
  dotGather(q, qOff, rows, stride, slots, n, dim, out);
  kernelToDistanceInPlace(metric, out, n);
}

/** The portable kernels: plain TypeScript over typed arrays. Every other backend must agree with these. */
export const jsKernels: Kernels = Object.freeze({
  backend: 'js' as const,
  heap: null,
  l2,
  dot,
  l2Many,
  dotMany,
  l2Gather,
  dotGather,
  distanceMany,
  distanceGather,
  ...jsCodeKernels,
});

/** Rounds a dimension up to the padded row stride (a multiple of 4 floats, so SIMD needs no tail). */
export function paddedStride(dim: number): number {
  return (dim + 3) & ~3;
}
