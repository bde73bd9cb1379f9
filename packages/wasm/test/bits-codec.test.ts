import { AnnkitError, BitsCodec, CodeStorage, jsKernels } from '@annkit/core';
import type { Kernels, Metric } from '@annkit/core';
import { loadKernelsSync } from '@annkit/wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const rowsArb = fc.record({ dim: fc.integer({ min: 1, max: 70 }), n: fc.integer({ min: 1, max: 30 }), seed: fc.integer({ min: 0, max: 1e6 }) }).map(({ dim, n, seed }) => {
  let s = seed;
  const data = new Float32Array(n * dim);
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = (s / 2147483648) * 4 - 2;
  }
  return { dim, n, data };
});

const kernelsUnderTest: Array<[string, Kernels]> = [['js', jsKernels], ['wasm', loadKernelsSync()]];

describe.each(kernelsUnderTest)('BitsCodec (packed sign bits) with %s kernels', (_name, kernels) => {
  it('codes hold one bit per dimension: set exactly when the value is above the trained centre; decoding keeps that side', () => {
    fc.assert(
      fc.property(rowsArb, ({ dim, n, data }) => {
        const codec = new BitsCodec(dim, kernels);
        codec.train(data);
        const code = new Uint8Array(codec.codeSize);
        const back = new Float32Array(dim);
        const centre = codec.saveState();
        const c = new Float32Array(centre.buffer, 0, dim);
        for (let r = 0; r < n; r++) {
          codec.encodeRow(data, r * dim, code, 0);
          codec.decodeRow(code, 0, back, 0);
          for (let i = 0; i < dim; i++) {
            const above = data[r * dim + i]! > c[i]!;
            expect(((code[i >> 3]! >> (i & 7)) & 1) === 1).toBe(above);
            if (back[i] !== c[i]) expect(back[i]! > c[i]!).toBe(above);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the storage scores every row by the Hamming distance between sign patterns (block, gather, one)', () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom<Metric>('l2', 'ip', 'cosine'), ({ dim, n, data }, metric) => {
        const storage = new CodeStorage(new BitsCodec(dim, kernels), metric, kernels);
        storage.train(data);
        for (let r = 0; r < n; r++) storage.append(data, r * dim);
        const dist = storage.createDistance();
        const q = data.subarray(0, dim);
        dist.setQuery(q);
        const block = new Float32Array(n);
        dist.block(0, n, block);
        const slots = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
        const gathered = new Float32Array(n);
        dist.gather(slots, n, gathered);
        const centre = new Float32Array(storage.exportState().buffer.slice(0), 0, dim);
        for (let r = 0; r < n; r++) {
          let want = 0;
          for (let i = 0; i < dim; i++) if (q[i]! > centre[i]! !== data[r * dim + i]! > centre[i]!) want++;
          expect(block[r]).toBe(want);
          expect(gathered[n - 1 - r]).toBe(want);
          expect(dist.one(r)).toBe(want);
        }
        dist.free();
        storage.free();
      }),
      { numRuns: 100 },
    );
  });
});

describe('BitsCodec state and codes from files', () => {
  it('state round trips; bad state and stray bits past dim are CORRUPT_DATA', () => {
    const dim = 11;
    const data = Float32Array.from({ length: 5 * dim }, (_, i) => Math.sin(i));
    const a = new BitsCodec(dim, jsKernels);
    a.train(data);
    const b = new BitsCodec(dim, jsKernels);
    b.loadState(a.saveState());
    const ca = new Uint8Array(a.codeSize);
    const cb = new Uint8Array(b.codeSize);
    for (let r = 0; r < 5; r++) {
      a.encodeRow(data, r * dim, ca, 0);
      b.encodeRow(data, r * dim, cb, 0);
      expect([...cb]).toEqual([...ca]);
    }
    const corruptCode = (f: () => void): void => expect(f).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as AnnkitError);
    corruptCode(() => b.loadState(new Uint8Array(3)));
    const nan = new Float32Array(2 * dim);
    nan[0] = NaN;
    corruptCode(() => b.loadState(new Uint8Array(nan.buffer)));
    const negativeSpread = new Float32Array(2 * dim);
    negativeSpread[dim] = -1;
    corruptCode(() => b.loadState(new Uint8Array(negativeSpread.buffer)));
    const stray = new Uint8Array(2 * a.codeSize);
    stray[a.codeSize + 1] = 0x80;
    corruptCode(() => a.validateCodes(stray, 2));
    expect(() => a.validateCodes(new Uint8Array(2 * a.codeSize).fill(0x07), 2)).not.toThrow();
  });
});
