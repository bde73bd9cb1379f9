import { AnnkitError } from '@annkit/core';
import { BVECS, FVECS, HOST_IS_LITTLE_ENDIAN, IVECS } from './vecs-kind.js';
import type { VecsArray, VecsKind } from './vecs-kind.js';

/** Encodes row-major float32 rows of `dim` values as fvecs bytes. */
export function encodeFvecs(data: Float32Array, dim: number): Uint8Array {
  return encodeVecs(data, dim, FVECS);
}

/** Encodes row-major int32 rows (e.g. ground-truth ids, k per row) as ivecs bytes. */
export function encodeIvecs(data: Int32Array, dim: number): Uint8Array {
  return encodeVecs(data, dim, IVECS);
}

/** Encodes row-major uint8 rows as bvecs bytes. */
export function encodeBvecs(data: Uint8Array, dim: number): Uint8Array {
  return encodeVecs(data, dim, BVECS);
}

export function encodeVecs<T extends VecsArray>(data: T, dim: number, kind: VecsKind<T>): Uint8Array {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 0x7fffffff) {
    throw new AnnkitError('INVALID_ARGUMENT', `dim must be a positive integer, got ${String(dim)}.`);
  }
  if (data.length % dim !== 0) {
    throw new AnnkitError('DIMENSION_MISMATCH', `${kind.name}: ${data.length} values is not a multiple of dim ${dim}.`);
  }
  const n = data.length / dim;
  const eb = kind.elemBytes;
  const rowBytes = 4 + dim * eb;
  const out = new Uint8Array(n * rowBytes);
  const view = new DataView(out.buffer);
  // A fresh buffer is aligned and rows are 4-byte multiples (or bytes), so typed views can copy rows.
  const fast = eb === 1 || HOST_IS_LITTLE_ENDIAN;
  const dst = fast ? kind.view(out.buffer, 0, out.byteLength / eb) : null;
  for (let r = 0; r < n; r++) {
    const off = r * rowBytes;
    view.setInt32(off, dim, true);
    const row = data.subarray(r * dim, (r + 1) * dim);
    if (dst) dst.set(row, (off + 4) / eb);
    else {
      // Big-endian host: write raw 32-bit words little-endian (bit-exact, NaN payloads included).
      const words = new Uint32Array(row.buffer, row.byteOffset, dim);
      for (let i = 0; i < dim; i++) view.setUint32(off + 4 + i * 4, words[i]!, true);
    }
  }
  return out;
}
