import { describe, expect, it } from 'vitest';
import { FlatIndex } from '@annkit/flat';
import { recallAtK } from '@annkit/datasets';
import { loadDataset } from '@annkit/datasets/node';

// Exact search must reproduce the shipped ground truth (computed in float64) up to ties.
describe.each([
  ['glove6b-100-angular', 300],
  ['mnist10k-784-euclidean', 300],
])('FlatIndex on %s', (name, nq) => {
  it('recall@10 = 1.0 (tie-tolerant) against the exact ground truth', async () => {
    const data = await loadDataset(name, { maxQueries: nq, quiet: true });
    const index = new FlatIndex({ dim: data.dim, metric: data.metric, initialCapacity: data.nBase });
    index.addBatch(Float64Array.from({ length: data.nBase }, (_, i) => i), data.base);
    const results = index.searchBatch(data.queries, 10).map((r) => r.ids);
    const tieTolerance = { base: data.base, queries: data.queries, dim: data.dim, metric: data.metric };
    expect(recallAtK(results, data.groundTruth, data.gtK, 10, { tieTolerance })).toBe(1);
    // Without tie tolerance it is still essentially exact (the datasets have no duplicate vectors).
    expect(recallAtK(results, data.groundTruth, data.gtK, 10)).toBeGreaterThanOrEqual(0.999);
  });
});
