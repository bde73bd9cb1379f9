import { describe, expect, it } from 'vitest';
import { createIndex, describe as describeIndex, load } from 'annkit';
import type { SearchOptions, SearchResult, TrainableIndex, VectorIndex } from 'annkit';
import { findSharedDatasetsDir, loadDataset, recallAtK } from '@annkit/datasets/node';
import { randomRows } from '@annkit/testkit';

// A spec ending in ",Rerank" keeps the raw vectors AND re-ranks by default (k × 10 candidates, or k × n for
// ",Rerank<n>"); a search may still pass its own `rerank`, 0 turning it off.
const dim = 32;
const n = 3000;
const rows = randomRows(n, dim, 31, 1);
const ids = Float64Array.from({ length: n }, (_, i) => 7 + 3 * i);
const queries = randomRows(20, dim, 32, 1);

/** The specs below mix families: their search options, as one loose type. */
type AnyReranking = VectorIndex<SearchOptions & Record<string, number>>;

function build(spec: string, extra: Record<string, unknown> = {}): AnyReranking {
  const index = createIndex(spec, { dim, metric: 'l2', seed: 9, ...extra }) as AnyReranking;
  const trainable = index as Partial<TrainableIndex>;
  if (typeof trainable.train === 'function' && trainable.isTrained === false) trainable.train(rows);
  index.addBatch(ids, rows);
  return index;
}

const plain = (r: SearchResult[]) => r.map((x) => ({ ids: Array.from(x.ids), distances: Array.from(x.distances) }));

const SPECS: [spec: string, search: Record<string, number>][] = [
  ['SQ8,Rerank', {}],
  ['SQ4,Rerank', {}],
  ['PQ16,Rerank', {}],
  ['IVF32,PQ16,Rerank', { nprobe: 8 }],
  ['IVF32,SQ8,Rerank', { nprobe: 8 }],
  ['HNSW16,SQ8,Rerank', { efSearch: 64 }],
  ['HNSW16,PQ16,Rerank', { efSearch: 64 }],
];

describe('",Rerank" re-ranks by default', () => {
  for (const [spec, search] of SPECS) {
    it(`${spec}: a search without rerank equals one with rerank 10, returns exact distances, and still does after load()`, () => {
      const index = build(spec);
      const byDefault = index.searchBatch(queries, 10, search);
      expect(plain(byDefault)).toEqual(plain(index.searchBatch(queries, 10, { ...search, rerank: 10 })));
      // Re-ranked distances are exact: the squared distance from the query to the raw row.
      byDefault.forEach((r, q) => r.ids.forEach((id, i) => expect(r.distances[i]).toBeCloseTo(squaredL2(queries, q, rowOf(id)), 3)));
      const loaded = load(index.serialize());
      expect(describeIndex(loaded)).toBe(describeIndex(index));
      expect(plain(loaded.searchBatch(queries, 10, search))).toEqual(plain(byDefault));
    });
  }

  it('",Rerank4" re-ranks k × 4 by default; describe() names the factor', () => {
    const index = build('PQ16,Rerank4');
    expect(describeIndex(index)).toBe('PQ16,Rerank4');
    expect(plain(index.searchBatch(queries, 10))).toEqual(plain(index.searchBatch(queries, 10, { rerank: 4 })));
    const loaded = load(index.serialize());
    expect(describeIndex(loaded)).toBe('PQ16,Rerank4');
    expect(plain(loaded.searchBatch(queries, 10))).toEqual(plain(index.searchBatch(queries, 10, { rerank: 4 })));
  });

  it('rerank 0 in a search turns it off: the code ranking of the same index without ",Rerank"', () => {
    const reranking = build('IVF32,PQ16,Rerank');
    const codesOnly = build('IVF32,PQ16');
    expect(describeIndex(codesOnly)).toBe('IVF32,PQ16');
    expect(plain(reranking.searchBatch(queries, 10, { nprobe: 8, rerank: 0 }))).toEqual(plain(codesOnly.searchBatch(queries, 10, { nprobe: 8 })));
  });
});

const rowOf = (id: number) => (id - 7) / 3;

function squaredL2(qs: Float32Array, q: number, row: number): number {
  let sum = 0;
  for (let j = 0; j < dim; j++) sum += (qs[q * dim + j]! - rows[row * dim + j]!) ** 2;
  return sum;
}

// The figure: IVF-PQ with ",Rerank" searched without a rerank option. Before, it only kept the raw
// vectors and topped out at the code ranking's recall; now the default re-rank lifts it.
describe.runIf(findSharedDatasetsDir() !== undefined)('",Rerank" on glove6b-100-angular (10k slice)', async () => {
  const NB = 10_000;
  const data = await loadDataset('glove6b-100-angular', { maxBase: NB, maxQueries: 200, quiet: true });
  const gloveIds = Float64Array.from({ length: NB }, (_, i) => i);

  it('IVF100,PQ25,Rerank reaches recall@10 ≥ 0.9 with no rerank option; the same codes without re-ranking stay below it', () => {
    const index = createIndex('IVF100,PQ25,Rerank', { dim: data.dim, metric: data.metric, niter: 5, seed: 5 });
    index.train(data.base.subarray(0, 5000 * data.dim));
    index.addBatch(gloveIds, data.base);
    const recall = (opts: { nprobe: number; rerank?: number }) =>
      recallAtK(index.searchBatch(data.queries, 10, opts).map((r) => r.ids), data.groundTruth, data.gtK, 10, { tieTolerance: data });
    const byDefault = recall({ nprobe: 32 });
    const codesOnly = recall({ nprobe: 32, rerank: 0 });
    expect(byDefault).toBeGreaterThanOrEqual(0.9);
    expect(codesOnly).toBeLessThan(byDefault);
  });
});
