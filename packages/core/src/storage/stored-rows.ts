import { corrupt } from '../errors.js';
import type { Metric } from '../metric.js';
import { MAX_SQUARED_NORM } from '../validate.js';

/**
 * How far the squared norm of a cosine row read from a file may be from 1. Rows are scaled to unit length
 * in float64 and stored as float32 (error ~1e-7 × √dim); anything further off was not written by serialize().
 */
export const UNIT_NORM_TOLERANCE = 1e-3;

/**
 * The largest squared norm an l2/ip row read from a file may have: a row add() accepted (≤ MAX_SQUARED_NORM),
 * with room for a residual against a centroid (at most twice as long). Distances to any valid query then stay
 * below (1 + 2)² · MAX_SQUARED_NORM < FLT_MAX.
 */
export const MAX_STORED_SQUARED_NORM = 4 * MAX_SQUARED_NORM;

/**
 * The largest magnitude a decoded component may have (a quantizer's range end, a codebook value): a
 * component of a row or residual within MAX_STORED_SQUARED_NORM.
 */
export const MAX_STORED_COMPONENT = Math.sqrt(MAX_STORED_SQUARED_NORM);

/**
 * Checks `count` float rows read from a file (row r at r × dim) against what add() could have stored under
 * `metric`: finite values, unit length under cosine (a file whose metric byte was changed from l2 fails
 * here; all-zero rows are cleared slots), and a squared norm within MAX_STORED_SQUARED_NORM otherwise.
 * Throws CORRUPT_DATA.
 */
export function assertStoredRows(rows: Float32Array, count: number, dim: number, metric: Metric): void {
  if (metric !== 'cosine') {
    assertBoundedRows(rows, count, dim, 'row');
    return;
  }
  for (let r = 0; r < count; r++) {
    const off = r * dim;
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      const v = rows[off + i]!;
      if (v - v !== 0) throw corrupt(`vector value ${v} at row ${r} is not finite`);
      norm += v * v;
    }
    // An all-zero row is a cleared slot (HNSW keeps freed slots in place); it scores a harmless 1.
    if (norm !== 0 && !(Math.abs(norm - 1) <= UNIT_NORM_TOLERANCE)) throw corrupt(`row ${r} has squared norm ${norm.toPrecision(4)} under the cosine metric, whose rows are stored at unit length`);
  }
}

/**
 * Checks `count` float rows read from a file that need not be unit length (l2/ip rows; centroids, which are
 * means of stored rows): finite, with a squared norm within MAX_STORED_SQUARED_NORM. Throws CORRUPT_DATA.
 */
export function assertBoundedRows(rows: Float32Array, count: number, dim: number, what: string): void {
  for (let r = 0; r < count; r++) {
    const off = r * dim;
    let norm = 0;
    for (let i = 0; i < dim; i++) {
      const v = rows[off + i]!;
      if (v - v !== 0) throw corrupt(`${what} ${r} holds a value ${v} that is not finite`);
      norm += v * v;
    }
    if (!(norm <= MAX_STORED_SQUARED_NORM)) throw corrupt(`${what} ${r} has squared norm ${norm.toPrecision(3)}, beyond any row add() accepts (${MAX_STORED_SQUARED_NORM.toPrecision(3)})`);
  }
}

/**
 * Checks quantized rows read from a file, decoded one at a time into `row`: every decoded row must be finite
 * and within twice MAX_STORED_SQUARED_NORM (the slack is quantization error), so that no decoded distance
 * overflows float32 however the ranges, codebooks or codes were crafted. Throws CORRUPT_DATA.
 */
export function assertDecodedRows(count: number, dim: number, decode: (r: number, row: Float32Array) => void): void {
  const row = new Float32Array(dim);
  for (let r = 0; r < count; r++) {
    decode(r, row);
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += row[i]! * row[i]!;
    if (!(norm <= 2 * MAX_STORED_SQUARED_NORM)) throw corrupt(`code ${r} decodes to a row of squared norm ${norm.toPrecision(3)}, beyond any row add() accepts`);
  }
}
