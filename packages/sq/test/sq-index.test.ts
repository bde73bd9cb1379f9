import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqCodec, SqIndex } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import { FlatCodesIndex } from '@annkit/flat';
import type { StorageMaker } from '@annkit/flat';
import { BruteForceModel, bytesEqual, checkResultInvariants, expectCode, randomRows } from '@annkit/testkit';
import { CodeStorage } from '@annkit/core';
import type { Metric } from '@annkit/core';

describe('SqIndex', () => {
  it('without rerank: sorted, unique, live, filtered results whose distances are the decoded vectors\' (1 − q·x̂ under cosine)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Metric>('l2', 'ip', 'cosine'), fc.constantFrom<SqType>('sq8', 'sq4', 'fp16'), fc.integer({ min: 1, max: 30 }), fc.nat(100), (metric, type, k, seed) => {
        const dim = 5;
        const index = new SqIndex({ dim, metric, type });
        const rows = randomRows(80, dim, seed + 1, 3);
        if (!index.isTrained) index.train(rows);
        index.addBatch(Array.from({ length: 80 }, (_, i) => i), rows);
        for (let i = 0; i < 80; i += 7) index.remove(i);
        const model = new BruteForceModel(dim, metric === 'cosine' ? 'ip' : metric);
        for (let i = 0; i < 80; i++) if (index.has(i)) model.set(i, index.getVector(i));
        const q = randomRows(1, dim, seed + 2, 3);
        const filter = (id: number) => id % 2 === 0;
        const r = index.search(q, k, { filter });
        if (metric === 'cosine') {
          const norm = Math.hypot(...q);
          q.forEach((v, i) => (q[i] = v / norm));
          r.distances.forEach((d, i) => (r.distances[i] = d - 1));
        }
        expect(checkResultInvariants(r, model, q, k, filter)).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('training rules: NOT_TRAINED before training (fp16 needs none), INVALID_STATE when not empty, rerank needs keepVectors', () => {
    const index = new SqIndex({ dim: 3, metric: 'l2' });
    expectCode(() => index.add(1, Float32Array.of(1, 2, 3)), 'NOT_TRAINED');
    index.train(randomRows(10, 3, 1));
    index.add(1, Float32Array.of(1, 2, 3));
    expectCode(() => index.train(randomRows(10, 3, 1)), 'INVALID_STATE');
    expectCode(() => index.search(Float32Array.of(1, 2, 3), 1, { rerank: 2 }), 'INVALID_ARGUMENT');
    expectCode(() => new SqIndex({ dim: 3, metric: 'l2', type: 'sq3' as never }), 'INVALID_ARGUMENT');
    const fp16 = new SqIndex({ dim: 3, metric: 'cosine', type: 'fp16' });
    expect(fp16.isTrained).toBe(true);
    fp16.add(4, Float32Array.of(3, 0, 4));
    expect(Array.from(fp16.getVector(4)).map((v) => Number(v.toFixed(3)))).toEqual([0.6, 0, 0.8]);
  });

  it('rerank option: the default for searches without one, validated, saved with the index (old files: 0)', () => {
    const dim = 8;
    const rows = randomRows(120, dim, 7, 3);
    const ids = Array.from({ length: 120 }, (_, i) => i);
    expectCode(() => new SqIndex({ dim, metric: 'l2', rerank: 2 }), 'INVALID_ARGUMENT');
    expectCode(() => new SqIndex({ dim, metric: 'l2', keepVectors: true, rerank: 0.5 }), 'INVALID_ARGUMENT');
    const index = new SqIndex({ dim, metric: 'l2', type: 'sq4', keepVectors: true, rerank: 3 });
    expect(index.rerank).toBe(3);
    index.train(rows);
    index.addBatch(ids, rows);
    const q = randomRows(1, dim, 8, 3);
    const byDefault = index.search(q, 5);
    expect(byDefault).toEqual(index.search(q, 5, { rerank: 3 }));
    // rerank: 0 turns the default off: distances are then the (different) code distances.
    expect(index.search(q, 5, { rerank: 0 }).distances).not.toEqual(byDefault.distances);
    const bytes = index.serialize();
    const loaded = SqIndex.deserialize(bytes);
    expect(loaded.rerank).toBe(3);
    expect(loaded.search(q, 5)).toEqual(byDefault);
    expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
    const plain = new SqIndex({ dim, metric: 'l2', keepVectors: true });
    expect(new TextDecoder().decode(plain.serialize())).not.toContain('rerank');
    expect(SqIndex.deserialize(plain.serialize()).rerank).toBe(0);
  });

  it('a FlatCodesIndex file must be loaded with the storage it was written by', () => {
    const sqRows =
      (type: SqType): StorageMaker =>
      (dim, metric, kernels, capacity) =>
        new CodeStorage(new SqCodec({ dim, type, kernels }), metric, kernels, capacity);
    const index = new FlatCodesIndex({ dim: 4, metric: 'ip', storage: sqRows('sq8') });
    index.train(randomRows(20, 4, 1));
    index.addBatch([1, 2], randomRows(2, 4, 2));
    const bytes = index.serialize();
    expect(FlatCodesIndex.deserialize(bytes, { storage: sqRows('sq8') }).search(randomRows(1, 4, 3), 2).ids.length).toBe(2);
    expectCode(() => FlatCodesIndex.deserialize(bytes, { storage: sqRows('sq4') }), 'CORRUPT_DATA');
    expectCode(() => FlatCodesIndex.deserialize(bytes, { storage: sqRows('fp16') }), 'CORRUPT_DATA');
  });
});
