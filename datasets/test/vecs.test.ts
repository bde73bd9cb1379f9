import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { encodeBvecs, encodeFvecs, encodeIvecs, parseBvecs, parseFvecs, parseIvecs } from '../src/index.js';
import { errorCode } from './helpers.js';

const shape = fc.record({ n: fc.integer({ min: 0, max: 25 }), dim: fc.integer({ min: 1, max: 17 }) });

/** Compares float rows by bit pattern, so NaN payloads and -0 must survive too. */
function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

describe('fvecs/ivecs/bvecs round trips', () => {
  it('fvecs: encode → parse gives the same bits, for any shape and alignment', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 0, max: 3 }), fc.boolean(), ({ n, dim }, shift, reuse) => {
        const data = new Float32Array(n * dim);
        const raw = new Uint32Array(data.buffer);
        for (let i = 0; i < raw.length; i++) raw[i] = (Math.imul(i + 1, 2654435761) ^ (n << 7)) >>> 0;
        const enc = encodeFvecs(data, dim);
        expect(enc.length).toBe(n * (4 + 4 * dim));
        // Place the bytes at an offset to exercise the unaligned (DataView) path.
        const buf = new Uint8Array(enc.length + shift);
        buf.set(enc, shift);
        const got = parseFvecs(buf.subarray(shift), { reuseInput: reuse });
        expect(got.n).toBe(n);
        if (n > 0) expect(got.dim).toBe(dim);
        expect(bits(got.data)).toEqual(bits(data));
      }),
    );
  });

  it('ivecs and bvecs round trip, also from an ArrayBuffer', () => {
    fc.assert(
      fc.property(shape, fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1 }), ({ n, dim }, vals) => {
        const ints = Int32Array.from({ length: n * dim }, (_, i) => vals[i % vals.length]!);
        const gotI = parseIvecs(encodeIvecs(ints, dim).slice().buffer);
        expect(gotI.data).toEqual(ints);
        const bytes = Uint8Array.from(ints, (v) => v & 255);
        const gotB = parseBvecs(encodeBvecs(bytes, dim));
        expect(gotB.data).toEqual(bytes);
        expect([gotI.n, gotB.n]).toEqual([n, n]);
      }),
    );
  });

  it('limit reads only the first rows', () => {
    fc.assert(
      fc.property(shape, fc.nat(30), ({ n, dim }, limit) => {
        const data = Float32Array.from({ length: n * dim }, (_, i) => i * 0.5);
        const got = parseFvecs(encodeFvecs(data, dim), { limit });
        const m = Math.min(n, limit);
        expect(got.n).toBe(m);
        expect(got.data).toEqual(data.subarray(0, m * dim));
      }),
    );
  });

  it('encoding rejects data that is not whole rows', () => {
    expect(errorCode(() => encodeFvecs(new Float32Array(5), 2))).toBe('DIMENSION_MISMATCH');
    expect(errorCode(() => encodeIvecs(new Int32Array(4), 0))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => parseFvecs(new Uint8Array(0), { limit: -1 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('malformed TEXMEX bytes', () => {
  it('truncation anywhere but a row boundary is CORRUPT_DATA', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (n, dim, cutSeed) => {
        const enc = encodeFvecs(new Float32Array(n * dim).fill(1.5), dim);
        const cut = cutSeed % enc.length;
        const code = errorCode(() => parseFvecs(enc.subarray(0, cut)));
        expect(code).toBe(cut % (4 + 4 * dim) === 0 ? null : 'CORRUPT_DATA');
      }),
    );
  });

  it('a row with a different dim header is CORRUPT_DATA', () => {
    const enc = encodeIvecs(new Int32Array(12), 3);
    new DataView(enc.buffer).setInt32(16 * 2, 4, true); // third row claims dim 4
    expect(errorCode(() => parseIvecs(enc))).toBe('CORRUPT_DATA');
    expect(() => parseIvecs(enc)).toThrow(/row 2.*dim 4/);
    // Rows beyond the limit are not decoded, so they are not checked either.
    expect(parseIvecs(enc, { limit: 2 }).n).toBe(2);
  });

  it('zero or negative dims are CORRUPT_DATA', () => {
    for (const dim of [0, -1, -(2 ** 31)]) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setInt32(0, dim, true);
      expect(errorCode(() => parseFvecs(b))).toBe('CORRUPT_DATA');
    }
    expect(errorCode(() => parseBvecs(new Uint8Array(3)))).toBe('CORRUPT_DATA');
  });

  it('random or mutated bytes never crash: they parse or throw CORRUPT_DATA', () => {
    const valid = encodeBvecs(new Uint8Array(40).fill(7), 8);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 80 }),
          fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
            const m = valid.slice();
            m[i] = v;
            return m;
          }),
        ),
        (bytes) => {
          for (const parse of [parseFvecs, parseIvecs, parseBvecs]) {
            const code = errorCode(() => parse(bytes));
            expect(code === null || code === 'CORRUPT_DATA').toBe(true);
          }
        },
      ),
    );
  });
});
