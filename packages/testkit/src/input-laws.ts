import { describe, expect, it } from 'vitest';
import { MAX_SQUARED_NORM } from '@annkit/core';
import type { AnnkitErrorCode, SearchResult, VectorIndex } from '@annkit/core';
import { randomRows } from './arbitraries.js';
import { checkExact, metricsOf } from './compare.js';
import { BruteForceModel } from './model.js';
import { bytesEqual, concat, createEmpty, expectCode, expectRejectedUnchanged, smallIndex } from './helpers.js';
import type { IndexLawSpec } from './spec.js';

/**
 * Inputs at the edges of what an index accepts (issue 12): vectors whose float32 distances could overflow,
 * bad initialCapacity values, and null options. Every rejection is typed and leaves the index as it was;
 * every acceptance gives finite, complete answers. Registered by describeIndexLaws, so every family runs it.
 */
export function describeInputLaws<I extends VectorIndex>(spec: IndexLawSpec<I>): void {
  const metrics = metricsOf(spec.metrics);
  const opts = spec.searchOptions ?? {};
  const search = (index: I, q: Float32Array | number[], k: number): SearchResult => index.search(q, k, opts);

  describe('inputs at the edges: overflowing vectors, initialCapacity, null options', () => {
    for (const metric of metrics.filter((m) => m !== 'cosine')) {
      it(`issue 12 item 1: under ${metric}, add/upsert of a vector near 1e20 is INVALID_VECTOR and the old vector stays`, () => {
        const { index, dim, ok } = smallIndex(spec, metric);
        const huge = Float32Array.from({ length: dim }, (_, i) => (i % 2 === 0 ? 1e20 : -1e20));
        const before = index.getVector(1);
        const cases: [string, () => unknown, AnnkitErrorCode][] = [
          ['upsert of a present id', () => index.upsert(1, huge), 'INVALID_VECTOR'],
          ['upsert of a new id', () => index.upsert(100, huge), 'INVALID_VECTOR'],
          ['add', () => index.add(100, huge), 'INVALID_VECTOR'],
          ['add of number[]', () => index.add(100, Array.from(huge)), 'INVALID_VECTOR'],
          ['addBatch, huge row last', () => index.addBatch([100, 101], concat(ok, huge)), 'INVALID_VECTOR'],
          ['upsertBatch, huge row last', () => index.upsertBatch([1, 101], concat(ok, huge)), 'INVALID_VECTOR'],
          ['search', () => search(index, huge, 3), 'INVALID_VECTOR'],
          ['searchBatch', () => index.searchBatch(concat(ok, huge), 3, opts), 'INVALID_VECTOR'],
        ];
        expectRejectedUnchanged(index, cases);
        expect(index.has(1)).toBe(true);
        expect(Array.from(index.getVector(1))).toEqual(Array.from(before));
      });

      it(`issue 12 item 3: under ${metric}, a row whose float32 distances could overflow is rejected; rows up to the bound give finite, complete answers`, () => {
        const dim = 4;
        const index = createEmpty(spec, dim, metric);
        // [6e20, 0, …] has a finite float64 norm but its float32 square is Infinity: it must be refused.
        expectCode(() => index.add(1, [6e20, 0, 0, 0]), 'INVALID_VECTOR');
        expectCode(() => index.add(1, [3e20, 0, 0, 0]), 'INVALID_VECTOR');
        const justOver = Math.sqrt(MAX_SQUARED_NORM) * 1.001;
        expectCode(() => index.add(1, [justOver, 0, 0, 0]), 'INVALID_VECTOR');
        expect(index.size).toBe(0);
        // Rows at (almost) the bound, pointing every way, with a few ordinary ones.
        const big = Math.sqrt(MAX_SQUARED_NORM) * 0.999;
        const rows: number[][] = [];
        for (let j = 0; j < dim; j++) for (const sign of [1, -1]) rows.push(Array.from({ length: dim }, (_, i) => (i === j ? sign * big : 0)));
        rows.push([big / 2, big / 2, -big / 2, big / 2]);
        const small = randomRows(3, dim, 11, 1);
        for (let r = 0; r < 3; r++) rows.push(Array.from(small.subarray(r * dim, (r + 1) * dim)));
        rows.forEach((row, i) => index.add(i + 1, row));
        const n = rows.length;
        const model = new BruteForceModel(dim, metric);
        rows.forEach((row, i) => model.set(i + 1, Float32Array.from(row)));
        const queries = [rows[0]!, rows[3]!, [0, 0, 0, 0], [big / 3, -big / 3, big / 3, 0], Array.from(small.subarray(0, dim))];
        for (const q of queries) {
          for (const k of [1, 3, n, n + 4]) {
            const result = search(index, q, k);
            const context = `query [${q.map((v) => v.toPrecision(2)).join(', ')}], k=${k}`;
            expect(result.ids.length, `${context}: results`).toBe(Math.min(k, n));
            for (let i = 0; i < result.distances.length; i++) {
              expect(Number.isFinite(result.distances[i]!), `${context}: distance ${result.distances[i]} at rank ${i}`).toBe(true);
              if (i > 0) expect(result.distances[i]!, `${context}: sorted`).toBeGreaterThanOrEqual(result.distances[i - 1]!);
            }
            expect(new Set(result.ids).size, `${context}: unique ids`).toBe(result.ids.length);
            if (spec.exact) {
              const violation = checkExact(result, model, Float32Array.from(q), k);
              if (violation !== null) throw new Error(`${context}: ${violation}`);
            }
          }
        }
        const reloaded = spec.deserialize(index.serialize());
        expect(reloaded.size).toBe(n);
      });
    }

    if (metrics.includes('cosine')) {
      it('issue 12 item 3: under cosine a long vector is only a direction (scaled before any kernel sees it)', () => {
        const index = createEmpty(spec, 2, 'cosine');
        index.add(1, [6e20, 0]);
        index.add(2, [0, 3e20]);
        index.add(3, [-1, 0.5]);
        const result = search(index, [1e30, 1e29], 3);
        expect(result.ids[0]).toBe(1);
        expect(result.ids.length).toBe(3);
        for (const d of result.distances) expect(Number.isFinite(d)).toBe(true);
      });
    }

    if (spec.createWith !== undefined) {
      const createWith = spec.createWith.bind(spec);
      const make = (options: Record<string, unknown>) => createWith(options, { dim: 4, metric: metrics[0]!, seed: 1, training: randomRows(256, 4, 8, 4) });
      it('issue 12 item 2: initialCapacity NaN, "x", -5, 0, 1.5, Infinity, 1e9 and null are INVALID_ARGUMENT', () => {
        for (const bad of [NaN, 'x', -5, 0, 1.5, Infinity, 1e9, 2 ** 31, null, {}]) {
          try {
            expectCode(() => make({ initialCapacity: bad }), 'INVALID_ARGUMENT');
          } catch (err) {
            throw new Error(`initialCapacity ${String(bad)}: ${(err as Error).message}`);
          }
        }
      });

      it('issue 12 item 2: a valid initialCapacity (1, 3) grows past itself and reloads to the same bytes', () => {
        for (const capacity of [1, 3]) {
          const index = make({ initialCapacity: capacity });
          const rows = randomRows(10, 4, 21, 2);
          index.addBatch(Array.from({ length: 10 }, (_, i) => i + 1), rows);
          index.add(11, rows.subarray(0, 4));
          const bytes = index.serialize();
          const loaded = spec.deserialize(bytes);
          expect(loaded.size).toBe(11);
          expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
        }
      });
    }

    const optionKeys = Object.keys(opts).filter((key) => key !== 'filter');
    if (optionKeys.length > 0) {
      it(`issue 12 item 9: null for a search option (${optionKeys.join(', ')}) is INVALID_ARGUMENT, not the default`, () => {
        const { index, ok } = smallIndex(spec, metrics[0]!);
        for (const key of optionKeys) {
          for (const call of [() => index.search(ok, 2, { ...opts, [key]: null }), () => index.searchBatch(ok, 2, { ...opts, [key]: null })]) {
            try {
              expectCode(call, 'INVALID_ARGUMENT');
            } catch (err) {
              throw new Error(`${key}: null: ${(err as Error).message}`);
            }
          }
        }
      });
    }

    if (spec.createWith !== undefined) {
      const createWith = spec.createWith.bind(spec);
      it('issue 12 item 9: null for a constructor option is INVALID_ARGUMENT, not the default', () => {
        const base = { dim: 4, metric: metrics[0]!, seed: 1, training: randomRows(256, 4, 8, 4) };
        const index = createWith({}, base);
        // initialCapacity is checked for every family above; these are the numeric options the index reports.
        const known = ['rerank', 'efConstruction', 'm', 'nTrees', 'bucketSize', 'maxTombstoneRatio', 'seed'].filter((key) => key in optionsOf(index));
        for (const key of known) {
          try {
            expectCode(() => createWith({ [key]: null }, base), 'INVALID_ARGUMENT');
          } catch (err) {
            throw new Error(`${key}: null: ${(err as Error).message}`);
          }
        }
      });
    }
  });
}

/** The resolved constructor options an index keeps (HNSW and Annoy expose them as `options`), else none. */
function optionsOf(index: unknown): object {
  const options = (index as { options?: unknown }).options;
  return typeof options === 'object' && options !== null ? options : {};
}
