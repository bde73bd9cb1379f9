import { beforeAll, describe, expect, it } from 'vitest';
import { AnnoyIndex } from '@annkit/annoy';
import type { AnnoyIndexOptions } from '@annkit/annoy';
import { recallAtK } from '@annkit/datasets';
import { loadDataset } from '@annkit/datasets/node';
import type { Dataset } from '@annkit/datasets';

/*
 * Recall@10 (tie-tolerant) on real data, against exact ground truth for the base used (a prefix of the
 * GloVe base, recomputed and cached by loadDataset; the whole MNIST base). Parameters are the smallest that
 * clear the floors with some margin on these slices; the benchmark (bench/src/runs/annoy.ts)
 * maps the full curve.
 */
interface Case {
  name: string;
  maxBase?: number;
  queries: number;
  options: Omit<AnnoyIndexOptions, 'dim' | 'metric'>;
  searchK: number;
  floor: number;
}

const cases: Case[] = [
  { name: 'glove6b-100-angular', maxBase: 20_000, queries: 200, options: { nTrees: 20, seed: 1 }, searchK: 3000, floor: 0.9 },
  { name: 'mnist10k-784-euclidean', queries: 200, options: { nTrees: 10, seed: 1 }, searchK: 3000, floor: 0.95 },
];

function ids(n: number, from = 0): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => from + i);
}

function recallOf(index: AnnoyIndex, data: Dataset, searchK: number): number {
  const results = index.searchBatch(data.queries, 10, { searchK }).map((r) => r.ids);
  const tieTolerance = { base: data.base, queries: data.queries, dim: data.dim, metric: data.metric };
  return recallAtK(results, data.groundTruth, data.gtK, 10, { tieTolerance });
}

describe.each(cases)('AnnoyIndex on $name', (c) => {
  let data: Dataset;
  let oneShot: AnnoyIndex;
  let oneShotRecall: number;

  beforeAll(async () => {
    data = await loadDataset(c.name, { maxBase: c.maxBase, maxQueries: c.queries, quiet: true });
    oneShot = new AnnoyIndex({ dim: data.dim, metric: data.metric, ...c.options });
    oneShot.addBatch(ids(data.nBase), data.base);
    oneShot.build();
    oneShotRecall = recallOf(oneShot, data, c.searchK);
  });

  it(`recall@10 ≥ ${c.floor} at searchK = ${c.searchK}`, () => {
    expect(oneShotRecall).toBeGreaterThanOrEqual(c.floor);
  });

  it('recall grows with searchK and is exact once searchK covers the base', () => {
    const low = recallOf(oneShot, data, Math.max(10, c.searchK / 10));
    expect(low).toBeLessThanOrEqual(oneShotRecall);
    const sample = { ...data, queries: data.queries.subarray(0, 20 * data.dim), nQueries: 20 };
    expect(recallOf(oneShot, sample, data.nBase)).toBe(1);
  });

  it('after building on half the base and adding the other half incrementally, recall stays within 0.02', () => {
    const half = data.nBase >> 1;
    const grown = new AnnoyIndex({ dim: data.dim, metric: data.metric, ...c.options });
    grown.addBatch(ids(half), data.base.subarray(0, half * data.dim));
    grown.build();
    grown.addBatch(ids(data.nBase - half, half), data.base.subarray(half * data.dim));
    const grownRecall = recallOf(grown, data, c.searchK);
    expect(grownRecall).toBeGreaterThanOrEqual(oneShotRecall - 0.02);
  });
});
