import type { Rng } from '@annkit/core';
import type { TrainingRows } from './init.js';
import { copyRow } from './init.js';

/**
 * Empty-cluster repair by splitting a large cluster: each empty centroid moves onto a sample drawn from
 * a cluster chosen with probability proportional to (size - 1), and that sample joins it. Moving a
 * centroid onto a sample can only lower the next assignment's objective, so Lloyd stays monotone.
 * Returns how many empty clusters were repaired (some stay empty when no cluster has two samples).
 */
export function repairEmptyClusters(rows: TrainingRows, k: number, assignment: Int32Array, counts: Float64Array, centroids: Float32Array, spherical: boolean, rng: Rng): number {
  let repaired = 0;
  for (let e = 0; e < k; e++) {
    if (counts[e]! > 0) continue;
    let spare = 0;
    for (let c = 0; c < k; c++) if (counts[c]! > 1) spare += counts[c]! - 1;
    if (spare === 0) break;
    let target = rng.int(spare);
    let donor = 0;
    for (let c = 0; c < k; c++) {
      const extra = counts[c]! > 1 ? counts[c]! - 1 : 0;
      if (target < extra) {
        donor = c;
        break;
      }
      target -= extra;
    }
    const member = nthMember(assignment, rows.n, donor, rng.int(counts[donor]!));
    copyRow(rows, member, centroids, e);
    if (spherical) normalizeRow(centroids, e * rows.stride, rows.dim);
    assignment[member] = e;
    counts[donor] = counts[donor]! - 1;
    counts[e] = 1;
    repaired++;
  }
  return repaired;
}

function nthMember(assignment: Int32Array, n: number, cluster: number, nth: number): number {
  for (let i = 0, seen = 0; i < n; i++) {
    if (assignment[i] !== cluster) continue;
    if (seen === nth) return i;
    seen++;
  }
  return -1;
}

/** Scales dim values at `off` to unit length (a zero row is left as it is). */
export function normalizeRow(data: Float32Array, off: number, dim: number): void {
  let s = 0;
  for (let i = 0; i < dim; i++) s += data[off + i]! * data[off + i]!;
  if (!(s > 0)) return;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < dim; i++) data[off + i] = data[off + i]! * inv;
}
