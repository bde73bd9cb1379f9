import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectCode, randomRows } from '@annkit/testkit';
import { CodeStorage, CodeStore, jsKernels } from '@annkit/core';
import { PqCodec } from '@annkit/pq';
import type { Metric } from '@annkit/core';

function ref(metric: Metric, q: Float32Array, x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) s += metric === 'l2' ? (q[i]! - x[i]!) ** 2 : q[i]! * x[i]!;
  return metric === 'l2' ? s : metric === 'ip' ? -s : 1 - s;
}

const setupArb = fc.record({
  dsub: fc.integer({ min: 1, max: 4 }),
  m: fc.integer({ min: 1, max: 5 }),
  nbits: fc.constantFrom<4 | 8>(4, 8),
  n: fc.integer({ min: 1, max: 80 }),
  seed: fc.nat(1000),
  metric: fc.constantFrom<Metric>('l2', 'ip', 'cosine'),
});

describe('PqCodec', () => {
  it('codes pick the nearest centroid per sub-vector; ADC, the CodeStorage QueryDistance (one, gather, block, between) equal distances to decoded vectors', () => {
    fc.assert(
      fc.property(setupArb, ({ dsub, m, nbits, n, seed, metric }) => {
        const dim = dsub * m;
        const codec = new PqCodec({ dim, m, nbits, niter: 4, seed });
        const samples = randomRows(n, dim, seed + 1, 3);
        codec.train(samples);
        expect(codec.codeSize).toBe(nbits === 8 ? m : Math.ceil(m / 2));
        const store = new CodeStore(codec.codeSize);
        store.reserve(n);
        for (let r = 0; r < n; r++) store.appendEmpty();
        codec.encode(samples, n, store.data);
        const decoded = new Float32Array(n * dim);
        codec.decode(store.data, n, decoded);
        // Nearest centroid: no other codebook entry is closer to the sub-vector.
        const books = codec.centroids;
        for (let r = 0; r < Math.min(n, 10); r++) {
          for (let j = 0; j < m; j++) {
            let mine = 0;
            for (let i = 0; i < dsub; i++) mine += (samples[r * dim + j * dsub + i]! - decoded[r * dim + j * dsub + i]!) ** 2;
            for (let c = 0; c < codec.ksub; c++) {
              let d = 0;
              for (let i = 0; i < dsub; i++) d += (samples[r * dim + j * dsub + i]! - books[(j * codec.ksub + c) * dsub + i]!) ** 2;
              expect(mine).toBeLessThanOrEqual(d + 1e-5);
            }
          }
        }
        const q = randomRows(1, dim, seed + 2, 3);
        const table = new Float32Array(codec.tableSize);
        codec.buildTable(q, 0, metric, table);
        const raw = new Float32Array(n);
        codec.scanBlock(table, store.data, 0, n, raw);
        const storage = new CodeStorage(codec, metric, jsKernels);
        storage.importRows(store.exportPacked(), n);
        const dc = storage.createDistance();
        dc.setQuery(q);
        const gathered = new Float32Array(n);
        dc.gather(Int32Array.from({ length: n }, (_, i) => i), n, gathered);
        const block = new Float32Array(n);
        dc.block(0, n, block);
        for (let r = 0; r < n; r++) {
          const x = decoded.subarray(r * dim, (r + 1) * dim);
          const want = ref(metric, q, x);
          const tol = 1e-4 * (1 + Math.abs(want));
          const adc = metric === 'l2' ? raw[r]! : metric === 'ip' ? -raw[r]! : 1 - raw[r]!;
          expect(Math.abs(adc - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(gathered[r]! - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(dc.one(r) - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(block[r]! - want)).toBeLessThanOrEqual(tol);
          const sdc = ref(metric, decoded.subarray(0, dim), x);
          expect(Math.abs(dc.between(0, r) - sdc)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(sdc)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('fewer samples than 2^nbits: distinct samples become centroids and codes still decode exactly', () => {
    const samples = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    const codec = new PqCodec({ dim: 4, m: 2, nbits: 8 });
    codec.train(samples);
    expect(codec.trainWarnings.join(' ')).toMatch(/trained 3 centroids/);
    const codes = new Uint8Array(3 * codec.codeSize);
    codec.encode(samples, 3, codes);
    const back = new Float32Array(12);
    codec.decode(codes, 3, back);
    expect(Array.from(back)).toEqual(Array.from(samples));
  });

  it('state round trip encodes identically; typed errors', () => {
    const samples = randomRows(300, 6, 5, 2);
    const a = new PqCodec({ dim: 6, m: 3, nbits: 4, niter: 3 });
    a.train(samples);
    const b = PqCodec.fromState({ dim: 6, m: 3, nbits: 4 }, a.exportState());
    const ca = new Uint8Array(300 * a.codeSize);
    const cb = new Uint8Array(300 * b.codeSize);
    a.encode(samples, 300, ca);
    b.encode(samples, 300, cb);
    expect(Array.from(cb)).toEqual(Array.from(ca));
    expectCode(() => PqCodec.fromState({ dim: 6, m: 3, nbits: 4 }, new Float32Array(5)), 'CORRUPT_DATA');
    expectCode(() => PqCodec.fromState({ dim: 6, m: 3, nbits: 4 }, new Float32Array(a.exportState().length).fill(NaN)), 'CORRUPT_DATA');
    expectCode(() => new PqCodec({ dim: 6, m: 4 }), 'INVALID_ARGUMENT');
    expectCode(() => new PqCodec({ dim: 6, m: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => new PqCodec({ dim: 6, m: 3, nbits: 2 as never }), 'INVALID_ARGUMENT');
    const fresh = new PqCodec({ dim: 6, m: 3 });
    expectCode(() => fresh.encode(samples, 1, new Uint8Array(3)), 'NOT_TRAINED');
    expectCode(() => fresh.train(new Float32Array(0)), 'INVALID_ARGUMENT');
    expectCode(() => fresh.train(new Float32Array(5)), 'DIMENSION_MISMATCH');
    expectCode(() => fresh.train(Float32Array.of(1, 2, 3, 4, 5, NaN)), 'INVALID_VECTOR');
    expectCode(() => fresh.train(samples, { signal: AbortSignal.abort() }), 'ABORTED');
    expect(fresh.isTrained).toBe(false);
  });
});
