import type { Metric, SearchResult } from '@annkit/core';
import { distanceTolerance, modelDistance } from './model.js';
import type { BruteForceModel } from './model.js';

/**
 * Checks the invariants every index's results must satisfy, whatever its accuracy:
 * sorted, unique, live, allowed by the filter, at most k long, and each distance equal to a recomputation.
 * Returns a description of the first violation, or null.
 */
export function checkResultInvariants(result: SearchResult, model: BruteForceModel, q: Float32Array, k: number, filter?: (id: number) => boolean): string | null {
  const { ids, distances } = result;
  if (!(ids instanceof Float64Array) || !(distances instanceof Float32Array)) return 'result arrays have the wrong types';
  if (ids.length !== distances.length) return `ids (${ids.length}) and distances (${distances.length}) differ in length`;
  if (ids.length > k) return `${ids.length} results for k = ${k}`;
  const seen = new Set<number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (seen.has(id)) return `id ${id} returned twice`;
    seen.add(id);
    const x = model.vectors.get(id);
    if (!x) return `id ${id} is not live`;
    if (filter && !filter(id)) return `id ${id} does not pass the filter`;
    const truth = modelDistance(model.metric, q, x);
    const tol = distanceTolerance(model.metric, q, x);
    if (!(Math.abs(distances[i]! - truth) <= tol)) return `id ${id}: distance ${distances[i]} but recomputed ${truth}`;
    if (i > 0 && distances[i]! < distances[i - 1]!) return `distances not sorted at ${i}: ${distances[i - 1]} then ${distances[i]}`;
  }
  return null;
}

/**
 * Exactness up to ties: the i-th distance equals the model's i-th distance and the length is min(k, matches).
 * With the invariants above this means "the true k nearest, any order among equal distances".
 */
export function checkExact(result: SearchResult, model: BruteForceModel, q: Float32Array, k: number, filter?: (id: number) => boolean): string | null {
  const invariant = checkResultInvariants(result, model, q, k, filter);
  if (invariant) return invariant;
  const expected = model.search(q, k, filter);
  if (result.ids.length !== expected.length) return `${result.ids.length} results, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const tol = distanceTolerance(model.metric, q, model.vectors.get(e.id)!);
    if (!(Math.abs(result.distances[i]! - e.distance) <= 2 * tol)) {
      return `rank ${i}: distance ${result.distances[i]} (id ${result.ids[i]}) but the true ${i}-th nearest is at ${e.distance} (id ${e.id})`;
    }
  }
  return null;
}

/** Tie-tolerant recall of one result against the model: hits are results no farther than the true k-th. */
export function recallVsModel(result: SearchResult, model: BruteForceModel, q: Float32Array, k: number, filter?: (id: number) => boolean): number {
  const expected = model.search(q, k, filter);
  if (expected.length === 0) return 1;
  const kth = expected[expected.length - 1]!;
  const tol = distanceTolerance(model.metric, q, model.vectors.get(kth.id)!);
  let hits = 0;
  for (let i = 0; i < result.ids.length; i++) {
    if (model.vectors.has(result.ids[i]!) && model.distance(q, result.ids[i]!) <= kth.distance + tol) hits++;
  }
  return Math.min(1, hits / expected.length);
}

export function metricsOf(metrics?: readonly Metric[]): readonly Metric[] {
  return metrics ?? ['l2', 'ip', 'cosine'];
}
