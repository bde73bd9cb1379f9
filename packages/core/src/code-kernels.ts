import { halfTable } from './half.js';
import type { Metric } from './metric.js';

/**
 * Kernels over compressed codes (SQ, PQ, binary) and k-means assignment: the TS reference that every
 * other backend must agree with. Offsets are in elements of the array they index (bytes for codes);
 * `codeStride` is the byte distance between consecutive codes. "Many" reads n codes `codeStride` apart
 * from `codesOff`; "Gather" reads the code of slot s at s * codeStride.
 *
 * Where a metric is taken, 'l2' gives squared Euclidean distance and 'ip'/'cosine' give the plain
 * dot product (like the float dot kernels: the caller turns it into a distance).
 */
export interface CodeKernels {
  /**
   * Scalar quantizer, 8 bits: dimension i of a code decodes to offset[i] + scale[i] * code[i].
   * out[j] = l2(q@qOff, decode(code j)).
   */
  sq8L2Many(q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;
  sq8DotMany(q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;
  sq8L2Gather(q: Float32Array, qOff: number, codes: Uint8Array, codeStride: number, slots: Int32Array, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;
  sq8DotGather(q: Float32Array, qOff: number, codes: Uint8Array, codeStride: number, slots: Int32Array, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;
  /**
   * Scalar quantizer, 8 bits, with the query prepared once per query instead of once per call:
   * out[j] = sum_i (t[i] - scale[i] * code_j[i])^2 where t = q - offset (the l2 distance). Codes are read
   * like the Many kernels when `slots` is null, like the Gather kernels otherwise.
   */
  sq8L2Prepared(t: Float32Array, tOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, scale: Float32Array, dim: number, out: Float32Array): void;
  /**
   * Half floats (fp16, 2 bytes per dimension, little-endian): out[j] = l2(q@qOff, decode(code j)). Codes are
   * read like the Many kernels when `slots` is null, like the Gather kernels otherwise.
   */
  halfL2(q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, dim: number, out: Float32Array): void;
  /** Like halfL2 for the plain dot product. */
  halfDot(q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, dim: number, out: Float32Array): void;
  /** Scalar quantizer, 4 bits: two dimensions per byte, dimension 2j in the low nibble of byte j. */
  sq4L2Many(q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;
  sq4DotMany(q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;
  sq4L2Gather(q: Float32Array, qOff: number, codes: Uint8Array, codeStride: number, slots: Int32Array, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;
  sq4DotGather(q: Float32Array, qOff: number, codes: Uint8Array, codeStride: number, slots: Int32Array, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void;

  /**
   * PQ ADC table for one query: table[j*ksub + c] = distance between q's j-th sub-vector (dsub values from
   * qOff + j*dsub) and centroid c of sub-quantizer j (dsub values at centroids[(j*ksub + c)*dsub]).
   */
  pqBuildTable(q: Float32Array, qOff: number, centroids: Float32Array, m: number, ksub: number, dsub: number, metric: Metric, table: Float32Array): void;
  /** nbits = 8 (ksub = 256, m bytes per code, codes contiguous): out[i] = sum_j table[j*256 + code_i[j]]. */
  pqScanBlock(table: Float32Array, codes: Uint8Array, codesOff: number, m: number, n: number, out: Float32Array): void;
  /** nbits = 4 (ksub = 16, ceil(m/2) bytes per code, sub-quantizer 2j in the low nibble of byte j). */
  pqScanBlock4(table: Float32Array, codes: Uint8Array, codesOff: number, m: number, n: number, out: Float32Array): void;
  /** Like pqScanBlock for the codes of `slots` (slot s at s*m). */
  pqScanGather(table: Float32Array, codes: Uint8Array, slots: Int32Array, m: number, n: number, out: Float32Array): void;
  /** Like pqScanBlock4 for the codes of `slots` (slot s at s*ceil(m/2)). */
  pqScanGather4(table: Float32Array, codes: Uint8Array, slots: Int32Array, m: number, n: number, out: Float32Array): void;

  /** Number of differing bits between nBytes of packed bits at a@aOff and b@bOff. */
  hamming(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, nBytes: number): number;
  hammingMany(q: Uint8Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, n: number, nBytes: number, out: Float32Array): void;
  hammingGather(q: Uint8Array, qOff: number, codes: Uint8Array, codeStride: number, slots: Int32Array, n: number, nBytes: number, out: Float32Array): void;

  /**
   * Nearest centroid of n rows (row i at rowsOff + i*stride; centroid c at c*cstride): outIdx[i] and the
   * kernel value outDist[i] (smallest squared l2, or largest dot product). The first index wins a tie;
   * k = 0 gives -1 and ±Infinity.
   */
  assignNearest(rows: Float32Array, rowsOff: number, stride: number, n: number, centroids: Float32Array, cstride: number, k: number, dim: number, metric: Metric, outIdx: Int32Array, outDist: Float32Array): void;
}

function sqRow(l2: boolean, bits: 4 | 8, q: Float32Array, qOff: number, codes: Uint8Array, c: number, scale: Float32Array, offset: Float32Array, dim: number): number {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const code = bits === 8 ? codes[c + i]! : (codes[c + (i >> 1)]! >> ((i & 1) << 2)) & 15;
    const x = offset[i]! + scale[i]! * code;
    const qi = q[qOff + i]!;
    if (l2) {
      const d = qi - x;
      s += d * d;
    } else {
      s += qi * x;
    }
  }
  return s;
}

// One loop per (metric, bits) keeps the branches above constant inside each call, so the JIT folds them.
function sqMany(l2: boolean, bits: 4 | 8) {
  return (q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void => {
    for (let i = 0, c = codesOff; i < n; i++, c += codeStride) out[i] = sqRow(l2, bits, q, qOff, codes, c, scale, offset, dim);
  };
}

function sqGather(l2: boolean, bits: 4 | 8) {
  return (q: Float32Array, qOff: number, codes: Uint8Array, codeStride: number, slots: Int32Array, n: number, scale: Float32Array, offset: Float32Array, dim: number, out: Float32Array): void => {
    for (let i = 0; i < n; i++) out[i] = sqRow(l2, bits, q, qOff, codes, slots[i]! * codeStride, scale, offset, dim);
  };
}

function sq8L2Prepared(t: Float32Array, tOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, scale: Float32Array, dim: number, out: Float32Array): void {
  for (let j = 0; j < n; j++) {
    const c = slots === null ? codesOff + j * codeStride : slots[j]! * codeStride;
    let s = 0;
    for (let i = 0; i < dim; i++) {
      const d = t[tOff + i]! - scale[i]! * codes[c + i]!;
      s += d * d;
    }
    out[j] = s;
  }
}

function halfRows(l2: boolean) {
  return (q: Float32Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, slots: Int32Array | null, n: number, dim: number, out: Float32Array): void => {
    const t = halfTable();
    for (let j = 0; j < n; j++) {
      const c = slots === null ? codesOff + j * codeStride : slots[j]! * codeStride;
      let s = 0;
      for (let i = 0; i < dim; i++) {
        const x = t[codes[c + 2 * i]! | (codes[c + 2 * i + 1]! << 8)]!;
        const qi = q[qOff + i]!;
        s += l2 ? (qi - x) * (qi - x) : qi * x;
      }
      out[j] = s;
    }
  };
}

function pqBuildTable(q: Float32Array, qOff: number, centroids: Float32Array, m: number, ksub: number, dsub: number, metric: Metric, table: Float32Array): void {
  const l2 = metric === 'l2';
  for (let j = 0, t = 0; j < m; j++) {
    const qo = qOff + j * dsub;
    for (let c = 0; c < ksub; c++, t++) {
      const co = t * dsub;
      let s = 0;
      for (let i = 0; i < dsub; i++) {
        const a = q[qo + i]!;
        const b = centroids[co + i]!;
        s += l2 ? (a - b) * (a - b) : a * b;
      }
      table[t] = s;
    }
  }
}

function pq8Row(table: Float32Array, codes: Uint8Array, c: number, m: number): number {
  let s = 0;
  for (let j = 0, t = 0; j < m; j++, t += 256) s += table[t + codes[c + j]!]!;
  return s;
}

function pq4Row(table: Float32Array, codes: Uint8Array, c: number, m: number): number {
  let s = 0;
  for (let j = 0; j < m; j++) s += table[j * 16 + ((codes[c + (j >> 1)]! >> ((j & 1) << 2)) & 15)]!;
  return s;
}

function pqScanBlock(table: Float32Array, codes: Uint8Array, codesOff: number, m: number, n: number, out: Float32Array): void {
  for (let i = 0, c = codesOff; i < n; i++, c += m) out[i] = pq8Row(table, codes, c, m);
}

function pqScanBlock4(table: Float32Array, codes: Uint8Array, codesOff: number, m: number, n: number, out: Float32Array): void {
  const size = (m + 1) >> 1;
  for (let i = 0, c = codesOff; i < n; i++, c += size) out[i] = pq4Row(table, codes, c, m);
}

function pqScanGather(table: Float32Array, codes: Uint8Array, slots: Int32Array, m: number, n: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = pq8Row(table, codes, slots[i]! * m, m);
}

function pqScanGather4(table: Float32Array, codes: Uint8Array, slots: Int32Array, m: number, n: number, out: Float32Array): void {
  const size = (m + 1) >> 1;
  for (let i = 0; i < n; i++) out[i] = pq4Row(table, codes, slots[i]! * size, m);
}

// Bits set in each byte value, built once.
const POPCOUNT = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >> 1]!;
  return t;
})();

function hamming(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, nBytes: number): number {
  let s = 0;
  for (let i = 0; i < nBytes; i++) s += POPCOUNT[a[aOff + i]! ^ b[bOff + i]!]!;
  return s;
}

function hammingMany(q: Uint8Array, qOff: number, codes: Uint8Array, codesOff: number, codeStride: number, n: number, nBytes: number, out: Float32Array): void {
  for (let i = 0, c = codesOff; i < n; i++, c += codeStride) out[i] = hamming(q, qOff, codes, c, nBytes);
}

function hammingGather(q: Uint8Array, qOff: number, codes: Uint8Array, codeStride: number, slots: Int32Array, n: number, nBytes: number, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = hamming(q, qOff, codes, slots[i]! * codeStride, nBytes);
}

function assignNearest(rows: Float32Array, rowsOff: number, stride: number, n: number, centroids: Float32Array, cstride: number, k: number, dim: number, metric: Metric, outIdx: Int32Array, outDist: Float32Array): void {
  // Minimise l2, or minimise -dot (so one comparison serves both); the first index wins a tie.
  const l2 = metric === 'l2';
  for (let i = 0, r = rowsOff; i < n; i++, r += stride) {
    let best = Infinity;
    let bestIdx = -1;
    for (let c = 0, co = 0; c < k; c++, co += cstride) {
      let s = 0;
      for (let t = 0; t < dim; t++) {
        const a = rows[r + t]!;
        const b = centroids[co + t]!;
        s += l2 ? (a - b) * (a - b) : a * b;
      }
      const v = l2 ? s : -s;
      if (v < best) {
        best = v;
        bestIdx = c;
      }
    }
    outIdx[i] = bestIdx;
    outDist[i] = l2 ? best : -best;
  }
}

/** The TS code kernels (merged into core's jsKernels). */
export const jsCodeKernels: CodeKernels = {
  sq8L2Many: sqMany(true, 8),
  sq8DotMany: sqMany(false, 8),
  sq8L2Gather: sqGather(true, 8),
  sq8DotGather: sqGather(false, 8),
  sq8L2Prepared,
  halfL2: halfRows(true),
  halfDot: halfRows(false),
  sq4L2Many: sqMany(true, 4),
  sq4DotMany: sqMany(false, 4),
  sq4L2Gather: sqGather(true, 4),
  sq4DotGather: sqGather(false, 4),
  pqBuildTable,
  pqScanBlock,
  pqScanBlock4,
  pqScanGather,
  pqScanGather4,
  hamming,
  hammingMany,
  hammingGather,
  assignNearest,
};
