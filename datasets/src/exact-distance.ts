import { AnnkitError } from '@annkit/core';
import type { Metric } from '@annkit/core';

/*
 * The reference distance used for ground truth and tie-tolerant recall. Sums run in float64, in index
 * order 0..dim-1 with one accumulator, so every path here (and a naive loop) gives bit-identical values:
 * - l2: squared Euclidean distance;
 * - ip: negated dot product;
 * - cosine: 1 - dot of float64 copies normalised by x_i / sqrt(sum x_i^2).
 */

/** Float64 copy of `n` rows, each divided by its float64 norm (rows with no direction are rejected). */
export function normalizedRows(data: Float32Array, n: number, dim: number, name: string): Float64Array {
  const out = new Float64Array(n * dim);
  for (let r = 0, o = 0; r < n; r++, o += dim) {
    const norm = Math.sqrt(sumSquares(data, o, dim));
    if (!(norm > 0) || !Number.isFinite(norm)) throw noDirection(name, r, norm);
    for (let i = 0; i < dim; i++) out[o + i] = data[o + i]! / norm;
  }
  return out;
}

/** Float64 sum of squares of dim values from `off`, in index order. */
export function sumSquares(v: ArrayLike<number>, off: number, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += v[off + i]! * v[off + i]!;
  return s;
}

/** Exact distance between row `a` of `x` and row `b` of `y` (rows `dim` apart), as ground truth computes it. */
export function exactDistance(metric: Metric, x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  const xo = a * dim;
  const yo = b * dim;
  let s = 0;
  if (metric === 'l2') {
    for (let i = 0; i < dim; i++) {
      const d = x[xo + i]! - y[yo + i]!;
      s += d * d;
    }
    return s;
  }
  if (metric === 'ip') {
    for (let i = 0; i < dim; i++) s += x[xo + i]! * y[yo + i]!;
    return -s;
  }
  // Same per-value division as normalizedRows, so the products are bit-identical.
  const nx = Math.sqrt(sumSquares(x, xo, dim));
  const ny = Math.sqrt(sumSquares(y, yo, dim));
  for (let i = 0; i < dim; i++) s += (x[xo + i]! / nx) * (y[yo + i]! / ny);
  return 1 - s;
}

function noDirection(name: string, row: number, norm: number): AnnkitError {
  return new AnnkitError('INVALID_VECTOR', `${name} row ${row} has norm ${norm}; the cosine metric needs finite, non-zero vectors.`);
}

/** Rejects NaN/Infinity values, which would make "exact" neighbours meaningless. */
export function assertFinite(data: Float32Array, dim: number, name: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      throw new AnnkitError('INVALID_VECTOR', `${name} row ${Math.floor(i / dim)} has a non-finite value (${v}) at position ${i % dim}.`);
    }
  }
}
