import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '@annkit/datasets/node';
import type { Dataset } from '@annkit/datasets';
import { HnswIndex } from '@annkit/hnsw';
import { bytesEqual, expectCode, randomRows } from '@annkit/testkit';
import { rangeIds, recallOf } from './helpers.js';

/*
 * The same graph over SQ8 codes: a 5k prefix of glove6b-100-angular, 200 queries, m = 16, efConstruction = 100.
 * Codes take a quarter of the float bytes; with keepVectors the final candidates are re-ranked exactly.
 */
describe('HnswIndex with sq8 storage on glove6b-100-angular (5k slice)', () => {
  let data: Dataset;
  let codesOnly: HnswIndex;
  let withVectors: HnswIndex;
  let float: HnswIndex;

  beforeAll(async () => {
    data = await loadDataset('glove6b-100-angular', { maxBase: 5000, maxQueries: 200, quiet: true });
    const build = (extra: object) => {
      const index = new HnswIndex({ dim: data.dim, metric: data.metric, m: 16, efConstruction: 100, seed: 1, ...extra });
      index.train(data.base);
      index.addBatch(rangeIds(data.nBase), data.base);
      return index;
    };
    codesOnly = build({ storage: 'sq8' });
    withVectors = build({ storage: 'sq8', keepVectors: true });
    float = build({});
  });

  it('codes alone: recall@10 ≥ 0.95 at efSearch = 128, in under half the float bytes', () => {
    expect(recallOf(codesOnly, data, 10, { efSearch: 128 })).toBeGreaterThanOrEqual(0.95);
    expect(codesOnly.memoryBytes).toBeLessThan(0.5 * float.memoryBytes);
  });

  it('with keepVectors, rerank brings recall back to the float graph’s (within 0.01) with exact distances', () => {
    const floatRecall = recallOf(float, data, 10, { efSearch: 64 });
    expect(recallOf(withVectors, data, 10, { efSearch: 64, rerank: 3 })).toBeGreaterThanOrEqual(floatRecall - 0.01);
    const q = data.queries.subarray(0, data.dim);
    const r = withVectors.search(q, 5, { efSearch: 64, rerank: 3 });
    const exact = float.search(q, 5, { efSearch: 200 });
    expect(Array.from(r.ids)).toEqual(Array.from(exact.ids));
    r.distances.forEach((d, i) => expect(Math.abs(d - exact.distances[i]!)).toBeLessThan(1e-5));
  });

  it('round-trips byte for byte, codes and quantizer included', () => {
    for (const index of [codesOnly, withVectors]) {
      const bytes = index.serialize();
      const loaded = HnswIndex.deserialize(bytes);
      expect(loaded.storage).toBe('sq8');
      expect(loaded.isTrained).toBe(true);
      expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
      const q = data.queries.subarray(0, data.dim);
      expect(Array.from(loaded.search(q, 10).ids)).toEqual(Array.from(index.search(q, 10).ids));
    }
  });
});

describe('HnswIndex sq8: training and errors', () => {
  const dim = 6;
  it('needs train() before vectors, and train() needs an empty index', () => {
    const index = new HnswIndex({ dim, metric: 'l2', storage: 'sq8' });
    expect(index.isTrained).toBe(false);
    const before = index.serialize();
    expectCode(() => index.add(1, randomRows(1, dim, 1)), 'NOT_TRAINED');
    expectCode(() => index.addBatch([1, 2], randomRows(2, dim, 1)), 'NOT_TRAINED');
    expectCode(() => index.upsert(1, randomRows(1, dim, 1)), 'NOT_TRAINED');
    expect(bytesEqual(index.serialize(), before)).toBe(true);
    expect(HnswIndex.deserialize(before).isTrained).toBe(false);
    expectCode(() => index.train(new Float32Array(dim + 1)), 'DIMENSION_MISMATCH');
    expectCode(() => index.train(new Float32Array(0)), 'INVALID_ARGUMENT');
    expectCode(() => index.train(Float32Array.of(1, 2, 3, NaN, 5, 6)), 'INVALID_VECTOR');
    index.train(randomRows(50, dim, 2, 3));
    expect(index.isTrained).toBe(true);
    index.addBatch([1, 2, 3], randomRows(3, dim, 3, 3));
    expectCode(() => index.train(randomRows(50, dim, 2, 3)), 'INVALID_STATE');
    expect(index.search(randomRows(1, dim, 4), 2).ids.length).toBe(2);
  });

  it('rejects rerank without keepVectors, and keepVectors without sq8', () => {
    const index = new HnswIndex({ dim, metric: 'ip', storage: 'sq8' });
    index.train(randomRows(20, dim, 5));
    index.add(1, randomRows(1, dim, 6));
    expectCode(() => index.search(randomRows(1, dim, 7), 1, { rerank: 2 }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex({ dim, metric: 'ip', keepVectors: true }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex({ dim, metric: 'ip', storage: 'sq4' as never }), 'INVALID_ARGUMENT');
    // float32 storage: rerank is accepted and changes nothing (its distances are exact already).
    const f = new HnswIndex({ dim, metric: 'ip' });
    f.add(1, randomRows(1, dim, 6));
    expect(Array.from(f.search(randomRows(1, dim, 7), 1, { rerank: 2 }).ids)).toEqual([1]);
    expectCode(() => f.search(randomRows(1, dim, 7), 1, { rerank: 0.5 }), 'INVALID_ARGUMENT');
  });
});
