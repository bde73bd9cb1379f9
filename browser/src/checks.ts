import type { Metric, SearchResult } from '@annkit/core';
import { recallAtK } from '@annkit/datasets';

/** A failed in-page check: the message names the family, the step and what was expected. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

export function expect(ok: boolean, message: () => string): void {
  if (!ok) throw new CheckFailure(message());
}

/**
 * Every result is well formed: min(k, live) hits, closest first, unique, finite, and only ids that are
 * live (and accepted by `allowed` when given).
 */
export function checkResults(what: string, results: SearchResult[], k: number, live: ReadonlySet<number>, allowed?: (id: number) => boolean): void {
  let expected = 0;
  if (allowed) for (const id of live) expected += allowed(id) ? 1 : 0;
  else expected = live.size;
  const wanted = Math.min(k, expected);
  results.forEach((r, q) => {
    expect(r.ids.length === r.distances.length, () => `${what}: query ${q} has ${r.ids.length} ids but ${r.distances.length} distances`);
    expect(r.ids.length === wanted, () => `${what}: query ${q} returned ${r.ids.length} hits, expected min(k, matches) = ${wanted}`);
    const seen = new Set<number>();
    for (let i = 0; i < r.ids.length; i++) {
      const id = r.ids[i];
      expect(live.has(id), () => `${what}: query ${q} returned id ${id}, which is not in the index`);
      expect(!seen.has(id), () => `${what}: query ${q} returned id ${id} twice`);
      expect(allowed === undefined || allowed(id), () => `${what}: query ${q} returned id ${id}, which the filter rejects`);
      expect(Number.isFinite(r.distances[i]), () => `${what}: query ${q} has a non-finite distance ${r.distances[i]}`);
      expect(i === 0 || r.distances[i - 1] <= r.distances[i], () => `${what}: query ${q} distances are not sorted at rank ${i}`);
      seen.add(id);
    }
  });
}

/** Equal ids and bit-identical distances, query by query. */
export function checkSameResults(what: string, a: SearchResult[], b: SearchResult[]): void {
  expect(a.length === b.length, () => `${what}: ${a.length} vs ${b.length} result lists`);
  a.forEach((r, q) => {
    const s = b[q];
    expect(r.ids.length === s.ids.length, () => `${what}: query ${q} has ${r.ids.length} vs ${s.ids.length} hits`);
    for (let i = 0; i < r.ids.length; i++) {
      expect(r.ids[i] === s.ids[i] && Object.is(r.distances[i], s.distances[i]), () => `${what}: query ${q} rank ${i} differs: id ${r.ids[i]} (${r.distances[i]}) vs ${s.ids[i]} (${s.distances[i]})`);
    }
  });
}

export function checkSameBytes(what: string, a: Uint8Array, b: Uint8Array): void {
  expect(a.length === b.length, () => `${what}: ${a.length} vs ${b.length} bytes`);
  for (let i = 0; i < a.length; i++) expect(a[i] === b[i], () => `${what}: bytes differ first at offset ${i}`);
}

/** The base row positions of result ids, as recallAtK wants them (-1 for an unknown id never counts). */
function rowsOf(results: SearchResult[], rowOfId: ReadonlyMap<number, number>): Int32Array[] {
  return results.map((r) => Int32Array.from(r.ids, (id) => rowOfId.get(id) ?? -1));
}

/** Tie-tolerant recall@k of `results` against exact `truth` (both as user ids), via @annkit/datasets. */
export function recall(results: SearchResult[], truth: SearchResult[], k: number, rowOfId: ReadonlyMap<number, number>, base: Float32Array, queries: Float32Array, dim: number, metric: Metric): number {
  const gt = new Int32Array(truth.length * k).fill(-1);
  rowsOf(truth, rowOfId).forEach((rows, q) => gt.set(rows.subarray(0, k), q * k));
  return recallAtK(rowsOf(results, rowOfId), gt, k, k, { tieTolerance: { base, queries, dim, metric, epsilon: 1e-5 } });
}

/** A copy of `bytes` at an odd offset of a larger buffer, as a file read or a message can hand them over. */
export function misalignedCopy(bytes: Uint8Array): Uint8Array {
  const buffer = new ArrayBuffer(bytes.length + 3);
  const copy = new Uint8Array(buffer, 1, bytes.length);
  copy.set(bytes);
  return copy;
}
