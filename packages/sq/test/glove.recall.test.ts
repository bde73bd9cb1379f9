import { describe, expect, it } from 'vitest';
import { SqIndex } from '@annkit/sq';
import { findSharedDatasetsDir, loadDataset, recallAtK } from '@annkit/datasets/node';

// A 10k slice of glove6b-100-angular (ground truth recomputed for the slice), 200 queries.
const available = findSharedDatasetsDir() !== undefined;
const NB = 10_000;
const NQ = 200;

describe('SqIndex recall on glove6b-100-angular (10k slice)', async () => {
  const data = available ? await loadDataset('glove6b-100-angular', { maxBase: NB, maxQueries: NQ, quiet: true }) : null;
  const { dim, metric, base, queries, groundTruth, gtK } = data!;
  const ids = Float64Array.from({ length: NB }, (_, i) => i);
  const tie = { tieTolerance: { base, queries, dim, metric } };

  it('SQ8: recall@10 ≥ 0.95 without rerank, ≥ 0.99 with rerank ×4; d bytes of codes per vector', () => {
    const index = new SqIndex({ dim, metric, type: 'sq8', keepVectors: true });
    index.train(base);
    index.addBatch(ids, base);
    expect(index.codeSize).toBe(dim);
    const plain = recallAtK(index.searchBatch(queries, 10).map((r) => r.ids), groundTruth, gtK, 10, tie);
    const reranked = recallAtK(index.searchBatch(queries, 10, { rerank: 4 }).map((r) => r.ids), groundTruth, gtK, 10, tie);
    expect(plain).toBeGreaterThanOrEqual(0.95);
    expect(reranked).toBeGreaterThanOrEqual(0.99);
  });

  it('SQ4 and fp16: half and double the bytes; fp16 is near exact', () => {
    const sq4 = new SqIndex({ dim, metric, type: 'sq4' });
    sq4.train(base);
    sq4.addBatch(ids, base);
    expect(sq4.codeSize).toBe(dim / 2);
    expect(recallAtK(sq4.searchBatch(queries, 10).map((r) => r.ids), groundTruth, gtK, 10, tie)).toBeGreaterThanOrEqual(0.7);
    const fp16 = new SqIndex({ dim, metric, type: 'fp16' });
    fp16.addBatch(ids, base);
    expect(fp16.codeSize).toBe(2 * dim);
    expect(recallAtK(fp16.searchBatch(queries.subarray(0, 50 * dim), 10).map((r) => r.ids), groundTruth, gtK, 10, tie)).toBeGreaterThanOrEqual(0.99);
  });
});
