import type { Metric } from '@annkit/core';
import { AnnoyIndex } from '@annkit/annoy';
import type { AnnoyIndexOptions } from '@annkit/annoy';
import { BruteForceModel, checkExact, randomRows } from '@annkit/testkit';

/** An index plus the brute-force model of what it should hold. */
export interface Pair {
  index: AnnoyIndex;
  model: BruteForceModel;
}

export function makePair(dim: number, metric: Metric, extra: Partial<AnnoyIndexOptions> = {}): Pair {
  return { index: new AnnoyIndex({ dim, metric, ...extra }), model: new BruteForceModel(dim, metric) };
}

export function addRows(p: Pair, ids: number[], rows: Float32Array): void {
  p.index.addBatch(ids, rows);
  const dim = p.index.dim;
  ids.forEach((id, i) => p.model.set(id, rows.subarray(i * dim, (i + 1) * dim)));
}

/**
 * With searchK ≥ size every tree is walked to the end, so the search must equal brute force: this checks
 * that every tree still holds every live slot exactly once and that no removed slot survives.
 */
export function expectExactWithFullBudget(p: Pair, queries: Float32Array, k: number): void {
  const dim = p.index.dim;
  for (let i = 0; i < queries.length / dim; i++) {
    const q = queries.subarray(i * dim, (i + 1) * dim);
    const result = p.index.search(q, k, { searchK: Math.max(1, p.index.size) });
    const violation = checkExact(result, p.model, q, k);
    if (violation !== null) throw new Error(`query ${i}: ${violation}`);
  }
}

/** Rows with many exact duplicates (values from a tiny set), which no hyperplane can separate. */
export function duplicateHeavyRows(n: number, dim: number, seed: number): Float32Array {
  const raw = randomRows(n, dim, seed, 1);
  for (let i = 0; i < raw.length; i++) raw[i] = raw[i]! > 0.3 ? 1 : raw[i]! < -0.3 ? -1 : 0.5;
  return raw;
}
