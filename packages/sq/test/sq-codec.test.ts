import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomRows, expectCode } from '@annkit/testkit';
import { CodeStorage, CodeStore, jsKernels } from '@annkit/core';
import { SqCodec, floatToHalf, halfToFloat } from '@annkit/sq';
import type { SqType } from '@annkit/sq';
import type { Metric } from '@annkit/core';

const rowsArb = fc.record({ dim: fc.integer({ min: 1, max: 13 }), n: fc.integer({ min: 1, max: 30 }) }).chain(({ dim, n }) =>
  fc.record({
    dim: fc.constant(dim),
    n: fc.constant(n),
    data: fc.array(fc.oneof(fc.integer({ min: -4, max: 4 }), fc.float({ min: -100, max: 100, noNaN: true })), { minLength: n * dim, maxLength: n * dim }).map((xs) => Float32Array.from(xs)),
  }),
);

function trained(type: SqType, dim: number, data: Float32Array): SqCodec {
  const codec = new SqCodec({ dim, type });
  codec.train(data);
  return codec;
}

function ref(metric: Metric, q: Float32Array, x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) s += metric === 'l2' ? (q[i]! - x[i]!) ** 2 : q[i]! * x[i]!;
  return metric === 'l2' ? s : metric === 'ip' ? -s : 1 - s;
}

describe('SqCodec', () => {
  it('code sizes: d bytes (sq8), ceil(d/2) (sq4), 2d (fp16)', () => {
    expect(new SqCodec({ dim: 100 }).codeSize).toBe(100);
    expect(new SqCodec({ dim: 7, type: 'sq4' }).codeSize).toBe(4);
    expect(new SqCodec({ dim: 7, type: 'fp16' }).codeSize).toBe(14);
  });

  for (const type of ['sq8', 'sq4'] as const) {
    it(`${type}: decoding a trained row is within half a step per dimension; out-of-range values clamp`, () => {
      fc.assert(
        fc.property(rowsArb, ({ dim, n, data }) => {
          const codec = trained(type, dim, data);
          const codes = new Uint8Array(n * codec.codeSize);
          codec.encode(data, n, codes);
          const back = new Float32Array(n * dim);
          codec.decode(codes, n, back);
          const { scale, offset } = codec.exportState();
          for (let r = 0; r < n; r++) {
            for (let i = 0; i < dim; i++) {
              const err = Math.abs(back[r * dim + i]! - data[r * dim + i]!);
              expect(err).toBeLessThanOrEqual(scale[i]! / 2 + 1e-4 * (1 + Math.abs(data[r * dim + i]!)));
            }
          }
          const far = new Float32Array(dim).fill(1e6);
          const one = new Uint8Array(codec.codeSize);
          codec.encode(far, 1, one);
          const top = new Float32Array(dim);
          codec.decode(one, 1, top);
          const levels = type === 'sq8' ? 255 : 15;
          for (let i = 0; i < dim; i++) expect(top[i]).toBeCloseTo(offset[i]! + levels * scale[i]!, 3);
        }),
      );
    });
  }

  it('constant dimensions decode exactly', () => {
    const data = new Float32Array(30);
    for (let r = 0; r < 10; r++) data.set([3.25, r, -7], r * 3);
    for (const type of ['sq8', 'sq4'] as const) {
      const codec = trained(type, 3, data);
      const codes = new Uint8Array(10 * codec.codeSize);
      codec.encode(data, 10, codes);
      const back = new Float32Array(30);
      codec.decode(codes, 10, back);
      for (let r = 0; r < 10; r++) {
        expect(back[r * 3]).toBe(3.25);
        expect(back[r * 3 + 2]).toBe(-7);
      }
    }
  });

  it('fp16: exact for halves, relative error ≤ 2^-11 in range, clamps beyond ±65504', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (h) => {
        const v = halfToFloat(h);
        if (!Number.isFinite(v)) return;
        expect(floatToHalf(v) === h || (v === 0 && (floatToHalf(v) & 0x7fff) === 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (x) => {
        const back = halfToFloat(floatToHalf(x));
        expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.max(Math.abs(x) * 2 ** -11, 2 ** -25));
      }),
      { numRuns: 2000 },
    );
    expect(halfToFloat(floatToHalf(1e9))).toBe(65504);
    expect(halfToFloat(floatToHalf(-1e9))).toBe(-65504);
  });

  it('asymmetric distances equal the distance to the decoded vector (many, gather, one, and through the CodeStorage QueryDistance: one, block, gather, between)', () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom<SqType>('sq8', 'sq4', 'fp16'), fc.constantFrom<Metric>('l2', 'ip', 'cosine'), ({ dim, n, data }, type, metric) => {
        const codec = trained(type, dim, data);
        const store = new CodeStore(codec.codeSize);
        for (let r = 0; r < n; r++) {
          const slot = store.appendEmpty();
          codec.encodeRow(data, r * dim, store.data, slot * codec.codeSize);
        }
        const q = data.subarray(0, dim);
        const decoded = new Float32Array(n * dim);
        codec.decode(store.data, n, decoded);
        const many = new Float32Array(n);
        codec.distanceMany(metric, q, 0, store.data, 0, n, many);
        const slots = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
        const gathered = new Float32Array(n);
        codec.distanceGather(metric, q, 0, store.data, slots, n, gathered);
        const storage = new CodeStorage(codec, metric, jsKernels);
        storage.importRows(store.exportPacked(), n);
        const dc = storage.createDistance();
        dc.setQuery(q);
        const block = new Float32Array(n);
        dc.block(0, n, block);
        const viaGather = new Float32Array(n);
        dc.gather(slots, n, viaGather);
        for (let r = 0; r < n; r++) {
          const want = ref(metric, q, decoded.subarray(r * dim, (r + 1) * dim));
          const tol = 1e-4 * (1 + Math.abs(want));
          expect(Math.abs(many[r]! - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(gathered[n - 1 - r]! - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(dc.one(r) - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(block[r]! - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(viaGather[n - 1 - r]! - want)).toBeLessThanOrEqual(tol);
          expect(Math.abs(codec.distanceOne(metric, q, 0, store.data, r * codec.codeSize) - want)).toBeLessThanOrEqual(tol);
          const b = ref(metric, decoded.subarray(0, dim), decoded.subarray(r * dim, (r + 1) * dim));
          expect(Math.abs(dc.between(0, r) - b)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(b)));
        }
      }),
    );
  });

  it('state round trip gives identical codes; bad state is CORRUPT_DATA', () => {
    const data = randomRows(50, 9, 3, 2);
    for (const type of ['sq8', 'sq4', 'fp16'] as const) {
      const a = trained(type, 9, data);
      const b = SqCodec.fromState(a.exportState());
      const ca = new Uint8Array(50 * a.codeSize);
      const cb = new Uint8Array(50 * b.codeSize);
      a.encode(data, 50, ca);
      b.encode(data, 50, cb);
      expect(Array.from(cb)).toEqual(Array.from(ca));
    }
    const state = trained('sq8', 9, data).exportState();
    state.scale[2] = -1;
    expectCode(() => SqCodec.fromState(state), 'CORRUPT_DATA');
    state.scale[2] = NaN;
    expectCode(() => SqCodec.fromState(state), 'CORRUPT_DATA');
    expectCode(() => SqCodec.fromState({ ...state, scale: new Float32Array(3) }), 'CORRUPT_DATA');
  });

  it('typed errors', () => {
    expectCode(() => new SqCodec({ dim: 0 }), 'INVALID_ARGUMENT');
    expectCode(() => new SqCodec({ dim: 3, type: 'sq2' as never }), 'INVALID_ARGUMENT');
    const codec = new SqCodec({ dim: 3 });
    expect(codec.isTrained).toBe(false);
    expect(new SqCodec({ dim: 3, type: 'fp16' }).isTrained).toBe(true);
    expectCode(() => codec.encode(new Float32Array(3), 1, new Uint8Array(3)), 'NOT_TRAINED');
    expectCode(() => codec.train(new Float32Array(4)), 'DIMENSION_MISMATCH');
    expectCode(() => codec.train(new Float32Array(0)), 'INVALID_ARGUMENT');
    expectCode(() => codec.train(Float32Array.of(1, NaN, 2)), 'INVALID_VECTOR');
    expect(codec.isTrained).toBe(false);
  });
});
