import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@annkit/core';
import type { FlatIndex } from '@annkit/flat';
import { loadDataset } from '@annkit/datasets/node';
import type { Dataset } from '@annkit/datasets';
import { HnswIndex } from '@annkit/hnsw';
import { filteredRecall, hashedSubset, oracleFor, rangeIds, recallOf } from './helpers.js';

/*
 * Real data: a 10k prefix of glove6b-100-angular (exact ground truth for that base, from @annkit/datasets),
 * 200 queries, the build parameters (m = 16, efConstruction = 200). One index serves every test in
 * order: recall, then filters, then the updates that change it. The benchmark (bench/src/runs/hnsw.ts)
 * covers the full 200k base and the comparison with hnswlib.
 */
const BASE = 10_000;
const QUERIES = 200;

describe('HnswIndex on glove6b-100-angular (10k slice)', () => {
  let data: Dataset;
  let index: HnswIndex;
  let oracle: FlatIndex;
  let freshRecall: number;

  beforeAll(async () => {
    data = await loadDataset('glove6b-100-angular', { maxBase: BASE, maxQueries: QUERIES, quiet: true });
    index = new HnswIndex({ dim: data.dim, metric: data.metric, m: 16, efConstruction: 200, seed: 7 });
    index.addBatch(rangeIds(data.nBase), data.base);
    oracle = oracleFor(data);
    freshRecall = recallOf(index, data, 10, { efSearch: 64 });
  });

  it('recall@10 ≥ 0.95 at efSearch = 128 (m = 16, efConstruction = 200)', () => {
    expect(recallOf(index, data, 10, { efSearch: 128 })).toBeGreaterThanOrEqual(0.95);
  });

  it('recall grows with efSearch, and efSearch below k is raised to k', () => {
    const low = recallOf(index, data, 10, { efSearch: 10 });
    expect(low).toBeLessThan(freshRecall);
    expect(recallOf(index, data, 10, { efSearch: 2 })).toBe(low);
    expect(freshRecall).toBeGreaterThan(0.9);
  });

  describe('filtered search stays accurate at any selectivity', () => {
    for (const fraction of [0.5, 0.05, 0.005]) {
      it(`${fraction * 100}% of the vectors allowed: recall@10 ≥ 0.9 with a predicate and with a Set`, () => {
        const allowed = hashedSubset(data.nBase, fraction, 17);
        expect(filteredRecall(index, oracle, data, 10, { filter: (id) => allowed.has(id) })).toBeGreaterThanOrEqual(0.9);
        expect(filteredRecall(index, oracle, data, 10, { filter: allowed })).toBeGreaterThanOrEqual(0.9);
      });
    }

    it('the graph walk alone (no exact fallback) also keeps recall ≥ 0.9 at 5% and 0.5%', () => {
      for (const fraction of [0.05, 0.005]) {
        const allowed = hashedSubset(data.nBase, fraction, 23);
        expect(filteredRecall(index, oracle, data, 10, { filter: allowed, filterStrategy: 'graph' })).toBeGreaterThanOrEqual(0.9);
      }
    });

    it('the exact strategy equals the oracle', () => {
      const allowed = hashedSubset(data.nBase, 0.5, 29);
      expect(filteredRecall(index, oracle, data, 10, { filter: allowed, filterStrategy: 'exact' })).toBe(1);
    });
  });

  describe('real-time updates', () => {
    it('removing 20% and adding it back keeps recall within 0.01 of the fresh build, reusing the slots', () => {
      const rng = new Rng(99);
      const picked = rng.sample(data.nBase, data.nBase / 5);
      const bytesBefore = index.memoryBytes;
      for (const id of picked) expect(index.remove(id)).toBe(true);
      expect(index.size).toBe(data.nBase - picked.length);
      // Compaction ran along the way: few tombstones are left, and removed ids never come back.
      expect(index.tombstones).toBeLessThanOrEqual(0.1 * index.size + 1);
      const gone = new Set(picked);
      for (const r of index.searchBatch(data.queries, 10, { efSearch: 64 })) for (const id of r.ids) expect(gone.has(id)).toBe(false);

      for (const id of picked) index.add(id, data.base.subarray(id * data.dim, (id + 1) * data.dim));
      expect(index.size).toBe(data.nBase);
      const after = recallOf(index, data, 10, { efSearch: 64 });
      expect(after).toBeGreaterThanOrEqual(freshRecall - 0.01);
      // Freed slots were reused: the index grew at most by the tombstones still awaiting compaction
      // (≤ maxTombstoneRatio = 10% of the slots), not by the 20% re-added.
      expect(index.memoryBytes).toBeLessThanOrEqual(bytesBefore * 1.1);
    });

    it('upsert moves vectors: after shuffling 10% of them among their ids (and compacting), recall holds', () => {
      const rng = new Rng(5);
      const moved = rng.sample(data.nBase, data.nBase / 10);
      const row = (id: number) => data.base.subarray(id * data.dim, (id + 1) * data.dim);
      const exact = oracleFor(data);
      const before = filteredRecall(index, exact, data, 10, { efSearch: 64 });
      // A cycle: moved[i] takes the vector of moved[i + 1].
      const vectors = Array.from(moved, (_, i) => row(moved[(i + 1) % moved.length]!));
      moved.forEach((id, i) => {
        index.upsert(id, vectors[i]!);
        exact.upsert(id, vectors[i]!);
      });
      expect(index.size).toBe(data.nBase);
      for (const id of moved.subarray(0, 20)) expect(Array.from(index.getVector(id))).toEqual(Array.from(exact.getVector(id)));
      expect(filteredRecall(index, exact, data, 10, { efSearch: 64 })).toBeGreaterThanOrEqual(before - 0.01);
      index.compact();
      expect(index.tombstones).toBe(0);
      expect(filteredRecall(index, exact, data, 10, { efSearch: 64 })).toBeGreaterThanOrEqual(before - 0.01);
    });

    it('compact() leaves no tombstones, and the index round-trips byte for byte', () => {
      for (let id = 0; id < 300; id++) index.remove(id);
      index.compact();
      expect(index.tombstones).toBe(0);
      const bytes = index.serialize();
      const loaded = HnswIndex.deserialize(bytes);
      expect(loaded.size).toBe(index.size);
      const a = index.searchBatch(data.queries, 10, { efSearch: 32 });
      const b = loaded.searchBatch(data.queries, 10, { efSearch: 32 });
      expect(b.map((r) => Array.from(r.ids))).toEqual(a.map((r) => Array.from(r.ids)));
      expect(Buffer.compare(Buffer.from(loaded.serialize()), Buffer.from(bytes))).toBe(0);
    });
  });
});
