import type { HeapArray, Kernels, ProgressTracker, Rng } from '@annkit/core';

/** Training rows as the kernels read them: n rows `stride` floats apart. */
export interface TrainingRows {
  data: Float32Array;
  stride: number;
  n: number;
  dim: number;
}

/** Copies row `from` of `rows` into centroid slot `c` (padding stays zero). */
export function copyRow(rows: TrainingRows, from: number, centroids: Float32Array, c: number): void {
  const src = rows.data;
  const so = from * rows.stride;
  const co = c * rows.stride;
  for (let i = 0; i < rows.dim; i++) centroids[co + i] = src[so + i]!;
}

/** Seeds with k distinct samples chosen uniformly (FAISS's default initialisation). */
export function seedRandom(rows: TrainingRows, k: number, rng: Rng, centroids: Float32Array, progress: ProgressTracker): void {
  const picks = rng.sample(rows.n, k);
  for (let c = 0; c < k; c++) copyRow(rows, picks[c]!, centroids, c);
  progress.tick(rows.n);
}

/**
 * k-means++ seeding: each next centroid is a sample drawn with probability proportional to its squared
 * distance to the nearest centroid chosen so far. When every sample coincides with a chosen centroid
 * (duplicates), the draw falls back to a uniform pick, so the result always has k rows.
 */
export function seedKMeansPlusPlus(rows: TrainingRows, k: number, rng: Rng, kernels: Kernels, centroids: Float32Array, distances: HeapArray<Float32Array>, progress: ProgressTracker): void {
  const { n, stride, dim } = rows;
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = rng.int(n);
  let reported = 0;
  for (let c = 0; c < k; c++) {
    copyRow(rows, chosen, centroids, c);
    if (c === k - 1) break;
    const out = distances.view;
    kernels.l2Many(centroids, c * stride, rows.data, 0, stride, n, dim, out);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = out[i]!;
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    chosen = total > 0 ? drawWeighted(nearest, total, rng) : rng.int(n);
    const due = Math.floor(((c + 1) * n) / k);
    progress.tick(due - reported);
    reported = due;
  }
  progress.tick(n - reported);
}

/** Index i drawn with probability weights[i] / total. */
function drawWeighted(weights: Float64Array, total: number, rng: Rng): number {
  const target = rng.float() * total;
  let acc = 0;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    acc += w;
    last = i;
    if (acc > target) return i;
  }
  // Rounding left the target just past the sum: the last positive weight is the right answer.
  return last;
}
