import { BitsCodec, CodeStorage } from '@annkit/core';
import { describe, expect, it } from 'vitest';
import { FlatCodesIndex } from '@annkit/flat';
import type { StorageMaker } from '@annkit/flat';
import { recallAtK } from '@annkit/datasets';
import { loadDataset } from '@annkit/datasets/node';

const bits: StorageMaker = (dim, metric, kernels, initialCapacity) => new CodeStorage(new BitsCodec(dim, kernels), metric, kernels, initialCapacity);

// Binary quantization (one sign bit per centred dimension) is a coarse first pass: it must rank the true
// neighbours near the top so that an exact re-rank of a few hundred candidates finds most of them.
describe('FlatCodesIndex over packed sign bits (BitsCodec) on glove6b-100-angular', () => {
  it('Hamming candidates with exact rerank reach the recall floor, and rerank beats the bits alone', async () => {
    const data = await loadDataset('glove6b-100-angular', { maxQueries: 200, quiet: true });
    const index = new FlatCodesIndex({ dim: data.dim, metric: data.metric, storage: bits, keepVectors: true, initialCapacity: data.nBase });
    index.train(data.base.subarray(0, 20_000 * data.dim));
    index.addBatch(Float64Array.from({ length: data.nBase }, (_, i) => i), data.base);
    expect(index.codeSize).toBe(13);
    const recall = (rerank: number): number => recallAtK(index.searchBatch(data.queries, 10, { rerank }).map((r) => r.ids), data.groundTruth, data.gtK, 10);
    const plain = recall(0);
    const reranked = recall(50);
    console.log(`BitsCodec glove 200k: recall@10 ${plain.toFixed(3)} from bits alone, ${reranked.toFixed(3)} with rerank 50`);
    expect(plain).toBeGreaterThan(0.05);
    expect(reranked).toBeGreaterThan(plain + 0.2);
    expect(reranked).toBeGreaterThanOrEqual(0.7);
    index.free();
  });
});
