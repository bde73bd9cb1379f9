import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '@annkit/datasets/node';
import type { Dataset } from '@annkit/datasets';
import { HnswIndex } from '@annkit/hnsw';
import { rangeIds, recallOf } from './helpers.js';

/*
 * Real data under l2: a 3k prefix of mnist10k-784-euclidean (exact ground truth for that base), 200 queries,
 * m = 16, efConstruction = 200. The full 9k base is measured by the benchmark (bench/src/runs/hnsw.ts);
 * 3k keeps this file to a few seconds with the TypeScript kernels.
 */
describe('HnswIndex on mnist10k-784-euclidean (3k slice)', () => {
  let data: Dataset;
  let index: HnswIndex;

  beforeAll(async () => {
    data = await loadDataset('mnist10k-784-euclidean', { maxBase: 3000, maxQueries: 200, quiet: true });
    index = new HnswIndex({ dim: data.dim, metric: data.metric, m: 16, efConstruction: 200, seed: 3 });
    index.addBatch(rangeIds(data.nBase), data.base);
  });

  it('recall@10 ≥ 0.99 at efSearch = 64 (m = 16, efConstruction = 200)', () => {
    expect(recallOf(index, data, 10, { efSearch: 64 })).toBeGreaterThanOrEqual(0.99);
  });

  it('searchBatch gives what search gives, query by query', () => {
    const batch = index.searchBatch(data.queries.subarray(0, 20 * data.dim), 10, { efSearch: 32 });
    batch.forEach((r, i) => {
      const one = index.search(data.queries.subarray(i * data.dim, (i + 1) * data.dim), 10, { efSearch: 32 });
      expect(Array.from(r.ids)).toEqual(Array.from(one.ids));
      expect(Array.from(r.distances)).toEqual(Array.from(one.distances));
    });
  });
});
