import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IvfIndex } from '@annkit/ivf';
import { BruteForceModel, bytesEqual, checkResultInvariants, expectCode, randomRows } from '@annkit/testkit';
import type { Metric } from '@annkit/core';

const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

function trained(metric: Metric, opts: Partial<ConstructorParameters<typeof IvfIndex>[0]> = {}, dim = 6): IvfIndex {
  const index = new IvfIndex({ dim, metric, nlist: 8, seed: 3, ...opts });
  index.train(randomRows(400, dim, 9, 2));
  return index;
}

describe('IvfIndex', () => {
  it('adding before training is NOT_TRAINED; training a non-empty index is INVALID_STATE', () => {
    const index = new IvfIndex({ dim: 4, metric: 'l2', nlist: 4 });
    expect(index.isTrained).toBe(false);
    expectCode(() => index.add(1, new Float32Array(4)), 'NOT_TRAINED');
    expectCode(() => index.addBatch([1], new Float32Array(4)), 'NOT_TRAINED');
    expectCode(() => index.upsert(1, new Float32Array(4)), 'NOT_TRAINED');
    expect(index.search(new Float32Array(4), 3).ids.length).toBe(0);
    index.train(randomRows(100, 4, 1));
    index.add(1, new Float32Array(4));
    expectCode(() => index.train(randomRows(100, 4, 1)), 'INVALID_STATE');
  });

  it('fewer training samples than nlist: nlist is reduced to the sample count, with a warning', () => {
    const index = new IvfIndex({ dim: 3, metric: 'l2', nlist: 50 });
    index.train(randomRows(7, 3, 2));
    expect(index.nlist).toBe(7);
    expect(index.trainWarnings.join(' ')).toMatch(/trained 7 centroids/);
    index.addBatch(ids(30), randomRows(30, 3, 4));
    const q = randomRows(1, 3, 5);
    const model = new BruteForceModel(3, 'l2');
    ids(30).forEach((id) => model.set(id, index.getVector(id)));
    const exact = index.search(q, 5, { nprobe: 7 });
    expect(Array.from(exact.ids)).toEqual(model.search(q, 5).map((h) => h.id));
  });

  it('trains on duplicates and constant dimensions (every codec)', () => {
    const rows = new Float32Array(200 * 4);
    for (let r = 0; r < 200; r++) rows.set([r % 3, 7, -2, r % 3], r * 4);
    for (const codec of ['flat', 'sq8', 'sq4', 'fp16', { type: 'pq', m: 2, niter: 3 }] as const) {
      const index = new IvfIndex({ dim: 4, metric: 'l2', nlist: 10, codec, keepVectors: codec !== 'flat' });
      index.train(rows);
      index.addBatch(ids(200), rows);
      const r = index.search(Float32Array.of(1, 7, -2, 1), 3, { nprobe: 10, ...(codec === 'flat' ? {} : { rerank: 50 }) });
      expect(r.distances[0]).toBeCloseTo(0, 5);
      expect(index.getVector(1)[1]).toBeCloseTo(7, 5);
    }
  });

  it('an aborted training leaves the index untrained and unchanged', () => {
    const index = new IvfIndex({ dim: 4, metric: 'cosine', nlist: 8, codec: 'sq8' });
    const before = index.serialize();
    const controller = new AbortController();
    expectCode(() => index.train(randomRows(500, 4, 3), { signal: controller.signal, onProgress: (e) => e.done > 100 && controller.abort() }), 'ABORTED');
    expect(index.isTrained).toBe(false);
    expect(bytesEqual(index.serialize(), before)).toBe(true);
    const events: number[] = [];
    index.train(randomRows(500, 4, 3), { onProgress: (e) => events.push(e.done) });
    expect(events.at(-1)).toBe(1000);
    expect(events.every((d, i) => i === 0 || d >= events[i - 1]!)).toBe(true);
  });

  it('search parameters are validated; rerank needs keepVectors (except flat)', () => {
    const sq = trained('l2', { codec: 'sq8' });
    sq.addBatch(ids(20), randomRows(20, 6, 3));
    const q = randomRows(1, 6, 4);
    expectCode(() => sq.search(q, 3, { nprobe: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => sq.search(q, 3, { nprobe: 1.5 }), 'INVALID_ARGUMENT');
    expectCode(() => sq.search(q, 3, { rerank: 0.5 }), 'INVALID_ARGUMENT');
    expectCode(() => sq.search(q, 3, { rerank: 2 }), 'INVALID_ARGUMENT');
    expect(sq.search(q, 3, { nprobe: 1000 }).ids.length).toBe(3);
    const flat = trained('l2');
    flat.addBatch(ids(20), randomRows(20, 6, 3));
    expect(flat.search(q, 3, { rerank: 4 }).ids.length).toBeGreaterThan(0);
    expectCode(() => new IvfIndex({ dim: 6, metric: 'l2', nlist: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => new IvfIndex({ dim: 6, metric: 'l2', nlist: 4, codec: { type: 'pq', m: 4 } }), 'INVALID_ARGUMENT');
    expectCode(() => new IvfIndex({ dim: 6, metric: 'l2', nlist: 4, codec: { type: 'pq', m: 3, nbits: 6 as never } }), 'INVALID_ARGUMENT');
    expectCode(() => new IvfIndex({ dim: 6, metric: 'l2', nlist: 4, codec: 'sq2' as never }), 'INVALID_ARGUMENT');
  });

  it('without rerank, quantized results are sorted, unique, live and filtered, with the decoded vectors\' distances', () => {
    fc.assert(
      fc.property(fc.constantFrom<Metric>('l2', 'ip', 'cosine'), fc.constantFrom('sq8', 'sq4', 'fp16', 'pq'), fc.integer({ min: 1, max: 40 }), fc.nat(50), (metric, codecName, k, seed) => {
        const codec = codecName === 'pq' ? ({ type: 'pq', m: 3, niter: 3 } as const) : codecName;
        const index = trained(metric, { codec, seed });
        const rows = randomRows(120, 6, seed + 11, 3);
        index.addBatch(ids(120, 1000), rows);
        for (let i = 0; i < 20; i++) index.remove(1000 + ((i * 7 + seed) % 120));
        // Under cosine the code distance is 1 − q·x̂ with the decoded x̂ (not renormalised): an 'ip' model
        // over the decoded vectors and the normalised query, shifted by 1, is the reference.
        const model = new BruteForceModel(6, metric === 'cosine' ? 'ip' : metric);
        for (const id of ids(120, 1000)) if (index.has(id)) model.set(id, index.getVector(id));
        const filter = (id: number) => id % 3 !== 0;
        const q = randomRows(1, 6, seed + 99, 3);
        const r = index.search(q, k, { nprobe: 3, filter });
        if (metric === 'cosine') {
          const norm = Math.hypot(...q);
          q.forEach((v, i) => (q[i] = v / norm));
          r.distances.forEach((d, i) => (r.distances[i] = d - 1));
        }
        const violation = checkResultInvariants(r, model, q, k, filter);
        expect(violation).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it('l2 IVF-PQ with precomputed list tables: short lists (two lookup passes) and long lists (summed table) agree with decoded distances', () => {
    for (const [nlist, n] of [
      [2, 700],
      [40, 120],
    ] as const) {
      const index = new IvfIndex({ dim: 6, metric: 'l2', nlist, seed: 4, codec: { type: 'pq', m: 3, niter: 3 } });
      index.train(randomRows(800, 6, 5, 2));
      index.addBatch(ids(n), randomRows(n, 6, 6, 2));
      const model = new BruteForceModel(6, 'l2');
      for (const id of ids(n)) model.set(id, index.getVector(id));
      for (let s = 0; s < 5; s++) {
        const q = randomRows(1, 6, 100 + s, 2);
        expect(checkResultInvariants(index.search(q, 20, { nprobe: nlist }), model, q, 20)).toBeNull();
      }
    }
  });

  it('upsert moves a vector to its new list; remove keeps every list consistent', () => {
    const index = trained('l2');
    const rows = randomRows(200, 6, 21, 2);
    index.addBatch(ids(200), rows);
    const target = randomRows(1, 6, 77, 5);
    index.upsert(17, target);
    expect(index.search(target, 1, { nprobe: 1 }).ids[0]).toBe(17);
    for (let id = 0; id < 200; id += 2) expect(index.remove(id)).toBe(true);
    expect(index.size).toBe(100);
    const copy = IvfIndex.deserialize(index.serialize());
    for (let id = 1; id < 200; id += 2) {
      const v = id === 17 ? target : rows.subarray(id * 6, (id + 1) * 6);
      expect(copy.search(v, 1, { nprobe: 8 }).ids[0]).toBe(id);
    }
  });

  it('memory: codes of d bytes (SQ8), m bytes (PQ8), ceil(m/2) (PQ4), 4d (flat) per vector', () => {
    expect(trained('l2').codeSize).toBe(24);
    expect(trained('l2', { codec: 'sq8' }).codeSize).toBe(6);
    expect(trained('l2', { codec: 'sq4' }).codeSize).toBe(3);
    expect(trained('l2', { codec: { type: 'pq', m: 3, niter: 2 } }).codeSize).toBe(3);
    expect(trained('l2', { codec: { type: 'pq', m: 3, nbits: 4, niter: 2 } }).codeSize).toBe(2);
  });
});
