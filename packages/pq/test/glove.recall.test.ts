import { describe, expect, it } from 'vitest';
import { PqIndex } from '@annkit/pq';
import { findSharedDatasetsDir, loadDataset, recallAtK } from '@annkit/datasets/node';

// A 10k slice of glove6b-100-angular (ground truth recomputed for the slice), 200 queries.
const available = findSharedDatasetsDir() !== undefined;
const NB = 10_000;
const NQ = 200;

describe('PqIndex recall on glove6b-100-angular (10k slice)', async () => {
  const data = available ? await loadDataset('glove6b-100-angular', { maxBase: NB, maxQueries: NQ, quiet: true }) : null;
  const { dim, metric, base, queries, groundTruth, gtK } = data!;
  const ids = Float64Array.from({ length: NB }, (_, i) => i);
  const tie = { tieTolerance: { base, queries, dim, metric } };

  it('PQ m = 50 (2 dims per sub-quantizer), nbits 8: recall@10 ≥ 0.5 without rerank, ≥ 0.95 with rerank; m bytes per vector', () => {
    // 4096 training rows and 8 iterations keep the TypeScript-kernel training short; recall is far above the bars.
    const index = new PqIndex({ dim, metric, m: 50, nbits: 8, niter: 8, keepVectors: true });
    index.train(base.subarray(0, 4096 * dim));
    index.addBatch(ids, base);
    expect(index.codeSize).toBe(50);
    const plain = recallAtK(index.searchBatch(queries, 10).map((r) => r.ids), groundTruth, gtK, 10, tie);
    const reranked = recallAtK(index.searchBatch(queries, 10, { rerank: 4 }).map((r) => r.ids), groundTruth, gtK, 10, tie);
    expect(plain).toBeGreaterThanOrEqual(0.5);
    expect(reranked).toBeGreaterThanOrEqual(0.95);
  });
});
