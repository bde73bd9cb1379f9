import { jsKernels } from '@annkit/core';
import type { Metric } from '@annkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fill, fillBytes } from './helpers.js';

// The TS code kernels are the reference every backend is compared with, so they are checked here against
// definitions written the slow, obvious way (decode first, then measure).

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function nibbles(codes: Uint8Array, off: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(i % 2 === 0 ? codes[off + (i >> 1)]! & 15 : codes[off + (i >> 1)]! >> 4);
  return out;
}

function measure(metric: 'l2' | 'dot', a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += metric === 'l2' ? (a[i]! - b[i]!) ** 2 : a[i]! * b[i]!;
  return s;
}

describe('TS code kernels match their definitions', () => {
  it('SQ: decode x[i] = offset[i] + scale[i] * code[i] (4-bit: dim 2j in the low nibble of byte j)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.constantFrom<4 | 8>(4, 8), seed, (dim, bits, s) => {
        const size = bits === 8 ? dim : Math.ceil(dim / 2);
        const q = fill(new Float32Array(dim), s, 'unit');
        const codes = fillBytes(new Uint8Array(2 * size), s + 1);
        const scale = fill(new Float32Array(dim), s + 2, 'unit');
        const offset = fill(new Float32Array(dim), s + 3, 'unit');
        const out = new Float32Array(2);
        for (const metric of ['l2', 'dot'] as const) {
          const name = `sq${bits}${metric === 'l2' ? 'L2' : 'Dot'}Many` as const;
          jsKernels[name](q, 0, codes, 0, size, 2, scale, offset, dim, out);
          for (let r = 0; r < 2; r++) {
            const raw = bits === 8 ? Array.from(codes.subarray(r * size, r * size + dim)) : nibbles(codes, r * size, dim);
            const x = raw.map((c, i) => offset[i]! + scale[i]! * c);
            expect(near(out[r]!, Math.fround(measure(metric, q, x)))).toBe(true);
          }
        }
      }),
    );
  });

  it('PQ: the table holds sub-vector distances; a scan sums one entry per sub-quantizer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom<Metric>('l2', 'ip'), seed, (m, dsub, metric, s) => {
        const q = fill(new Float32Array(m * dsub), s, 'unit');
        const cents = fill(new Float32Array(m * 256 * dsub), s + 1, 'unit');
        const table = new Float32Array(m * 256);
        jsKernels.pqBuildTable(q, 0, cents, m, 256, dsub, metric, table);
        for (const [j, c] of [[0, 0], [m - 1, 255], [m >> 1, 17]] as const) {
          const want = measure(metric === 'l2' ? 'l2' : 'dot', q.subarray(j * dsub, (j + 1) * dsub), cents.subarray((j * 256 + c) * dsub, (j * 256 + c + 1) * dsub));
          expect(near(table[j * 256 + c]!, Math.fround(want))).toBe(true);
        }
        const codes = fillBytes(new Uint8Array(m * 3), s + 2);
        const out = new Float32Array(3);
        jsKernels.pqScanBlock(table, codes, 0, m, 3, out);
        for (let i = 0; i < 3; i++) {
          let want = 0;
          for (let j = 0; j < m; j++) want += table[j * 256 + codes[i * m + j]!]!;
          expect(near(out[i]!, Math.fround(want))).toBe(true);
        }
        const size4 = Math.ceil(m / 2);
        const table4 = fill(new Float32Array(m * 16), s + 3, 'unit');
        jsKernels.pqScanBlock4(table4, codes, 0, m, 3, out);
        for (let i = 0; i < 3; i++) {
          const c = nibbles(codes, i * size4, m);
          const want = c.reduce((acc, code, j) => acc + table4[j * 16 + code]!, 0);
          expect(near(out[i]!, Math.fround(want))).toBe(true);
        }
      }),
    );
  });

  it('Hamming counts differing bits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.uint8Array({ minLength: 40, maxLength: 40 }), (a, b) => {
        let bits = 0;
        for (let i = 0; i < a.length; i++) for (let t = 0; t < 8; t++) bits += ((a[i]! ^ b[i]!) >> t) & 1;
        expect(jsKernels.hamming(a, 0, b, 0, a.length)).toBe(bits);
      }),
    );
  });

  it('assignNearest returns the first nearest centroid and its value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom<Metric>('l2', 'ip', 'cosine'), seed, (dim, k, metric, s) => {
        const rows = fill(new Float32Array(3 * dim), s, 'unit');
        const cents = fill(new Float32Array(k * dim), s + 1, 'unit');
        cents.copyWithin(dim * (k - 1), 0, dim); // a duplicate centroid: the first copy must win
        const idx = new Int32Array(3);
        const dist = new Float32Array(3);
        jsKernels.assignNearest(rows, 0, dim, 3, cents, dim, k, dim, metric, idx, dist);
        const kind = metric === 'l2' ? 'l2' : 'dot';
        for (let i = 0; i < 3; i++) {
          const values = Array.from({ length: k }, (_, c) => measure(kind, rows.subarray(i * dim, (i + 1) * dim), cents.subarray(c * dim, (c + 1) * dim)));
          const best = kind === 'l2' ? Math.min(...values) : Math.max(...values);
          expect(idx[i]).toBe(values.indexOf(best));
          expect(near(dist[i]!, Math.fround(best))).toBe(true);
        }
        jsKernels.assignNearest(rows, 0, dim, 1, cents, dim, 0, dim, metric, idx, dist);
        expect(idx[0]).toBe(-1);
      }),
    );
  });
});
