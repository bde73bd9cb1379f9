import { jsKernels } from '@annkit/core';
import type { Metric } from '@annkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Placer, RUNS, backends, close, dotScale, fill, l2Scale, placement, valueMode } from './helpers.js';

const SENTINEL = 12345.5;

const floatCase = fc.record({
  dim: fc.integer({ min: 1, max: 1100 }),
  n: fc.integer({ min: 1, max: 6 }),
  pad: fc.integer({ min: 0, max: 5 }),
  qOff: fc.integer({ min: 0, max: 7 }),
  rowsOff: fc.integer({ min: 0, max: 7 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  mode: valueMode,
  where: placement,
});

describe.each(backends().map((k) => [k.backend, k] as const))('float kernels on %s agree with the TS kernels', (_name, k) => {
  it('l2 and dot of one pair, any dim and offsets', () => {
    fc.assert(
      fc.property(floatCase, ({ dim, qOff, rowsOff, seed, mode, where }) => {
        const a0 = fill(new Float32Array(qOff + dim), seed, mode);
        const b0 = fill(new Float32Array(rowsOff + dim), seed + 1, mode);
        const pl = new Placer(k, where);
        const A = pl.add(a0);
        const B = pl.add(b0);
        try {
          const l2 = k.l2(A(), qOff, B(), rowsOff, dim);
          const dot = k.dot(A(), qOff, B(), rowsOff, dim);
          expect(close(l2, jsKernels.l2(a0, qOff, b0, rowsOff, dim), l2Scale(a0, qOff, b0, rowsOff, dim))).toBe(true);
          expect(close(dot, jsKernels.dot(a0, qOff, b0, rowsOff, dim), dotScale(a0, qOff, b0, rowsOff, dim))).toBe(true);
        } finally {
          pl.release();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('l2Many and dotMany over a block of rows at a stride', () => {
    fc.assert(
      fc.property(floatCase, ({ dim, n, pad, qOff, rowsOff, seed, mode, where }) => {
        const stride = dim + pad;
        const q0 = fill(new Float32Array(qOff + dim), seed, mode);
        const rows0 = fill(new Float32Array(rowsOff + (n - 1) * stride + dim), seed + 1, mode);
        const pl = new Placer(k, where);
        const Q = pl.add(q0);
        const R = pl.add(rows0);
        const O = pl.add(new Float32Array(n + 2).fill(SENTINEL));
        try {
          for (const many of ['l2Many', 'dotMany'] as const) {
            const want = new Float32Array(n);
            jsKernels[many](q0, qOff, rows0, rowsOff, stride, n, dim, want);
            k[many](Q(), qOff, R(), rowsOff, stride, n, dim, O());
            const out = O();
            for (let i = 0; i < n; i++) {
              const ro = rowsOff + i * stride;
              const scale = many === 'l2Many' ? l2Scale(q0, qOff, rows0, ro, dim) : dotScale(q0, qOff, rows0, ro, dim);
              expect(close(out[i]!, want[i]!, scale), `${many} row ${i}: ${out[i]} vs ${want[i]}`).toBe(true);
            }
            // Nothing written past n.
            expect(out[n]).toBe(SENTINEL);
            expect(out[n + 1]).toBe(SENTINEL);
          }
        } finally {
          pl.release();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('l2Gather and dotGather over rows picked by a slot list (repeats allowed)', () => {
    fc.assert(
      fc.property(floatCase, fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), ({ dim, n, pad, qOff, seed, mode, where }, picks) => {
        const stride = dim + pad;
        const q0 = fill(new Float32Array(qOff + dim), seed, mode);
        const rows0 = fill(new Float32Array(n * stride), seed + 1, mode);
        const slots0 = Int32Array.from(picks, (p) => p % n);
        const m = slots0.length;
        const pl = new Placer(k, where);
        const Q = pl.add(q0);
        const R = pl.add(rows0);
        const S = pl.add(slots0);
        const O = pl.add(new Float32Array(m));
        try {
          for (const gather of ['l2Gather', 'dotGather'] as const) {
            const want = new Float32Array(m);
            jsKernels[gather](q0, qOff, rows0, stride, slots0, m, dim, want);
            k[gather](Q(), qOff, R(), stride, S(), m, dim, O());
            const out = O();
            for (let i = 0; i < m; i++) {
              const ro = slots0[i]! * stride;
              const scale = gather === 'l2Gather' ? l2Scale(q0, qOff, rows0, ro, dim) : dotScale(q0, qOff, rows0, ro, dim);
              expect(close(out[i]!, want[i]!, scale)).toBe(true);
            }
          }
        } finally {
          pl.release();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('distanceMany and distanceGather give the metric distance (l2, -dot, 1 - dot) of the plain kernels', () => {
    fc.assert(
      fc.property(floatCase, fc.constantFrom<Metric>('l2', 'ip', 'cosine'), ({ dim, n, pad, qOff, rowsOff, seed, mode, where }, metric) => {
        const stride = dim + pad;
        const q0 = fill(new Float32Array(qOff + dim), seed, mode);
        const rows0 = fill(new Float32Array(rowsOff + (n - 1) * stride + dim), seed + 1, mode);
        const slots0 = Int32Array.from({ length: n + 1 }, (_, i) => (i * 5 + seed) % n);
        const pl = new Placer(k, where);
        const [Q, R, S, O] = [pl.add(q0), pl.add(rows0), pl.add(slots0), pl.add(new Float32Array(n + 2).fill(SENTINEL))];
        const raw = new Float32Array(n + 1);
        const toDistance = (x: number): number => (metric === 'l2' ? x : metric === 'ip' ? -x : 1 - x);
        const scaleOf = (ro: number): number => (metric === 'l2' ? l2Scale(q0, qOff, rows0, ro, dim) : 1 + dotScale(q0, qOff, rows0, ro, dim));
        try {
          (metric === 'l2' ? jsKernels.l2Many : jsKernels.dotMany)(q0, qOff, rows0, rowsOff, stride, n, dim, raw);
          k.distanceMany(metric, Q(), qOff, R(), rowsOff, stride, n, dim, O());
          for (let i = 0; i < n; i++) expect(close(O()[i]!, toDistance(raw[i]!), scaleOf(rowsOff + i * stride)), `many ${metric} ${i}`).toBe(true);
          expect(O()[n]).toBe(SENTINEL);
          (metric === 'l2' ? jsKernels.l2Gather : jsKernels.dotGather)(q0, qOff, rows0, stride, slots0, n + 1, dim, raw);
          k.distanceGather(metric, Q(), qOff, R(), stride, S(), n + 1, dim, O());
          for (let i = 0; i <= n; i++) expect(close(O()[i]!, toDistance(raw[i]!), scaleOf(slots0[i]! * stride)), `gather ${metric} ${i}`).toBe(true);
        } finally {
          pl.release();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('empty work (n = 0, dim = 0) returns like the TS kernels', () => {
    const q = new Float32Array(4);
    const out = new Float32Array(2).fill(SENTINEL);
    expect(k.l2(q, 0, q, 0, 0)).toBe(0);
    expect(k.dot(q, 0, q, 0, 0)).toBe(0);
    k.l2Many(q, 0, q, 0, 4, 0, 4, out);
    k.dotGather(q, 0, q, 4, new Int32Array(0), 0, 4, out);
    expect(Array.from(out)).toEqual([SENTINEL, SENTINEL]);
  });
});
