import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnnkitErrorCode, BytesInput, SearchResult, TrainableIndex, VectorIndex } from '@annkit/core';
import { datasetArb, randomRows } from './arbitraries.js';
import { checkExact, checkResultInvariants, metricsOf } from './compare.js';
import { buildFrom, bytesEqual, concat, createEmpty, expectCode, expectRejectedUnchanged, ownedHeapOf, smallIndex } from './helpers.js';
import type { BruteForceModel } from './model.js';

/** Node's Buffer where there is one (the laws also run in browsers, which test the ArrayBuffer form only). */
const NodeBuffer = (globalThis as { Buffer?: { from(b: Uint8Array): Uint8Array; alloc(n: number): Uint8Array; concat(list: Uint8Array[]): Uint8Array } }).Buffer;
import type { IndexLawSpec } from './spec.js';

/**
 * The index contract beyond search quality: the lifetime (free(), `using`), the ids() iterator, batch
 * upsert and remove validated whole, number[] single vectors, and every byte form deserialize accepts.
 * Registered by describeIndexLaws, so every family runs it.
 */
export function describeContractLaws<I extends VectorIndex>(spec: IndexLawSpec<I>): void {
  const numRuns = Math.max(5, Math.ceil((spec.numRuns ?? 60) / 3));
  const metrics = metricsOf(spec.metrics);
  const arb = (extra: { minSize?: number; maxSize?: number } = {}) => datasetArb({ maxDim: spec.maxDim ?? 12, metrics, ...extra });
  const opts = spec.searchOptions ?? {};
  const search = (index: I, q: Float32Array | number[], k: number): SearchResult => index.search(q, k, opts);
  const expectValid = (index: I, model: BruteForceModel, q: Float32Array, k: number, context: string): void => {
    const violation = spec.exact ? checkExact(search(index, q, k), model, q, k) : checkResultInvariants(search(index, q, k), model, q, k);
    if (violation !== null) throw new Error(`${context}: ${violation}`);
  };
  const small = () => smallIndex(spec, metrics[0]!);

  describe('contract: lifetime, ids(), batches, number[] vectors, byte forms', () => {
    it('after free() every method throws INVALID_STATE, every heap block is given back, and freeing again is harmless', () => {
      const built = () => small().index;
      const loaded = () => spec.deserialize(small().index.serialize());
      for (const [how, make] of [['built', built], ['loaded', loaded]] as const) {
        const index = make();
        const q = randomRows(1, index.dim, 4, 1);
        const heap = ownedHeapOf(index);
        index.free();
        if (heap !== null) expect(heap.liveBlocks, `${how}: blocks still owned after free()`).toBe(0);
        const calls: [string, () => unknown][] = [
          ['add', () => index.add(100, q)],
          ['addBatch', () => index.addBatch([100], q)],
          ['upsert', () => index.upsert(1, q)],
          ['upsertBatch', () => index.upsertBatch([1], q)],
          ['remove', () => index.remove(1)],
          ['removeBatch', () => index.removeBatch([1])],
          ['has', () => index.has(1)],
          ['ids', () => index.ids().next()],
          ['getVector', () => index.getVector(1)],
          ['search', () => index.search(q, 3, opts)],
          ['searchBatch', () => index.searchBatch(q, 3, opts)],
          ['serialize', () => index.serialize()],
        ];
        const trainable = index as unknown as Partial<TrainableIndex>;
        if (typeof trainable.train === 'function') calls.push(['train', () => trainable.train!(randomRows(64, index.dim, 5, 1))]);
        for (const [name, call] of calls) {
          try {
            expectCode(call, 'INVALID_STATE');
          } catch (err) {
            throw new Error(`${how} index, ${name}() after free(): ${(err as Error).message}`);
          }
        }
        expect(() => index.free()).not.toThrow();
        expect(() => index[Symbol.dispose]()).not.toThrow();
      }
    });

    it('`using` frees the index when its block ends', () => {
      const q = randomRows(1, 5, 4, 1);
      let escaped: I | undefined;
      {
        using index = small().index;
        escaped = index;
        expect(search(index, q, 2).ids.length).toBeGreaterThan(0);
      }
      expectCode(() => search(escaped!, q, 2), 'INVALID_STATE');
      const heap = ownedHeapOf(escaped);
      if (heap !== null) expect(heap.liveBlocks).toBe(0);
    });

    it('ids() yields exactly the live ids, each once (after adds, removes, upserts and a reload)', () => {
      fc.assert(
        fc.property(arb(), fc.nat(), (data, pick) => {
          const { index, model } = buildFrom(spec, data);
          expectIds(index, model, 'built');
          for (const id of data.ids.filter((_, i) => (i + pick) % 3 === 0)) {
            index.remove(id);
            model.delete(id);
          }
          expectIds(index, model, 'after removes');
          const q = data.queries[0]!;
          index.upsert(5_000_000, q);
          model.set(5_000_000, q);
          expectIds(index, model, 'after an upsert of a new id');
          expectIds(spec.deserialize(index.serialize()), model, 'reloaded');
        }),
        { numRuns },
      );
    });

    it('upsertBatch replaces present ids and adds new ones, as the same upserts one by one', () => {
      fc.assert(
        fc.property(arb({ minSize: 1, maxSize: 30 }), fc.nat(), fc.integer({ min: 1, max: 12 }), (data, pick, k) => {
          const { index, model } = buildFrom(spec, data);
          const present = data.ids.filter((_, i) => (i + pick) % 2 === 0);
          const ids = [...present, ...present.map((_, i) => 6_000_000 + i)];
          const rows = nonZeroRows(ids.length, data.dim, pick);
          index.upsertBatch(ids, rows);
          ids.forEach((id, i) => model.set(id, rows.subarray(i * data.dim, (i + 1) * data.dim)));
          expect(index.size).toBe(model.size);
          expectIds(index, model, 'after upsertBatch');
          for (const q of data.queries) expectValid(index, model, q, k, 'after upsertBatch');
          if (spec.lossless !== false) ids.forEach((id, i) => expectStored(index.getVector(id), rows.subarray(i * data.dim, (i + 1) * data.dim), data.metric === 'cosine'));
        }),
        { numRuns },
      );
    });

    it('removeBatch removes the present ids, ignores absent ones and returns how many it removed', () => {
      fc.assert(
        fc.property(arb({ minSize: 1 }), fc.nat(), fc.integer({ min: 1, max: 12 }), (data, pick, k) => {
          const { index, model } = buildFrom(spec, data);
          const chosen = data.ids.filter((_, i) => (i + pick) % 3 === 0);
          expect(index.removeBatch([...chosen, 7_000_000, 7_000_001])).toBe(chosen.length);
          for (const id of chosen) model.delete(id);
          expect(index.size).toBe(model.size);
          expectIds(index, model, 'after removeBatch');
          for (const q of data.queries) expectValid(index, model, q, k, 'after removeBatch');
          expect(index.removeBatch(chosen)).toBe(0);
          expect(index.removeBatch([])).toBe(0);
        }),
        { numRuns },
      );
    });

    describe('batches and number[] vectors are validated whole before any write', () => {
      for (const metric of metrics) {
        it(`metric ${metric}`, () => {
          const { index, dim, ok } = smallIndex(spec, metric);
          const bad = Float32Array.from(ok);
          bad[2] = NaN;
          const cases: [string, () => unknown, AnnkitErrorCode][] = [
            ['upsertBatch: bad row last', () => index.upsertBatch([1, 2, 100], concat(ok, ok, bad)), 'INVALID_VECTOR'],
            ['upsertBatch: repeated id', () => index.upsertBatch([1, 100, 1], concat(ok, ok, ok)), 'DUPLICATE_ID'],
            ['upsertBatch: negative id last', () => index.upsertBatch([1, 100, -5], concat(ok, ok, ok)), 'INVALID_ARGUMENT'],
            ['upsertBatch: length mismatch', () => index.upsertBatch([1, 2], ok), 'DIMENSION_MISMATCH'],
            ['upsertBatch: rows not a Float32Array', () => index.upsertBatch([1], Array.from(ok) as unknown as Float32Array), 'INVALID_ARGUMENT'],
            ['upsertBatch: aborted', () => index.upsertBatch([1, 100], concat(ok, ok), { signal: AbortSignal.abort() }), 'ABORTED'],
            ['removeBatch: negative id last', () => index.removeBatch([1, 2, -1]), 'INVALID_ARGUMENT'],
            ['removeBatch: non-integer id last', () => index.removeBatch([1, 2, 1.5]), 'INVALID_ARGUMENT'],
            ['removeBatch: repeated id', () => index.removeBatch([1, 2, 1]), 'DUPLICATE_ID'],
            ['removeBatch: not a list', () => index.removeBatch(7 as unknown as number[]), 'INVALID_ARGUMENT'],
            ['add: number[] with a string', () => index.add(100, [1, 2, 'x', 4, 5] as unknown as number[]), 'INVALID_VECTOR'],
            ['add: number[] with NaN', () => index.add(100, [1, 2, NaN, 4, 5]), 'INVALID_VECTOR'],
            ['add: number[] too short', () => index.add(100, [1, 2, 3]), 'DIMENSION_MISMATCH'],
            ['upsert: number[] with Infinity', () => index.upsert(1, [1, Infinity, 3, 4, 5]), 'INVALID_VECTOR'],
            ['search: number[] too long', () => index.search([1, 2, 3, 4, 5, 6], 3, opts), 'DIMENSION_MISMATCH'],
          ];
          if (metric === 'cosine') {
            cases.push(['upsertBatch: zero row last', () => index.upsertBatch([1, 100], concat(ok, new Float32Array(dim))), 'INVALID_VECTOR']);
            cases.push(['add: zero number[] under cosine', () => index.add(100, [0, 0, 0, 0, 0]), 'INVALID_VECTOR']);
          }
          expectRejectedUnchanged(index, cases);
        });
      }
    });

    it('single-vector calls accept number[] with the same results as Float32Array', () => {
      fc.assert(
        fc.property(arb({ maxSize: 25 }), fc.integer({ min: 1, max: 12 }), (data, k) => {
          const typed = createEmpty(spec, data.dim, data.metric);
          const plain = createEmpty(spec, data.dim, data.metric);
          data.ids.forEach((id, i) => {
            const row = data.vectors.subarray(i * data.dim, (i + 1) * data.dim);
            typed.add(id, row);
            plain.add(id, Array.from(row));
          });
          expect(bytesEqual(plain.serialize(), typed.serialize()), 'add').toBe(true);
          const q0 = data.queries[0]!;
          const target = data.ids[0] ?? 1;
          typed.upsert(target, q0);
          plain.upsert(target, Array.from(q0));
          expect(bytesEqual(plain.serialize(), typed.serialize()), 'upsert').toBe(true);
          for (const q of data.queries) {
            const expected = search(typed, q, k);
            for (const got of [search(typed, Array.from(q), k), search(plain, Array.from(q), k)]) {
              expect(Array.from(got.ids)).toEqual(Array.from(expected.ids));
              expect(Array.from(got.distances)).toEqual(Array.from(expected.distances));
            }
          }
        }),
        { numRuns },
      );
    });

    it('deserialize accepts an ArrayBuffer and a Node Buffer (also at an unaligned offset)', () => {
      fc.assert(
        fc.property(arb(), fc.integer({ min: 1, max: 12 }), (data, k) => {
          const { index } = buildFrom(spec, data);
          const bytes = index.serialize();
          const forms: [string, BytesInput][] = [['ArrayBuffer', bytes.slice().buffer]];
          if (NodeBuffer !== undefined) {
            forms.push(['Buffer', NodeBuffer.from(bytes)], ['Buffer at an odd offset', NodeBuffer.concat([NodeBuffer.alloc(3), NodeBuffer.from(bytes)]).subarray(3)]);
          }
          for (const [name, form] of forms) {
            const loaded = spec.deserialize(form);
            expect(loaded.size, name).toBe(index.size);
            for (const q of data.queries) {
              const a = search(index, q, k);
              const b = search(loaded, q, k);
              expect(Array.from(b.ids), name).toEqual(Array.from(a.ids));
              expect(Array.from(b.distances), name).toEqual(Array.from(a.distances));
            }
            expect(bytesEqual(loaded.serialize(), bytes), `${name} re-serialises to the same bytes`).toBe(true);
          }
        }),
        { numRuns },
      );
    });
  });
}

/** The index's own view of the kernel heap, when it has one (IndexBase over heap-backed kernels). */
function expectIds(index: VectorIndex, model: BruteForceModel, context: string): void {
  const listed = [...index.ids()];
  expect(listed.length, `${context}: ids() length vs size`).toBe(index.size);
  expect(new Set(listed).size, `${context}: ids() repeats an id`).toBe(listed.length);
  expect([...listed].sort((a, b) => a - b), context).toEqual([...model.vectors.keys()].sort((a, b) => a - b));
}

/** getVector(id) equals the row written (normalised under cosine), to float rounding. */
function expectStored(got: Float32Array, row: Float32Array, cosine: boolean): void {
  const norm = cosine ? Math.hypot(...row) : 1;
  for (let j = 0; j < row.length; j++) expect(Math.abs(got[j]! - row[j]! / norm)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(row[j]!)));
}

/** Seeded rows with no zero row (the cosine metric rejects those). */
function nonZeroRows(n: number, dim: number, seed: number): Float32Array {
  const rows = randomRows(n, dim, seed + 1, 3);
  for (let i = 0; i < n; i++) if (rows.subarray(i * dim, (i + 1) * dim).every((v) => v === 0)) rows[i * dim] = 1;
  return rows;
}
