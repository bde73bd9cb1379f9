import { jsKernels } from '@annkit/core';
import type { Kernels, Metric } from '@annkit/core';
import type { FloatExports } from './modules.js';
import type { Scratch } from './scratch.js';

type FloatKernels = Pick<Kernels, 'l2' | 'dot' | 'l2Many' | 'dotMany' | 'l2Gather' | 'dotGather' | 'distanceMany' | 'distanceGather' | 'assignNearest' | 'pqBuildTable'>;

const L2 = 0;
const DOT = 1;
/** The `many` kernel's kind for a metric's distance: l2, −dot (ip) or 1 − dot (cosine). */
const DISTANCE_KIND: Record<Metric, number> = { l2: 0, ip: 2, cosine: 3 };

/**
 * JS wrappers of the float kernels. Each places its arguments (in place or via scratch) and calls WASM;
 * whatever cannot be placed (scratch too small, ranges outside the arrays, empty work) goes to the TS kernel,
 * which then defines the behaviour.
 */
export function floatKernels(ex: FloatExports, s: Scratch): FloatKernels {
  const js = jsKernels;

  function pair(kind: number, a: Float32Array, aOff: number, b: Float32Array, bOff: number, dim: number): number {
    if (dim <= 0) return 0;
    s.reset();
    const ap = s.f32(a, aOff, dim);
    const bp = s.f32(b, bOff, dim);
    if (ap < 0 || bp < 0) return kind === L2 ? js.l2(a, aOff, b, bOff, dim) : js.dot(a, aOff, b, bOff, dim);
    return kind === L2 ? ex.l2(ap, bp, dim) : ex.dot(ap, bp, dim);
  }

  function many(kind: number, q: Float32Array, qOff: number, rows: Float32Array, rowsOff: number, stride: number, n: number, dim: number, out: Float32Array): void {
    if (n > 0 && dim > 0 && stride >= 0) {
      s.reset();
      const qp = s.f32(q, qOff, dim);
      const rp = s.f32(rows, rowsOff, (n - 1) * stride + dim);
      const op = s.out(out, n);
      if (qp >= 0 && rp >= 0 && op >= 0) {
        ex.many(kind, qp, rp, stride * 4, 0, n, dim, op);
        s.backF32(out, op, n);
        return;
      }
    }
    if (kind === L2) js.l2Many(q, qOff, rows, rowsOff, stride, n, dim, out);
    else if (kind === DOT) js.dotMany(q, qOff, rows, rowsOff, stride, n, dim, out);
    else js.distanceMany(kind === 2 ? 'ip' : 'cosine', q, qOff, rows, rowsOff, stride, n, dim, out);
  }

  // Slots are trusted to index rows (as in the TS kernel, where a bad slot reads undefined).
  function gather(kind: number, q: Float32Array, qOff: number, rows: Float32Array, stride: number, slots: Int32Array, n: number, dim: number, out: Float32Array): void {
    if (n > 0 && dim > 0 && stride >= 0) {
      s.reset();
      const qp = s.f32(q, qOff, dim);
      const rp = s.f32(rows, 0, rows.length);
      const sp = s.i32(slots, 0, n);
      const op = s.out(out, n);
      if (qp >= 0 && rp >= 0 && sp > 0 && op >= 0) {
        ex.many(kind, qp, rp, stride * 4, sp, n, dim, op);
        s.backF32(out, op, n);
        return;
      }
    }
    if (kind === L2) js.l2Gather(q, qOff, rows, stride, slots, n, dim, out);
    else if (kind === DOT) js.dotGather(q, qOff, rows, stride, slots, n, dim, out);
    else js.distanceGather(kind === 2 ? 'ip' : 'cosine', q, qOff, rows, stride, slots, n, dim, out);
  }

  return {
    l2: (a, aOff, b, bOff, dim) => pair(L2, a, aOff, b, bOff, dim),
    dot: (a, aOff, b, bOff, dim) => pair(DOT, a, aOff, b, bOff, dim),
    l2Many: (q, qOff, rows, rowsOff, stride, n, dim, out) => many(L2, q, qOff, rows, rowsOff, stride, n, dim, out),
    dotMany: (q, qOff, rows, rowsOff, stride, n, dim, out) => many(DOT, q, qOff, rows, rowsOff, stride, n, dim, out),
    l2Gather: (q, qOff, rows, stride, slots, n, dim, out) => gather(L2, q, qOff, rows, stride, slots, n, dim, out),
    dotGather: (q, qOff, rows, stride, slots, n, dim, out) => gather(DOT, q, qOff, rows, stride, slots, n, dim, out),
    distanceMany: (metric, q, qOff, rows, rowsOff, stride, n, dim, out) => many(DISTANCE_KIND[metric], q, qOff, rows, rowsOff, stride, n, dim, out),
    distanceGather: (metric, q, qOff, rows, stride, slots, n, dim, out) => gather(DISTANCE_KIND[metric], q, qOff, rows, stride, slots, n, dim, out),

    assignNearest(rows: Float32Array, rowsOff: number, stride: number, n: number, centroids: Float32Array, cstride: number, k: number, dim: number, metric: Metric, outIdx: Int32Array, outDist: Float32Array): void {
      if (n > 0 && k > 0 && dim > 0 && stride >= 0 && cstride >= 0) {
        s.reset();
        const rp = s.f32(rows, rowsOff, (n - 1) * stride + dim);
        const cp = s.f32(centroids, 0, (k - 1) * cstride + dim);
        const ip = s.out(outIdx, n);
        const dp = s.out(outDist, n);
        if (rp >= 0 && cp >= 0 && ip >= 0 && dp >= 0) {
          ex.assign(metric === 'l2' ? L2 : DOT, rp, stride * 4, n, cp, cstride * 4, k, dim, ip, dp);
          s.backI32(outIdx, ip, n);
          s.backF32(outDist, dp, n);
          return;
        }
      }
      js.assignNearest(rows, rowsOff, stride, n, centroids, cstride, k, dim, metric, outIdx, outDist);
    },

    pqBuildTable(q: Float32Array, qOff: number, centroids: Float32Array, m: number, ksub: number, dsub: number, metric: Metric, table: Float32Array): void {
      const size = m * ksub;
      if (size > 0 && dsub > 0) {
        s.reset();
        const qp = s.f32(q, qOff, m * dsub);
        const cp = s.f32(centroids, 0, size * dsub);
        const tp = s.out(table, size);
        if (qp >= 0 && cp >= 0 && tp >= 0) {
          ex.pq_table(metric === 'l2' ? L2 : DOT, qp, cp, m, ksub, dsub, tp);
          s.backF32(table, tp, size);
          return;
        }
      }
      js.pqBuildTable(q, qOff, centroids, m, ksub, dsub, metric, table);
    },
  };
}
