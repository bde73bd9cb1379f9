import { HeapArray, ProgressTracker, Rng, paddedStride, throwIfAborted } from '@annkit/core';
import type { Kernels } from '@annkit/core';
import { seedKMeansPlusPlus, seedRandom } from './init.js';
import type { TrainingRows } from './init.js';
import { MIN_POINTS_PER_CENTROID, resolveOptions } from './options.js';
import type { KMeansOptions, ResolvedKMeansOptions } from './options.js';
import { normalizeRow, repairEmptyClusters } from './repair.js';

export interface KMeansResult {
  /** k × dim centroids, row-major, packed (no padding). */
  centroids: Float32Array;
  /** Centroids actually produced: min(requested k, number of samples). */
  k: number;
  dim: number;
  /**
   * Objective after each assignment step: sum of squared distances to the nearest centroid, or under
   * `spherical` the sum of negated dot products. Never increases from one iteration to the next.
   */
  objective: number[];
  /** Lloyd iterations run (fewer than niter when the assignment stopped changing). */
  iterations: number;
  /** Sample rows trained on (after subsampling). */
  trainedOn: number;
  /** Empty clusters repaired, summed over iterations. */
  emptyRepairs: number;
  /** Non-fatal notes: k reduced to the sample count, few samples per centroid, subsampling. */
  warnings: string[];
}

/** Rows assigned per kernel call: amortises the call, keeps the block's rows in cache. */
const ASSIGN_BLOCK = 256;

/**
 * Seeded k-means (Lloyd). Too few samples for k is handled by reducing k to the sample count (with a
 * warning), so callers always get a usable codebook; duplicates and constant dimensions need nothing
 * special (coinciding centroids simply stay empty). Progress phase 'train'; an abort throws ABORTED.
 */
export function kmeans(samples: Float32Array, options: KMeansOptions): KMeansResult {
  const { n: total, opts } = resolveOptions(samples, options);
  const warnings: string[] = [];
  const rng = new Rng(opts.seed);
  const rows = prepareRows(samples, total, opts, rng, warnings);
  const k = Math.min(opts.k, rows.n);
  if (k < opts.k) warnings.push(`Only ${rows.n} training samples for k = ${opts.k}: trained ${k} centroids instead.`);
  else if (rows.n < k * MIN_POINTS_PER_CENTROID) warnings.push(`${rows.n} training samples for k = ${k} is under ${MIN_POINTS_PER_CENTROID} per centroid; centroids may be poor.`);
  const kernels = opts.kernels;
  const stride = rows.stride;
  const progress = new ProgressTracker(options, 'train', (opts.niter + 1) * rows.n);
  const centroidBuf = new HeapArray(Float32Array, kernels.heap, k * stride);
  const distBuf = new HeapArray(Float32Array, kernels.heap, rows.n);
  const assignBuf = new HeapArray(Int32Array, kernels.heap, rows.n);
  // The allocations above may have grown (and replaced) the kernels' memory: re-read the rows' view.
  if (rows.owner) rows.data = rows.owner.view;
  try {
    if (opts.init === 'kmeans++') seedKMeansPlusPlus(rows, k, rng, kernels, centroidBuf.view, distBuf, progress);
    else seedRandom(rows, k, rng, centroidBuf.view, progress);
    if (opts.spherical) for (let c = 0; c < k; c++) normalizeRow(centroidBuf.view, c * stride, rows.dim);

    const previous = new Int32Array(rows.n).fill(-1);
    const counts = new Float64Array(k);
    const sums = new Float64Array(k * rows.dim);
    const objective: number[] = [];
    let iterations = 0;
    let emptyRepairs = 0;
    let repairedLast = false;
    for (let it = 0; it < opts.niter; it++) {
      throwIfAborted(options.signal);
      const obj = assignAll(rows, centroidBuf.view, k, opts.spherical, kernels, assignBuf.view, distBuf.view, progress);
      objective.push(obj);
      const assignment = assignBuf.view;
      const changed = countChanges(assignment, previous, rows.n);
      iterations++;
      // Converged: the centroids are already the means of this assignment.
      if (changed === 0 && !repairedLast) {
        progress.tick((opts.niter - it - 1) * rows.n);
        break;
      }
      updateCentroids(rows, assignment, k, centroidBuf.view, counts, sums, opts.spherical);
      const repaired = repairEmptyClusters(rows, k, assignment, counts, centroidBuf.view, opts.spherical, rng);
      emptyRepairs += repaired;
      repairedLast = repaired > 0;
      previous.set(assignment);
    }
    progress.finish();
    return { centroids: packRows(centroidBuf.view, k, rows.dim, stride), k, dim: rows.dim, objective, iterations, trainedOn: rows.n, emptyRepairs, warnings };
  } finally {
    centroidBuf.free();
    distBuf.free();
    assignBuf.free();
    if (rows.owner) rows.owner.free();
  }
}

interface OwnedRows extends TrainingRows {
  owner: HeapArray<Float32Array> | null;
}

/** Copies (a seeded subsample of) the samples into padded rows the kernels read in place; normalises if spherical. */
function prepareRows(samples: Float32Array, total: number, opts: ResolvedKMeansOptions, rng: Rng, warnings: string[]): OwnedRows {
  const dim = opts.dim;
  const stride = paddedStride(dim);
  const cap = opts.k * opts.maxPointsPerCentroid;
  let picks: Int32Array | null = null;
  if (total > cap) {
    picks = rng.sample(total, cap);
    // Sorted picks keep the subsample in input order (and memory access sequential).
    picks.sort();
    warnings.push(`Trained on a seeded subsample of ${cap} of the ${total} samples (maxPointsPerCentroid = ${opts.maxPointsPerCentroid}).`);
  }
  const n = picks === null ? total : picks.length;
  const owner = new HeapArray(Float32Array, opts.kernels.heap, n * stride);
  const data = owner.view;
  for (let r = 0; r < n; r++) {
    const src = (picks === null ? r : picks[r]!) * dim;
    const dst = r * stride;
    for (let i = 0; i < dim; i++) data[dst + i] = samples[src + i]!;
    if (opts.spherical) normalizeRow(data, dst, dim);
  }
  return { data, stride, n, dim, owner };
}

/** Assigns every row to its nearest centroid in blocks; returns the objective (float64 sum). */
function assignAll(rows: TrainingRows, centroids: Float32Array, k: number, spherical: boolean, kernels: Kernels, assignment: Int32Array, dist: Float32Array, progress: ProgressTracker): number {
  const metric = spherical ? 'ip' : 'l2';
  let objective = 0;
  for (let start = 0; start < rows.n; start += ASSIGN_BLOCK) {
    const count = Math.min(ASSIGN_BLOCK, rows.n - start);
    kernels.assignNearest(rows.data, start * rows.stride, rows.stride, count, centroids, rows.stride, k, rows.dim, metric, assignment.subarray(start, start + count), dist.subarray(start, start + count));
    for (let i = start; i < start + count; i++) objective += dist[i]!;
    progress.tick(count);
  }
  return spherical ? -objective : objective;
}

function countChanges(a: Int32Array, b: Int32Array, n: number): number {
  let changed = 0;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) changed++;
  return changed;
}

/** Centroid = mean of its rows (float64 sums); renormalised under spherical. Empty clusters keep their centroid. */
function updateCentroids(rows: TrainingRows, assignment: Int32Array, k: number, centroids: Float32Array, counts: Float64Array, sums: Float64Array, spherical: boolean): void {
  const { data, stride, n, dim } = rows;
  counts.fill(0);
  sums.fill(0);
  for (let r = 0; r < n; r++) {
    const c = assignment[r]!;
    counts[c] = counts[c]! + 1;
    const so = c * dim;
    const ro = r * stride;
    for (let i = 0; i < dim; i++) sums[so + i] = sums[so + i]! + data[ro + i]!;
  }
  for (let c = 0; c < k; c++) {
    const count = counts[c]!;
    if (count === 0) continue;
    const so = c * dim;
    const co = c * stride;
    if (spherical) {
      let norm = 0;
      for (let i = 0; i < dim; i++) norm += sums[so + i]! * sums[so + i]!;
      // A cluster whose rows cancel out has no mean direction: any unit centroid is as good, keep the old one.
      if (!(norm > 0)) continue;
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < dim; i++) centroids[co + i] = sums[so + i]! * inv;
    } else {
      const inv = 1 / count;
      for (let i = 0; i < dim; i++) centroids[co + i] = sums[so + i]! * inv;
    }
  }
}

function packRows(data: Float32Array, k: number, dim: number, stride: number): Float32Array {
  const out = new Float32Array(k * dim);
  for (let c = 0; c < k; c++) for (let i = 0; i < dim; i++) out[c * dim + i] = data[c * stride + i]!;
  return out;
}
