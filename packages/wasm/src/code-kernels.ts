import { jsKernels } from '@annkit/core';
import type { CodeKernels } from '@annkit/core';
import type { CodeExports } from './modules.js';
import type { Scratch } from './scratch.js';

type CodeWrappers = Omit<CodeKernels, 'assignNearest' | 'pqBuildTable'>;
type SqMany = CodeKernels['sq8L2Many'];
type SqGather = CodeKernels['sq8L2Gather'];

/** JS wrappers of the code kernels (same placement and fallback rules as the float wrappers). */
export function codeKernels(ex: CodeExports, s: Scratch): CodeWrappers {
  const js = jsKernels;

  function sqMany(kind: number, bits: 4 | 8, fallback: SqMany): SqMany {
    return (q, qOff, codes, codesOff, codeStride, n, scale, offset, dim, out) => {
      if (n > 0 && dim > 0 && codeStride >= 0) {
        s.reset();
        const codeBytes = bits === 8 ? dim : (dim + 1) >> 1;
        const qp = s.f32(q, qOff, dim);
        const cp = s.u8(codes, codesOff, (n - 1) * codeStride + codeBytes);
        const sp = s.f32(scale, 0, dim);
        const fp = s.f32(offset, 0, dim);
        const op = s.out(out, n);
        const tp = s.work(dim);
        if (qp >= 0 && cp >= 0 && sp >= 0 && fp >= 0 && op >= 0 && tp >= 0) {
          ex.sq_many(kind, bits, qp, cp, codeStride, 0, n, sp, fp, dim, op, tp);
          s.backF32(out, op, n);
          return;
        }
      }
      fallback(q, qOff, codes, codesOff, codeStride, n, scale, offset, dim, out);
    };
  }

  function sqGather(kind: number, bits: 4 | 8, fallback: SqGather): SqGather {
    return (q, qOff, codes, codeStride, slots, n, scale, offset, dim, out) => {
      if (n > 0 && dim > 0 && codeStride >= 0) {
        s.reset();
        const qp = s.f32(q, qOff, dim);
        const cp = s.u8(codes, 0, codes.length);
        const lp = s.i32(slots, 0, n);
        const sp = s.f32(scale, 0, dim);
        const fp = s.f32(offset, 0, dim);
        const op = s.out(out, n);
        const tp = s.work(dim);
        if (qp >= 0 && cp >= 0 && lp > 0 && sp >= 0 && fp >= 0 && op >= 0 && tp >= 0) {
          ex.sq_many(kind, bits, qp, cp, codeStride, lp, n, sp, fp, dim, op, tp);
          s.backF32(out, op, n);
          return;
        }
      }
      fallback(q, qOff, codes, codeStride, slots, n, scale, offset, dim, out);
    };
  }

  // codes === null: contiguous from codesOff; otherwise the slot list.
  function pqScan(bits: 4 | 8, table: Float32Array, codes: Uint8Array, codesOff: number, slots: Int32Array | null, m: number, n: number, out: Float32Array): boolean {
    if (n <= 0 || m <= 0) return false;
    s.reset();
    const codeSize = bits === 8 ? m : (m + 1) >> 1;
    const tp = s.f32(table, 0, m * (bits === 8 ? 256 : 16));
    const cp = slots === null ? s.u8(codes, codesOff, n * codeSize) : s.u8(codes, 0, codes.length);
    const lp = slots === null ? 0 : s.i32(slots, 0, n);
    const op = s.out(out, n);
    if (tp < 0 || cp < 0 || lp < 0 || (slots !== null && lp === 0) || op < 0) return false;
    ex.pq_scan(bits, tp, cp, codeSize, lp, n, m, op);
    s.backF32(out, op, n);
    return true;
  }

  function sq8L2Prepared(t: Float32Array, tOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, scale: Float32Array, dim: number, out: Float32Array): boolean {
    if (n <= 0 || dim <= 0 || codeStride < 0) return false;
    s.reset();
    const tp = s.f32(t, tOff, dim);
    const cp = slots === null ? s.u8(codes, codesOff, (n - 1) * codeStride + dim) : s.u8(codes, 0, codes.length);
    const lp = slots === null ? 0 : s.i32(slots, 0, n);
    const sp = s.f32(scale, 0, dim);
    const op = s.out(out, n);
    if (tp < 0 || cp < 0 || lp < 0 || (slots !== null && lp === 0) || sp < 0 || op < 0) return false;
    ex.sq8_l2_prepared(tp, cp, codeStride, lp, n, sp, dim, op);
    s.backF32(out, op, n);
    return true;
  }

  function halfMany(kind: number, q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, dim: number, out: Float32Array): boolean {
    if (n <= 0 || dim <= 0 || codeStride < 0) return false;
    s.reset();
    const qp = s.f32(q, qOff, dim);
    const cp = slots === null ? s.u8(codes, codesOff, (n - 1) * codeStride + 2 * dim) : s.u8(codes, 0, codes.length);
    const lp = slots === null ? 0 : s.i32(slots, 0, n);
    const op = s.out(out, n);
    if (qp < 0 || cp < 0 || lp < 0 || (slots !== null && lp === 0) || op < 0) return false;
    ex.half_many(kind, qp, cp, codeStride, lp, n, dim, op);
    s.backF32(out, op, n);
    return true;
  }

  function hamMany(q: Uint8Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, nBytes: number, out: Float32Array): boolean {
    if (n <= 0 || nBytes <= 0 || codeStride < 0) return false;
    s.reset();
    const qp = s.u8(q, qOff, nBytes);
    const cp = slots === null ? s.u8(codes, codesOff, (n - 1) * codeStride + nBytes) : s.u8(codes, 0, codes.length);
    const lp = slots === null ? 0 : s.i32(slots, 0, n);
    const op = s.out(out, n);
    if (qp < 0 || cp < 0 || lp < 0 || (slots !== null && lp === 0) || op < 0) return false;
    ex.ham_many(qp, cp, codeStride, lp, n, nBytes, op);
    s.backF32(out, op, n);
    return true;
  }

  return {
    sq8L2Many: sqMany(0, 8, js.sq8L2Many),
    sq8DotMany: sqMany(1, 8, js.sq8DotMany),
    sq8L2Gather: sqGather(0, 8, js.sq8L2Gather),
    sq8DotGather: sqGather(1, 8, js.sq8DotGather),
    sq8L2Prepared(t, tOff, codes, codesOff, codeStride, slots, n, scale, dim, out) {
      if (!sq8L2Prepared(t, tOff, codes, codesOff, codeStride, slots, n, scale, dim, out)) js.sq8L2Prepared(t, tOff, codes, codesOff, codeStride, slots, n, scale, dim, out);
    },
    halfL2(q, qOff, codes, codesOff, codeStride, slots, n, dim, out) {
      if (!halfMany(0, q, qOff, codes, codesOff, codeStride, slots, n, dim, out)) js.halfL2(q, qOff, codes, codesOff, codeStride, slots, n, dim, out);
    },
    halfDot(q, qOff, codes, codesOff, codeStride, slots, n, dim, out) {
      if (!halfMany(1, q, qOff, codes, codesOff, codeStride, slots, n, dim, out)) js.halfDot(q, qOff, codes, codesOff, codeStride, slots, n, dim, out);
    },
    sq4L2Many: sqMany(0, 4, js.sq4L2Many),
    sq4DotMany: sqMany(1, 4, js.sq4DotMany),
    sq4L2Gather: sqGather(0, 4, js.sq4L2Gather),
    sq4DotGather: sqGather(1, 4, js.sq4DotGather),
    pqScanBlock(table, codes, codesOff, m, n, out) {
      if (!pqScan(8, table, codes, codesOff, null, m, n, out)) js.pqScanBlock(table, codes, codesOff, m, n, out);
    },
    pqScanBlock4(table, codes, codesOff, m, n, out) {
      if (!pqScan(4, table, codes, codesOff, null, m, n, out)) js.pqScanBlock4(table, codes, codesOff, m, n, out);
    },
    pqScanGather(table, codes, slots, m, n, out) {
      if (!pqScan(8, table, codes, 0, slots, m, n, out)) js.pqScanGather(table, codes, slots, m, n, out);
    },
    pqScanGather4(table, codes, slots, m, n, out) {
      if (!pqScan(4, table, codes, 0, slots, m, n, out)) js.pqScanGather4(table, codes, slots, m, n, out);
    },
    hamming(a, aOff, b, bOff, nBytes) {
      if (nBytes <= 0) return 0;
      s.reset();
      const ap = s.u8(a, aOff, nBytes);
      const bp = s.u8(b, bOff, nBytes);
      if (ap < 0 || bp < 0) return js.hamming(a, aOff, b, bOff, nBytes);
      return ex.hamming(ap, bp, nBytes);
    },
    hammingMany(q, qOff, codes, codesOff, codeStride, n, nBytes, out) {
      if (!hamMany(q, qOff, codes, codesOff, codeStride, null, n, nBytes, out)) js.hammingMany(q, qOff, codes, codesOff, codeStride, n, nBytes, out);
    },
    hammingGather(q, qOff, codes, codeStride, slots, n, nBytes, out) {
      if (!hamMany(q, qOff, codes, 0, codeStride, slots, n, nBytes, out)) js.hammingGather(q, qOff, codes, codeStride, slots, n, nBytes, out);
    },
  };
}
