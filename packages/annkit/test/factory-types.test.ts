// Type tests of the factory: the result's type follows the spec string. Checked by the repository's
// typecheck (`tsc -p tsconfig.json`), which covers packages/*/test; each @ts-expect-error line must fail to
// compile, or the typecheck fails. The runtime assertions keep vitest honest about the same calls.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createIndex } from 'annkit';
import type { AnnoyIndex, FlatIndex, HnswIndex, IvfIndex, PqIndex, SearchResult, SqIndex, VectorIndex } from 'annkit';
import { randomRows } from '@annkit/testkit';

const dim = 8;
const rows = randomRows(300, dim, 1, 1);
const ids = Float64Array.from({ length: 300 }, (_, i) => i);
const query = rows.subarray(0, dim);

describe('createIndex: the type follows the factory string', () => {
  it('each family head gives its class, in any case', () => {
    expectTypeOf(createIndex('Flat', { dim, metric: 'l2' })).toEqualTypeOf<FlatIndex>();
    expectTypeOf(createIndex('SQ8,Rerank', { dim, metric: 'l2' })).toEqualTypeOf<SqIndex>();
    expectTypeOf(createIndex('PQ4x4', { dim, metric: 'l2' })).toEqualTypeOf<PqIndex>();
    expectTypeOf(createIndex('IVF64,SQ8', { dim, metric: 'l2' })).toEqualTypeOf<IvfIndex>();
    expectTypeOf(createIndex('ivf64,pq4,rerank', { dim, metric: 'l2' })).toEqualTypeOf<IvfIndex>();
    expectTypeOf(createIndex('HNSW32', { dim, metric: 'l2' })).toEqualTypeOf<HnswIndex>();
    expectTypeOf(createIndex('HNSW16,SQ8,Rerank4', { dim, metric: 'l2' })).toEqualTypeOf<HnswIndex>();
    expectTypeOf(createIndex('Annoy10', { dim, metric: 'l2' })).toEqualTypeOf<AnnoyIndex>();
    const spec: string = 'Flat';
    expectTypeOf(createIndex(spec, { dim, metric: 'l2', anything: 1 })).toEqualTypeOf<VectorIndex>();
    const either = Math.random() < 2 ? 'Flat' : 'HNSW8';
    expectTypeOf(createIndex(either, { dim, metric: 'l2' })).toEqualTypeOf<FlatIndex | HnswIndex>();
  });

  it('IVF has train() and { nprobe, rerank }; the README call compiles', () => {
    const index = createIndex('IVF16,SQ8', { dim, metric: 'l2', seed: 1 });
    index.train(rows);
    index.addBatch(ids, rows);
    const result = index.search(query, 5, { nprobe: 4, rerank: 0 });
    expectTypeOf(result).toEqualTypeOf<SearchResult>();
    expect(result.ids.length).toBe(5);
    // @ts-expect-error misspelt search option
    expect(() => index.search(query, 5, { nprob: 4 })).not.toThrow();
    // @ts-expect-error efSearch is HNSW's, not IVF's
    index.search(query, 5, { efSearch: 4 });
  });

  it('HNSW has { efSearch, filterStrategy }; Annoy { searchK }; Flat none', () => {
    const hnsw = createIndex('HNSW8', { dim, metric: 'cosine', efConstruction: 40 });
    hnsw.addBatch(ids, rows);
    expect(hnsw.search(query, 3, { efSearch: 32, filterStrategy: 'graph' }).ids.length).toBe(3);
    // @ts-expect-error misspelt search option
    hnsw.search(query, 3, { efSerch: 32 });
    // @ts-expect-error nprobe is IVF's
    hnsw.search(query, 3, { nprobe: 2 });
    const annoy = createIndex('Annoy4', { dim, metric: 'l2' });
    annoy.addBatch(ids, rows);
    expect(annoy.search(query, 3, { searchK: 100 }).ids.length).toBe(3);
    const flat = createIndex('Flat', { dim, metric: 'l2' });
    flat.addBatch(ids, rows);
    // @ts-expect-error Flat has no efSearch
    flat.search(query, 3, { efSearch: 2 });
  });

  it('SQ and PQ have train() and { rerank }', () => {
    const sq = createIndex('SQ8,Rerank', { dim, metric: 'l2' });
    sq.train(rows);
    sq.addBatch(ids, rows);
    expect(sq.search(query, 3, { rerank: 2 }).ids.length).toBe(3);
    const pq = createIndex('PQ4,Rerank', { dim, metric: 'l2', niter: 5 });
    pq.train(rows);
    pq.addBatch(ids, rows);
    expect(pq.search(query, 3, { rerank: 4 }).ids.length).toBe(3);
    // @ts-expect-error misspelt search option
    pq.search(query, 3, { rernak: 4 });
  });

  it('construction options are the family constructor options, minus those the string sets', () => {
    // @ts-expect-error misspelt constructor option
    expect(() => createIndex('HNSW16', { dim, metric: 'l2', efConstrution: 100 })).not.toThrow();
    // @ts-expect-error the string sets m
    expect(() => createIndex('HNSW16', { dim, metric: 'l2', m: 8 })).toThrow(/"m" is set by the factory string/);
    // @ts-expect-error the string sets nlist
    expect(() => createIndex('IVF16,Flat', { dim, metric: 'l2', nlist: 8 })).toThrow(/"nlist" is set by the factory string/);
    // @ts-expect-error nTrees is Annoy's, and the string sets it
    expect(() => createIndex('Annoy4', { dim, metric: 'l2', nTrees: 3 })).toThrow(/"nTrees" is set by the factory string/);
    // @ts-expect-error dim is required
    expect(() => createIndex('Flat', { metric: 'l2' })).toThrow(/dim/);
    // @ts-expect-error not a metric
    expect(() => createIndex('Flat', { dim, metric: 'euclid' })).toThrow(/metric/);
  });

  it('a literal string no family starts does not compile', () => {
    // @ts-expect-error "HSNW32" is not a factory string
    expect(() => createIndex('HSNW32', { dim, metric: 'l2' })).toThrow(/"HSNW32" is not a known index/);
  });
});
