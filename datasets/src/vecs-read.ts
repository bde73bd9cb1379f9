import { AnnkitError } from '@annkit/core';
import { BVECS, FVECS, HOST_IS_LITTLE_ENDIAN, IVECS } from './vecs-kind.js';
import type { VecsArray, VecsKind } from './vecs-kind.js';

export interface VecsReadOptions {
  /** Decode only the first `limit` rows (the total length is still checked). */
  limit?: number;
  /**
   * Decode in place, overwriting the input bytes, so a large file needs one buffer instead of two.
   * The returned data then views the input's buffer. Ignored where it cannot apply (big-endian host,
   * input not 4-byte aligned).
   */
  reuseInput?: boolean;
}

/** `n` rows of `dim` values, row-major. An empty input gives n = 0, dim = 0. */
export interface Vecs<T extends VecsArray> {
  readonly n: number;
  readonly dim: number;
  readonly data: T;
}

export type VecsInput = Uint8Array | ArrayBuffer | ArrayBufferView;

export function parseFvecs(bytes: VecsInput, opts?: VecsReadOptions): Vecs<Float32Array> {
  return parseVecs(bytes, FVECS, opts);
}

export function parseIvecs(bytes: VecsInput, opts?: VecsReadOptions): Vecs<Int32Array> {
  return parseVecs(bytes, IVECS, opts);
}

export function parseBvecs(bytes: VecsInput, opts?: VecsReadOptions): Vecs<Uint8Array> {
  return parseVecs(bytes, BVECS, opts);
}

/** Row size in bytes for a TEXMEX file of this kind and dim (header included). */
export function vecsRowBytes(kind: VecsKind<VecsArray>, dim: number): number {
  return 4 + dim * kind.elemBytes;
}

export function corruptVecs(kind: { name: string }, what: string): AnnkitError {
  return new AnnkitError('CORRUPT_DATA', `Corrupt ${kind.name} data: ${what}.`);
}

export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return Infinity;
  if (typeof limit !== 'number' || !(limit >= 0) || (limit !== Infinity && !Number.isInteger(limit))) {
    throw new AnnkitError('INVALID_ARGUMENT', `limit must be a non-negative integer, got ${String(limit)}.`);
  }
  return limit;
}

function toBytes(input: VecsInput): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new AnnkitError('INVALID_ARGUMENT', `Expected a Uint8Array or ArrayBuffer of TEXMEX vectors.`);
}

/** Generic reader: checks every decoded row's dim header and the exact total length. */
export function parseVecs<T extends VecsArray>(input: VecsInput, kind: VecsKind<T>, opts?: VecsReadOptions): Vecs<T> {
  const bytes = toBytes(input);
  const limit = checkLimit(opts?.limit);
  const total = bytes.byteLength;
  if (total === 0) return { n: 0, dim: 0, data: kind.alloc(0) };
  if (total < 4) throw corruptVecs(kind, `${total} bytes is shorter than one row header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, total);
  const dim = view.getInt32(0, true);
  if (dim < 1) throw corruptVecs(kind, `the first row declares dim ${dim}`);
  const rowBytes = vecsRowBytes(kind, dim);
  if (total % rowBytes !== 0) {
    throw corruptVecs(kind, `${total} bytes is not a whole number of ${rowBytes}-byte rows (dim ${dim}); truncated, or not a ${kind.name} file`);
  }
  const n = Math.min(total / rowBytes, limit);
  for (let r = 1; r < n; r++) {
    const d = view.getInt32(r * rowBytes, true);
    if (d !== dim) throw corruptVecs(kind, `row ${r} (byte ${r * rowBytes}) declares dim ${d} but row 0 has dim ${dim}`);
  }
  const eb = kind.elemBytes;
  const fast = eb === 1 || (HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0);
  if (opts?.reuseInput && fast) {
    // Shift each row's values left over the headers; memmove semantics make the overlap safe.
    for (let r = 0; r < n; r++) bytes.copyWithin(r * dim * eb, r * rowBytes + 4, (r + 1) * rowBytes);
    return { n, dim, data: kind.view(bytes.buffer, bytes.byteOffset, n * dim) };
  }
  const data = kind.alloc(n * dim);
  if (fast) {
    // One typed view over the whole input; rows are copied with memcpy-backed set().
    const src = kind.view(bytes.buffer, bytes.byteOffset, total / eb);
    const rowElems = rowBytes / eb;
    const skip = 4 / eb;
    for (let r = 0; r < n; r++) {
      const s = r * rowElems + skip;
      data.set(src.subarray(s, s + dim), r * dim);
    }
  } else {
    // Unaligned or big-endian: move raw 32-bit words, so even NaN payloads survive bit for bit.
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
    for (let r = 0, o = 0; r < n; r++) {
      const base = r * rowBytes + 4;
      for (let i = 0; i < dim; i++) words[o++] = view.getUint32(base + i * 4, true);
    }
  }
  return { n, dim, data };
}
