import { floatToHalf, halfToFloat, jsKernels } from '@annkit/core';
import type { Metric } from '@annkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Placer, RUNS, backends, close, dotScale, fill, fillBytes, l2Scale, placement, valueMode } from './helpers.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const metric = fc.constantFrom<Metric>('l2', 'ip', 'cosine');

/** Error scale of one SQ row: the terms' magnitudes with x = |offset| + |scale * code|. */
function sqScale(l2: boolean, bits: 4 | 8, q: Float32Array, qOff: number, codes: Uint8Array, c: number, scale: Float32Array, offset: Float32Array, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const code = bits === 8 ? codes[c + i]! : (codes[c + (i >> 1)]! >> ((i & 1) * 4)) & 15;
    const x = Math.abs(offset[i]!) + Math.abs(scale[i]! * code);
    const a = Math.abs(q[qOff + i]!);
    s += l2 ? (a + x) ** 2 : a * x;
  }
  return s;
}

describe.each(backends().map((k) => [k.backend, k] as const))('code kernels on %s agree with the TS kernels', (_name, k) => {
  it('SQ 8-bit and 4-bit: l2 and dot, block and gather', () => {
    fc.assert(
      fc.property(
        fc.record({
          dim: fc.integer({ min: 1, max: 1100 }),
          n: fc.integer({ min: 1, max: 5 }),
          pad: fc.integer({ min: 0, max: 9 }),
          qOff: fc.integer({ min: 0, max: 5 }),
          codesOff: fc.integer({ min: 0, max: 9 }),
          bits: fc.constantFrom<4 | 8>(4, 8),
          seed,
          mode: valueMode,
          // scale/offset are codec parameters: ordinary or wide, not extreme (255 * 1e17 squared overflows float32).
          paramMode: fc.constantFrom<'unit' | 'wide'>('unit', 'wide'),
          where: placement,
        }),
        ({ dim, n, pad, qOff, codesOff, bits, seed, mode, paramMode, where }) => {
          const codeStride = (bits === 8 ? dim : (dim + 1) >> 1) + pad;
          const q0 = fill(new Float32Array(qOff + dim), seed, mode);
          const codes0 = fillBytes(new Uint8Array(codesOff + n * codeStride), seed + 1);
          const scale0 = fill(new Float32Array(dim), seed + 2, paramMode);
          const offset0 = fill(new Float32Array(dim), seed + 3, paramMode);
          const slots0 = Int32Array.from({ length: n + 1 }, (_, i) => (i * 7 + seed) % n);
          const pl = new Placer(k, where);
          const [Q, C, SC, OF, SL, O] = [pl.add(q0), pl.add(codes0), pl.add(scale0), pl.add(offset0), pl.add(slots0), pl.add(new Float32Array(n + 1))];
          try {
            for (const l2 of [true, false]) {
              const name = `sq${bits}${l2 ? 'L2' : 'Dot'}` as const;
              const many = `${name}Many` as const;
              const gather = `${name}Gather` as const;
              const want = new Float32Array(n + 1);
              jsKernels[many](q0, qOff, codes0, codesOff, codeStride, n, scale0, offset0, dim, want);
              k[many](Q(), qOff, C(), codesOff, codeStride, n, SC(), OF(), dim, O());
              for (let i = 0; i < n; i++) {
                const sc = sqScale(l2, bits, q0, qOff, codes0, codesOff + i * codeStride, scale0, offset0, dim);
                expect(close(O()[i]!, want[i]!, sc), `${many} ${i}: ${O()[i]} vs ${want[i]}`).toBe(true);
              }
              // Gather reads slot s at s * codeStride (from 0).
              jsKernels[gather](q0, qOff, codes0, codeStride, slots0, n + 1, scale0, offset0, dim, want);
              k[gather](Q(), qOff, C(), codeStride, SL(), n + 1, SC(), OF(), dim, O());
              for (let i = 0; i <= n; i++) {
                const sc = sqScale(l2, bits, q0, qOff, codes0, slots0[i]! * codeStride, scale0, offset0, dim);
                expect(close(O()[i]!, want[i]!, sc), `${gather} ${i}`).toBe(true);
              }
            }
          } finally {
            pl.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('SQ 8-bit l2 over a prepared query (t = q - offset) gives the SQ l2 distance', () => {
    fc.assert(
      fc.property(
        fc.record({
          dim: fc.integer({ min: 1, max: 1100 }),
          n: fc.integer({ min: 1, max: 5 }),
          pad: fc.integer({ min: 0, max: 9 }),
          codesOff: fc.integer({ min: 0, max: 9 }),
          seed,
          mode: valueMode,
          paramMode: fc.constantFrom<'unit' | 'wide'>('unit', 'wide'),
          where: placement,
        }),
        ({ dim, n, pad, codesOff, seed, mode, paramMode, where }) => {
          const codeStride = dim + pad;
          const q0 = fill(new Float32Array(dim), seed, mode);
          const codes0 = fillBytes(new Uint8Array(codesOff + (n + 1) * codeStride), seed + 1);
          const scale0 = fill(new Float32Array(dim), seed + 2, paramMode);
          const offset0 = fill(new Float32Array(dim), seed + 3, paramMode);
          const slots0 = Int32Array.from({ length: n + 1 }, (_, i) => (i * 7 + seed) % (n + 1));
          const tL2 = Float32Array.from(q0, (v, i) => v - offset0[i]!);
          const pl = new Placer(k, where);
          const [TL, C, SC, SL, O] = [pl.add(tL2), pl.add(codes0), pl.add(scale0), pl.add(slots0), pl.add(new Float32Array(n + 1))];
          try {
            const want = new Float32Array(n + 1);
            for (const gather of [false, true]) {
              const count = gather ? n + 1 : n;
              const at = (i: number): number => (gather ? slots0[i]! * codeStride : codesOff + i * codeStride);
              if (gather) jsKernels.sq8L2Gather(q0, 0, codes0, codeStride, slots0, count, scale0, offset0, dim, want);
              else jsKernels.sq8L2Many(q0, 0, codes0, codesOff, codeStride, count, scale0, offset0, dim, want);
              k.sq8L2Prepared(TL(), 0, C(), gather ? 0 : codesOff, codeStride, gather ? SL() : null, count, SC(), dim, O());
              for (let i = 0; i < count; i++) {
                const sc = sqScale(true, 8, q0, 0, codes0, at(i), scale0, offset0, dim);
                expect(close(O()[i]!, want[i]!, sc), `l2 ${gather} ${i}: ${O()[i]} vs ${want[i]}`).toBe(true);
              }
            }
          } finally {
            pl.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('fp16 rows: l2 and dot against the decoded halves, block and gather (subnormals and signs included)', () => {
    fc.assert(
      fc.property(
        fc.record({ dim: fc.integer({ min: 1, max: 700 }), n: fc.integer({ min: 1, max: 5 }), pad: fc.integer({ min: 0, max: 7 }), seed, mode: valueMode, where: placement }),
        ({ dim, n, pad, seed, mode, where }) => {
          const codeStride = 2 * dim + pad;
          const q0 = fill(new Float32Array(dim), seed, mode === 'extreme' ? 'wide' : mode);
          // Halves of ordinary, tiny (subnormal) and large finite values.
          const src = fill(new Float32Array((n + 1) * dim), seed + 1, 'wide');
          const codes0 = new Uint8Array((n + 1) * codeStride);
          const decoded = new Float32Array((n + 1) * dim);
          for (let r = 0; r <= n; r++) {
            for (let i = 0; i < dim; i++) {
              const v = src[r * dim + i]! * (i % 3 === 0 ? 1e-6 : i % 3 === 1 ? 1 : 300);
              const h = floatToHalf(v);
              codes0[r * codeStride + 2 * i] = h & 0xff;
              codes0[r * codeStride + 2 * i + 1] = h >> 8;
              decoded[r * dim + i] = halfToFloat(h);
            }
          }
          const slots0 = Int32Array.from({ length: n + 1 }, (_, i) => (i * 3 + seed) % (n + 1));
          const pl = new Placer(k, where);
          const [Q, C, SL, O] = [pl.add(q0), pl.add(codes0), pl.add(slots0), pl.add(new Float32Array(n + 1))];
          try {
            for (const l2 of [true, false]) {
              const kernel = l2 ? k.halfL2 : k.halfDot;
              for (const gather of [false, true]) {
                const count = gather ? n + 1 : n;
                // The block starts one row in (an offset), the gather reads slot s at s * codeStride.
                kernel(Q(), 0, C(), codeStride, codeStride, gather ? SL() : null, count, dim, O());
                for (let j = 0; j < count; j++) {
                  const ro = (gather ? slots0[j]! : j + 1) * dim;
                  let want = 0;
                  for (let i = 0; i < dim; i++) want += l2 ? (q0[i]! - decoded[ro + i]!) ** 2 : q0[i]! * decoded[ro + i]!;
                  const scale = l2 ? l2Scale(q0, 0, decoded, ro, dim) : dotScale(q0, 0, decoded, ro, dim);
                  expect(close(O()[j]!, want, scale), `${l2 ? 'l2' : 'dot'} ${gather ? 'gather' : 'block'} ${j}: ${O()[j]} vs ${want}`).toBe(true);
                }
              }
            }
          } finally {
            pl.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('PQ table building for l2 and dot', () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 16 }),
          ksub: fc.integer({ min: 1, max: 256 }),
          dsub: fc.integer({ min: 1, max: 24 }),
          qOff: fc.integer({ min: 0, max: 5 }),
          seed,
          mode: valueMode,
          metric,
          where: placement,
        }),
        ({ m, ksub, dsub, qOff, seed, mode, metric, where }) => {
          const q0 = fill(new Float32Array(qOff + m * dsub), seed, mode);
          const cents0 = fill(new Float32Array(m * ksub * dsub), seed + 1, mode);
          const want = new Float32Array(m * ksub);
          jsKernels.pqBuildTable(q0, qOff, cents0, m, ksub, dsub, metric, want);
          const pl = new Placer(k, where);
          const [Q, C, T] = [pl.add(q0), pl.add(cents0), pl.add(new Float32Array(m * ksub))];
          try {
            k.pqBuildTable(Q(), qOff, C(), m, ksub, dsub, metric, T());
            const got = T();
            let bad = -1;
            for (let t = 0; t < m * ksub && bad < 0; t++) {
              const qo = qOff + Math.floor(t / ksub) * dsub;
              const sc = metric === 'l2' ? l2Scale(q0, qo, cents0, t * dsub, dsub) : dotScale(q0, qo, cents0, t * dsub, dsub);
              if (!close(got[t]!, want[t]!, sc)) bad = t;
            }
            expect(bad, `entry ${bad}: ${got[bad]} vs ${want[bad]}`).toBe(-1);
          } finally {
            pl.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('PQ scans (8-bit and 4-bit codes), block and gather', () => {
    fc.assert(
      fc.property(
        fc.record({ m: fc.integer({ min: 1, max: 64 }), n: fc.integer({ min: 1, max: 9 }), codesOff: fc.integer({ min: 0, max: 9 }), bits: fc.constantFrom<4 | 8>(4, 8), seed, mode: valueMode, where: placement }),
        ({ m, n, codesOff, bits, seed, mode, where }) => {
          const ksub = bits === 8 ? 256 : 16;
          const size = bits === 8 ? m : (m + 1) >> 1;
          const table0 = fill(new Float32Array(m * ksub), seed, mode);
          const codes0 = fillBytes(new Uint8Array(codesOff + n * size), seed + 1);
          const slots0 = Int32Array.from({ length: n }, (_, i) => (i * 5 + seed) % n);
          const scaleOf = (c: number): number => {
            let s = 0;
            for (let j = 0; j < m; j++) {
              const code = bits === 8 ? codes0[c + j]! : (codes0[c + (j >> 1)]! >> ((j & 1) * 4)) & 15;
              s += Math.abs(table0[j * ksub + code]!);
            }
            return s;
          };
          const pl = new Placer(k, where);
          const [T, C, S, O] = [pl.add(table0), pl.add(codes0), pl.add(slots0), pl.add(new Float32Array(n))];
          try {
            const want = new Float32Array(n);
            if (bits === 8) {
              jsKernels.pqScanBlock(table0, codes0, codesOff, m, n, want);
              k.pqScanBlock(T(), C(), codesOff, m, n, O());
            } else {
              jsKernels.pqScanBlock4(table0, codes0, codesOff, m, n, want);
              k.pqScanBlock4(T(), C(), codesOff, m, n, O());
            }
            for (let i = 0; i < n; i++) expect(close(O()[i]!, want[i]!, scaleOf(codesOff + i * size))).toBe(true);
            if (bits === 8) {
              jsKernels.pqScanGather(table0, codes0, slots0, m, n, want);
              k.pqScanGather(T(), C(), S(), m, n, O());
            } else {
              jsKernels.pqScanGather4(table0, codes0, slots0, m, n, want);
              k.pqScanGather4(T(), C(), S(), m, n, O());
            }
            for (let i = 0; i < n; i++) expect(close(O()[i]!, want[i]!, scaleOf(slots0[i]! * size))).toBe(true);
          } finally {
            pl.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('Hamming: pair, block and gather are exact', () => {
    fc.assert(
      fc.property(
        fc.record({ nBytes: fc.integer({ min: 1, max: 300 }), n: fc.integer({ min: 1, max: 6 }), pad: fc.integer({ min: 0, max: 7 }), qOff: fc.integer({ min: 0, max: 7 }), codesOff: fc.integer({ min: 0, max: 7 }), seed, where: placement }),
        ({ nBytes, n, pad, qOff, codesOff, seed, where }) => {
          const stride = nBytes + pad;
          const q0 = fillBytes(new Uint8Array(qOff + nBytes), seed);
          const codes0 = fillBytes(new Uint8Array(codesOff + n * stride), seed + 1);
          const slots0 = Int32Array.from({ length: n }, (_, i) => (i * 3 + seed) % n);
          const pl = new Placer(k, where);
          const [Q, C, S, O] = [pl.add(q0), pl.add(codes0), pl.add(slots0), pl.add(new Float32Array(n))];
          try {
            expect(k.hamming(Q(), qOff, C(), codesOff, nBytes)).toBe(jsKernels.hamming(q0, qOff, codes0, codesOff, nBytes));
            const want = new Float32Array(n);
            jsKernels.hammingMany(q0, qOff, codes0, codesOff, stride, n, nBytes, want);
            k.hammingMany(Q(), qOff, C(), codesOff, stride, n, nBytes, O());
            expect(Array.from(O())).toEqual(Array.from(want));
            jsKernels.hammingGather(q0, qOff, codes0, stride, slots0, n, nBytes, want);
            k.hammingGather(Q(), qOff, C(), stride, S(), n, nBytes, O());
            expect(Array.from(O())).toEqual(Array.from(want));
          } finally {
            pl.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('nearest-centroid assignment picks a centroid as near as the TS choice, within tolerance', () => {
    fc.assert(
      fc.property(
        fc.record({
          dim: fc.integer({ min: 1, max: 300 }),
          n: fc.integer({ min: 1, max: 6 }),
          k: fc.integer({ min: 1, max: 20 }),
          pad: fc.integer({ min: 0, max: 4 }),
          rowsOff: fc.integer({ min: 0, max: 5 }),
          seed,
          mode: valueMode,
          metric,
          where: placement,
        }),
        ({ dim, n, k: kc, pad, rowsOff, seed, mode, metric, where }) => {
          const stride = dim + pad;
          const cstride = dim + ((pad * 3) % 5);
          const rows0 = fill(new Float32Array(rowsOff + n * stride), seed, mode);
          const cents0 = fill(new Float32Array(kc * cstride), seed + 1, mode);
          const wantIdx = new Int32Array(n);
          const wantDist = new Float32Array(n);
          jsKernels.assignNearest(rows0, rowsOff, stride, n, cents0, cstride, kc, dim, metric, wantIdx, wantDist);
          const pl = new Placer(k, where);
          const [R, C, I, D] = [pl.add(rows0), pl.add(cents0), pl.add(new Int32Array(n)), pl.add(new Float32Array(n))];
          try {
            k.assignNearest(R(), rowsOff, stride, n, C(), cstride, kc, dim, metric, I(), D());
            const l2 = metric === 'l2';
            const value = (i: number, c: number) => (l2 ? jsKernels.l2 : jsKernels.dot)(rows0, rowsOff + i * stride, cents0, c * cstride, dim);
            const scale = (i: number, c: number) => (l2 ? l2Scale : dotScale)(rows0, rowsOff + i * stride, cents0, c * cstride, dim);
            for (let i = 0; i < n; i++) {
              const got = I()[i]!;
              expect(got).toBeGreaterThanOrEqual(0);
              expect(got).toBeLessThan(kc);
              const sc = Math.max(scale(i, got), scale(i, wantIdx[i]!));
              // Same centroid, or a tie within tolerance; the reported value is that centroid's.
              expect(close(value(i, got), value(i, wantIdx[i]!), sc)).toBe(true);
              expect(close(D()[i]!, value(i, got), sc)).toBe(true);
            }
          } finally {
            pl.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
