import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '@annkit/datasets/node';
import type { Dataset } from '@annkit/datasets';
import { HnswIndex } from '@annkit/hnsw';
import type { HnswIndexOptions } from '@annkit/hnsw';
import { bytesEqual } from '@annkit/testkit';
import { rangeIds, recallOf } from './helpers.js';

/*
 * The graph over fp16 and PQ codes: a 5k prefix of glove6b-100-angular, 200 queries, m = 16,
 * efConstruction = 100 (sq8 has its own file). fp16 halves the row bytes at float recall; PQ (50 sub-quantizers
 * of 16 centroids: 25 bytes a vector) ranks coarsely on its own and is re-ranked on the kept floats.
 */
describe('HnswIndex with fp16 and pq storage on glove6b-100-angular (5k slice)', () => {
  let data: Dataset;
  let float: HnswIndex;
  let fp16: HnswIndex;
  let pq: HnswIndex;

  beforeAll(async () => {
    data = await loadDataset('glove6b-100-angular', { maxBase: 5000, maxQueries: 200, quiet: true });
    const build = (extra: Partial<HnswIndexOptions>) => {
      const index = new HnswIndex({ dim: data.dim, metric: data.metric, m: 16, efConstruction: 100, seed: 1, ...extra });
      index.train(data.base);
      index.addBatch(rangeIds(data.nBase), data.base);
      return index;
    };
    float = build({});
    fp16 = build({ storage: 'fp16' });
    pq = build({ storage: { type: 'pq', m: 50, nbits: 4 }, keepVectors: true, rerank: 10 });
  });

  it('fp16: recall@10 within 0.01 of the float graph at efSearch = 128, in under 70% of its bytes', () => {
    expect(recallOf(fp16, data, 10, { efSearch: 128 })).toBeGreaterThanOrEqual(recallOf(float, data, 10, { efSearch: 128 }) - 0.01);
    expect(fp16.memoryBytes).toBeLessThan(0.7 * float.memoryBytes);
  });

  it('pq: re-ranking 10 × k candidates on the kept floats (its default) reaches recall@10 ≥ 0.97', () => {
    expect(recallOf(pq, data, 10, { efSearch: 128 })).toBeGreaterThanOrEqual(0.97);
    expect(recallOf(pq, data, 10, { efSearch: 128, rerank: 0 })).toBeLessThan(0.9);
  });

  it('both round-trip byte for byte, codebooks included', () => {
    const q = data.queries.subarray(0, data.dim);
    for (const index of [fp16, pq]) {
      const bytes = index.serialize();
      const loaded = HnswIndex.deserialize(bytes);
      expect(loaded.storage).toBe(index.storage);
      expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
      expect(Array.from(loaded.search(q, 10).ids)).toEqual(Array.from(index.search(q, 10).ids));
    }
  });
});
