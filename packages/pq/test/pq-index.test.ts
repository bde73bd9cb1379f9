import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PqIndex } from '@annkit/pq';
import { BruteForceModel, bytesEqual, checkResultInvariants, expectCode, randomRows } from '@annkit/testkit';
import type { Metric } from '@annkit/core';

describe('PqIndex', () => {
  it('without rerank: sorted, unique, live, filtered results whose distances are the decoded vectors\' (1 − q·x̂ under cosine)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Metric>('l2', 'ip', 'cosine'), fc.constantFrom<4 | 8>(4, 8), fc.integer({ min: 1, max: 30 }), fc.nat(100), (metric, nbits, k, seed) => {
        const dim = 6;
        const index = new PqIndex({ dim, metric, m: 3, nbits, niter: 3, seed });
        const rows = randomRows(80, dim, seed + 1, 3);
        index.train(rows);
        index.addBatch(Array.from({ length: 80 }, (_, i) => i), rows);
        for (let i = 0; i < 80; i += 7) index.remove(i);
        index.upsert(3, rows.subarray(0, dim));
        const model = new BruteForceModel(dim, metric === 'cosine' ? 'ip' : metric);
        for (let i = 0; i < 80; i++) if (index.has(i)) model.set(i, index.getVector(i));
        const q = randomRows(1, dim, seed + 2, 3);
        const filter = (id: number) => id % 2 === 1;
        const r = index.search(q, k, { filter });
        if (metric === 'cosine') {
          const norm = Math.hypot(...q);
          q.forEach((v, i) => (q[i] = v / norm));
          r.distances.forEach((d, i) => (r.distances[i] = d - 1));
        }
        expect(checkResultInvariants(r, model, q, k, filter)).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it('training rules and batch/single encodes agree', () => {
    const index = new PqIndex({ dim: 4, metric: 'l2', m: 2, niter: 3 });
    expectCode(() => index.add(1, new Float32Array(4)), 'NOT_TRAINED');
    const rows = randomRows(600, 4, 3, 2);
    index.train(rows);
    index.addBatch(Array.from({ length: 600 }, (_, i) => i), rows);
    const single = new PqIndex({ dim: 4, metric: 'l2', m: 2, niter: 3 });
    single.train(rows);
    for (let i = 0; i < 600; i++) single.add(i, rows.subarray(i * 4, (i + 1) * 4));
    expect(Array.from(single.serialize())).toEqual(Array.from(index.serialize()));
    expectCode(() => index.train(rows), 'INVALID_STATE');
    expectCode(() => index.search(rows.subarray(0, 4), 1, { rerank: 3 }), 'INVALID_ARGUMENT');
    expectCode(() => new PqIndex({ dim: 4, metric: 'l2', m: 3 }), 'INVALID_ARGUMENT');
  });

  it('rerank option: the default for searches without one, validated, saved with the index', () => {
    const rows = randomRows(300, 4, 5, 2);
    expectCode(() => new PqIndex({ dim: 4, metric: 'l2', m: 2, rerank: 4 }), 'INVALID_ARGUMENT');
    expectCode(() => new PqIndex({ dim: 4, metric: 'l2', m: 2, keepVectors: true, rerank: -1 }), 'INVALID_ARGUMENT');
    const index = new PqIndex({ dim: 4, metric: 'cosine', m: 2, nbits: 4, niter: 3, keepVectors: true, rerank: 4 });
    index.train(rows);
    index.addBatch(Array.from({ length: 300 }, (_, i) => i), rows);
    const q = randomRows(1, 4, 6, 2);
    const byDefault = index.search(q, 5);
    expect(byDefault).toEqual(index.search(q, 5, { rerank: 4 }));
    expect(index.search(q, 5, { rerank: 0 }).distances).not.toEqual(byDefault.distances);
    const bytes = index.serialize();
    const loaded = PqIndex.deserialize(new Uint8Array(bytes).buffer); // an ArrayBuffer
    expect(loaded.rerank).toBe(4);
    expect(loaded.search(Array.from(q), 5)).toEqual(byDefault);
    expect(bytesEqual(loaded.serialize(), bytes)).toBe(true);
  });

  it('an aborted training keeps the codebooks it had', () => {
    const rows = randomRows(300, 4, 5, 2);
    const index = new PqIndex({ dim: 4, metric: 'l2', m: 2, niter: 3 });
    index.train(rows);
    const before = index.serialize();
    const controller = new AbortController();
    const other = randomRows(300, 4, 9, 5);
    expectCode(() => index.train(other, { signal: controller.signal, onProgress: (e) => e.done > 0 && controller.abort() }), 'ABORTED');
    expect(bytesEqual(index.serialize(), before)).toBe(true);
    index.add(1, rows.subarray(0, 4));
    expect(index.getVector(1).length).toBe(4);
  });
});
