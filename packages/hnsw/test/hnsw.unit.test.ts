import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HnswIndex } from '@annkit/hnsw';
import type { HnswIndexOptions } from '@annkit/hnsw';
import { bytesEqual, expectCode, randomRows } from '@annkit/testkit';

const dim = 8;
const rows = (n: number, seed: number) => randomRows(n, dim, seed, 2);
const ids = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i);

/** An index with history: compacted once (free slots), then with tombstones awaiting compaction. */
function seasoned(metric: 'l2' | 'ip' | 'cosine', extra: Partial<HnswIndexOptions> = {}): HnswIndex {
  const index = new HnswIndex({ dim, metric, m: 4, efConstruction: 24, seed: 5, maxTombstoneRatio: 0.5, ...extra });
  index.addBatch(ids(300, 0), rows(300, 1));
  for (let id = 0; id < 300; id += 4) index.remove(id);
  index.compact();
  for (let id = 1; id < 300; id += 9) index.remove(id);
  return index;
}

describe('HnswIndex: options and errors', () => {
  it('rejects bad construction options with INVALID_ARGUMENT', () => {
    const bad: Partial<HnswIndexOptions>[] = [{ m: 1 }, { m: 2.5 }, { m: 1000 }, { efConstruction: 0 }, { efConstruction: 1.5 }, { maxTombstoneRatio: 0 }, { maxTombstoneRatio: 2 }, { seed: 0.5 }, { initialCapacity: 0 }];
    for (const extra of bad) expectCode(() => new HnswIndex({ dim, metric: 'l2', ...extra }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex({ dim: 0, metric: 'l2' }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex({ dim, metric: 'hamming' as never }), 'INVALID_ARGUMENT');
    expectCode(() => new HnswIndex(null as never), 'INVALID_ARGUMENT');
  });

  it('rejects bad search options with INVALID_ARGUMENT and leaves the index unchanged', () => {
    const index = seasoned('l2');
    const before = index.serialize();
    const q = rows(1, 9);
    for (const opts of [{ efSearch: 0 }, { efSearch: -3 }, { efSearch: 2.5 }, { efSearch: 'many' as never }, { filterStrategy: 'fast' as never }]) {
      expectCode(() => index.search(q, 5, opts), 'INVALID_ARGUMENT');
      expectCode(() => index.searchBatch(q, 5, opts), 'INVALID_ARGUMENT');
    }
    expect(bytesEqual(index.serialize(), before)).toBe(true);
  });

  it('reports build parameters and counts', () => {
    const index = seasoned('cosine');
    expect(index.kind).toBe('hnsw');
    expect(index.m).toBe(4);
    expect(index.efConstruction).toBe(24);
    const buried = ids(300, 0).filter((id) => id % 9 === 1 && id % 4 !== 0).length;
    expect(index.size).toBe(300 - 75 - buried);
    expect(index.tombstones).toBe(buried);
    expect(index.memoryBytes).toBeGreaterThan(0);
  });
});

describe('HnswIndex: addBatch progress and abort on an index with history', () => {
  for (const metric of ['l2', 'ip', 'cosine'] as const) {
    it(`${metric}: an abort at any point restores the exact bytes, reused free slots included`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 190 }), (abortAt) => {
          // (core's ProgressTracker checks for abort every 2 rows here, and not after the last checkpoint)
          const index = seasoned(metric);
          const before = index.serialize();
          const controller = new AbortController();
          expectCode(
            () =>
              index.addBatch(ids(200, 1000), rows(200, 2), {
                signal: controller.signal,
                onProgress: (e) => {
                  if (e.done >= abortAt) controller.abort();
                },
              }),
            'ABORTED',
          );
          expect(bytesEqual(index.serialize(), before)).toBe(true);
          // And the index still works the same afterwards: the same batch now gives the same bytes as on a twin.
          const twin = seasoned(metric);
          index.addBatch(ids(200, 1000), rows(200, 2));
          twin.addBatch(ids(200, 1000), rows(200, 2));
          expect(bytesEqual(index.serialize(), twin.serialize())).toBe(true);
        }),
        { numRuns: 12 },
      );
    });
  }

  it('a throwing progress callback rolls back too', () => {
    const index = seasoned('l2');
    const before = index.serialize();
    expect(() =>
      index.addBatch(ids(50, 5000), rows(50, 3), {
        onProgress: (e) => {
          if (e.done > 10) throw new Error('stop');
        },
      }),
    ).toThrow('stop');
    expect(bytesEqual(index.serialize(), before)).toBe(true);
  });
});

describe('HnswIndex: removal and compaction', () => {
  it('removing everything, then adding again, gives a working index', () => {
    const index = new HnswIndex({ dim, metric: 'l2', m: 4, efConstruction: 16 });
    index.addBatch(ids(100, 0), rows(100, 4));
    for (let id = 0; id < 100; id++) expect(index.remove(id)).toBe(true);
    expect(index.size).toBe(0);
    expect(index.search(rows(1, 5), 3).ids.length).toBe(0);
    index.add(7, rows(1, 6));
    expect(Array.from(index.search(rows(1, 6), 3).ids)).toEqual([7]);
    index.compact();
    expect(index.tombstones).toBe(0);
    index.addBatch(ids(50, 200), rows(50, 7));
    expect(index.size).toBe(51);
    // Every live vector is reachable: each one is its own nearest neighbour with a wide beam.
    for (let i = 0; i < 50; i++) expect(index.search(rows(50, 7).subarray(i * dim, (i + 1) * dim), 1, { efSearch: 64 }).ids[0]).toBe(200 + i);
  });

  it('after heavy churn every live vector is still found as its own nearest neighbour', () => {
    const index = new HnswIndex({ dim, metric: 'l2', m: 4, efConstruction: 32, seed: 9 });
    const data = rows(400, 8);
    index.addBatch(ids(400, 0), data);
    for (let round = 0; round < 3; round++) {
      for (let id = round; id < 400; id += 3) index.remove(id);
      for (let id = round; id < 400; id += 3) index.add(id, data.subarray(id * dim, (id + 1) * dim));
    }
    index.compact();
    let found = 0;
    for (let id = 0; id < 400; id++) if (index.search(data.subarray(id * dim, (id + 1) * dim), 1, { efSearch: 48 }).ids[0] === id) found++;
    expect(found / 400).toBeGreaterThanOrEqual(0.99);
  });

  it('autoCompact: false keeps tombstones until compact() is called', () => {
    const index = new HnswIndex({ dim, metric: 'ip', m: 4, efConstruction: 16, autoCompact: false });
    index.addBatch(ids(100, 0), rows(100, 10));
    for (let id = 0; id < 60; id++) index.remove(id);
    expect(index.tombstones).toBe(60);
    const loaded = HnswIndex.deserialize(index.serialize());
    expect(loaded.autoCompact).toBe(false);
    expect(loaded.tombstones).toBe(60);
    index.compact();
    expect(index.tombstones).toBe(0);
    expect(index.size).toBe(40);
  });

  it('float32 storage needs no training: train() validates its samples and changes nothing', () => {
    const index = seasoned('l2');
    const before = index.serialize();
    expect(index.isTrained).toBe(true);
    index.train(rows(10, 3));
    expectCode(() => index.train(Float32Array.of(NaN, 0, 0, 0, 0, 0, 0, 0)), 'INVALID_VECTOR');
    expect(bytesEqual(index.serialize(), before)).toBe(true);
  });

  it('upsert of an unchanged vector changes nothing', () => {
    const index = seasoned('cosine');
    const before = index.serialize();
    const v = index.getVector(2);
    index.upsert(2, v);
    expect(bytesEqual(index.serialize(), before)).toBe(true);
  });
});
