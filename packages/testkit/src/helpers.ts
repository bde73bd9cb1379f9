import { AnnkitError, OwnedHeap } from '@annkit/core';
import type { AnnkitErrorCode, Kernels, Metric, VectorIndex } from '@annkit/core';
import { randomRows } from './arbitraries.js';
import type { Dataset } from './arbitraries.js';
import { BruteForceModel } from './model.js';
import type { IndexLawSpec } from './spec.js';

/** A new, empty index of the family (trained, for families that must be). */
export function createEmpty<I extends VectorIndex>(spec: IndexLawSpec<I>, dim: number, metric: Metric, seed = 1): I {
  return spec.create({ dim, metric, seed, training: randomRows(256, dim, seed + 7, 4) });
}

/** The fixture of the bad-input laws: ids 1..6 of dim 5 under `metric`, and a valid row that is not stored. */
export function smallIndex<I extends VectorIndex>(spec: IndexLawSpec<I>, metric: Metric): { index: I; dim: number; ok: Float32Array } {
  const dim = 5;
  const data: Dataset = { dim, metric, ids: [1, 2, 3, 4, 5, 6], vectors: randomRows(6, dim, 3, 2), queries: [] };
  return { index: buildFrom(spec, data).index, dim, ok: randomRows(1, dim, 9, 1) };
}

/** Builds an index and its model from a generated dataset. */
export function buildFrom<I extends VectorIndex>(spec: IndexLawSpec<I>, data: Dataset, seed = 1): { index: I; model: BruteForceModel } {
  const index = createEmpty(spec, data.dim, data.metric, seed);
  const model = new BruteForceModel(data.dim, data.metric);
  index.addBatch(data.ids, data.vectors);
  data.ids.forEach((id, i) => model.set(id, data.vectors.subarray(i * data.dim, (i + 1) * data.dim)));
  return { index, model };
}

export function expectCode(fn: () => unknown, code: AnnkitErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  if (!(thrown instanceof AnnkitError)) throw new Error(`expected AnnkitError ${code}, got ${thrown === undefined ? 'no error' : String(thrown)}`);
  if (thrown.code !== code) throw new Error(`expected ${code}, got ${thrown.code}: ${thrown.message}`);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concat(...rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
  let off = 0;
  for (const r of rows) {
    out.set(r, off);
    off += r.length;
  }
  return out;
}

/** Runs each named case, which must throw its code and leave the index's serialised bytes unchanged. */
export function expectRejectedUnchanged(index: VectorIndex, cases: readonly [name: string, fn: () => unknown, code: AnnkitErrorCode][]): void {
  const before = index.serialize();
  const size = index.size;
  for (const [name, fn, code] of cases) {
    try {
      expectCode(fn, code);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
    if (!bytesEqual(index.serialize(), before)) throw new Error(`${name} changed the index (serialize() bytes differ)`);
    if (index.size !== size) throw new Error(`${name} changed the size from ${size} to ${index.size}`);
  }
}

/** The index's own view of the kernel heap (null for kernels without a heap). */
export function ownedHeapOf(index: unknown): OwnedHeap | null {
  const heap = (index as { kernels?: Kernels }).kernels?.heap;
  return heap instanceof OwnedHeap ? heap : null;
}
