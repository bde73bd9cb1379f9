import { AnnkitError, ProgressTracker, assertMetric } from '@annkit/core';
import type { LongTaskOptions, Metric } from '@annkit/core';
import { assertFinite, exactDistance, normalizedRows } from './exact-distance.js';
import { TopK64 } from './top-k64.js';

/** Exact neighbours of each query: `nQueries × k` ids and their float64 distances, nearest first. */
export interface GroundTruth {
  readonly ids: Int32Array;
  readonly distances: Float64Array;
  readonly k: number;
  readonly nQueries: number;
}

/** Queries scanned together: one pass over the base serves four independent float64 sums. */
const GROUP = 4;

/**
 * Exact k nearest base rows for every query, by brute force with float64 accumulation in index order.
 * Distances: l2 = squared Euclidean, ip = -dot, cosine = 1 - dot of normalised float64 copies.
 * Equal distances are ordered by the smaller base id. Returns `nQueries × k` ids, nearest first.
 * Reports progress in phase 'groundtruth' and honours `opts.signal` between groups of queries.
 */
export function computeGroundTruth(base: Float32Array, queries: Float32Array, dim: number, metric: Metric, k: number, opts?: LongTaskOptions): Int32Array {
  return computeGroundTruthWithDistances(base, queries, dim, metric, k, opts).ids;
}

/** computeGroundTruth that also returns each neighbour's exact distance (useful for tie tolerance). */
export function computeGroundTruthWithDistances(
  base: Float32Array,
  queries: Float32Array,
  dim: number,
  metric: Metric,
  k: number,
  opts?: LongTaskOptions,
): GroundTruth {
  const { nBase, nQueries } = checkInputs(base, queries, dim, metric);
  if (!Number.isInteger(k) || k < 1 || k > nBase) {
    throw new AnnkitError('INVALID_ARGUMENT', `k must be an integer in 1..${nBase} (the base size), got ${String(k)}.`);
  }
  const ids = new Int32Array(nQueries * k);
  const distances = new Float64Array(nQueries * k);
  const tracker = new ProgressTracker(opts, 'groundtruth', nQueries);
  const cosine = metric === 'cosine';
  const rows: Float32Array | Float64Array = cosine ? normalizedRows(base, nBase, dim, 'base') : base;
  const qs: Float32Array | Float64Array = cosine ? normalizedRows(queries, nQueries, dim, 'query') : queries;
  const qbuf = new Float64Array(GROUP * dim);
  const out = new Float64Array(GROUP);
  const heaps = Array.from({ length: GROUP }, () => new TopK64(k));
  const bounds = new Float64Array(GROUP);
  for (let q0 = 0; q0 < nQueries; q0 += GROUP) {
    const g = Math.min(GROUP, nQueries - q0);
    // Unused slots repeat the first query so the kernel always runs four sums.
    for (let t = 0; t < GROUP; t++) qbuf.set(qs.subarray((q0 + (t < g ? t : 0)) * dim, (q0 + (t < g ? t : 0) + 1) * dim), t * dim);
    for (let t = 0; t < g; t++) heaps[t]!.reset();
    for (let j = 0; j < nBase; j++) {
      if (metric === 'l2') l2x4(rows as Float32Array, j * dim, qbuf, dim, out);
      else if (cosine) cosx4(rows as Float64Array, j * dim, qbuf, dim, out);
      else ipx4(rows as Float32Array, j * dim, qbuf, dim, out);
      // Ids arrive in increasing order, so an equal distance never displaces a kept neighbour.
      for (let t = 0; t < g; t++) {
        const d = out[t]!;
        if (j < k || d < bounds[t]!) {
          heaps[t]!.push(d, j);
          bounds[t] = heaps[t]!.bound;
        }
      }
    }
    for (let t = 0; t < g; t++) heaps[t]!.drain(distances, ids, (q0 + t) * k);
    tracker.tick(g);
  }
  tracker.finish();
  return { ids, distances, k, nQueries };
}

/** Exact distances (same definition as computeGroundTruth) of given ground-truth ids; -1 ids give NaN. */
export function groundTruthDistances(base: Float32Array, queries: Float32Array, dim: number, metric: Metric, gt: Int32Array, gtK: number): Float64Array {
  const { nBase, nQueries } = checkInputs(base, queries, dim, metric);
  if (!Number.isInteger(gtK) || gtK < 1 || gt.length !== nQueries * gtK) {
    throw new AnnkitError('DIMENSION_MISMATCH', `Ground truth has ${gt.length} ids; ${nQueries} queries × gtK ${gtK} needs ${nQueries * gtK}.`);
  }
  const out = new Float64Array(gt.length);
  for (let q = 0; q < nQueries; q++) {
    for (let r = 0; r < gtK; r++) {
      const id = gt[q * gtK + r]!;
      out[q * gtK + r] = id >= 0 && id < nBase ? exactDistance(metric, queries, q, base, id, dim) : NaN;
    }
  }
  return out;
}

function checkInputs(base: Float32Array, queries: Float32Array, dim: number, metric: Metric): { nBase: number; nQueries: number } {
  assertMetric(metric);
  if (!Number.isInteger(dim) || dim < 1) throw new AnnkitError('INVALID_ARGUMENT', `dim must be a positive integer, got ${String(dim)}.`);
  if (!(base instanceof Float32Array) || !(queries instanceof Float32Array)) {
    throw new AnnkitError('INVALID_ARGUMENT', 'base and queries must be Float32Arrays (row-major).');
  }
  if (base.length % dim !== 0 || queries.length % dim !== 0) {
    throw new AnnkitError('DIMENSION_MISMATCH', `base (${base.length} values) and queries (${queries.length}) must be multiples of dim ${dim}.`);
  }
  assertFinite(base, dim, 'base');
  assertFinite(queries, dim, 'query');
  return { nBase: base.length / dim, nQueries: queries.length / dim };
}

// The x4 kernels keep one accumulator per query, summing in index order like a naive loop would.

function l2x4(b: Float32Array, o: number, q: Float64Array, dim: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < dim; i++) {
    const x = b[o + i]!;
    const d0 = x - q[i]!;
    const d1 = x - q[dim + i]!;
    const d2 = x - q[2 * dim + i]!;
    const d3 = x - q[3 * dim + i]!;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

function ipx4(b: Float32Array, o: number, q: Float64Array, dim: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < dim; i++) {
    const x = b[o + i]!;
    s0 += x * q[i]!;
    s1 += x * q[dim + i]!;
    s2 += x * q[2 * dim + i]!;
    s3 += x * q[3 * dim + i]!;
  }
  out[0] = -s0;
  out[1] = -s1;
  out[2] = -s2;
  out[3] = -s3;
}

function cosx4(b: Float64Array, o: number, q: Float64Array, dim: number, out: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < dim; i++) {
    const x = b[o + i]!;
    s0 += x * q[i]!;
    s1 += x * q[dim + i]!;
    s2 += x * q[2 * dim + i]!;
    s3 += x * q[3 * dim + i]!;
  }
  out[0] = 1 - s0;
  out[1] = 1 - s1;
  out[2] = 1 - s2;
  out[3] = 1 - s3;
}
