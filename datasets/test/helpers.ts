import { isAnnkitError } from '@annkit/core';
import type { AnnkitErrorCode, Metric } from '@annkit/core';
import fc from 'fast-check';

/** Splits bytes at the given cut sizes (cycled), so chunk boundaries fall anywhere. */
export function chunked(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let k = 0;
  for (let o = 0; o < bytes.length; k++) {
    const n = sizes.length ? Math.max(1, sizes[k % sizes.length]!) : bytes.length;
    out.push(bytes.subarray(o, Math.min(bytes.length, o + n)));
    o += n;
  }
  return out;
}

export const chunkSizes = fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 12 });

/** Runs fn; returns null if it succeeded, else asserts the error is an AnnkitError with `code`. */
export function errorCode(fn: () => unknown): AnnkitErrorCode | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (isAnnkitError(err)) return err.code;
    throw err;
  }
}

/** The textbook reference: every distance by a plain loop, sorted by (distance, id). */
export function naiveKnn(base: Float32Array, queries: Float32Array, dim: number, metric: Metric, k: number): { ids: Int32Array; dists: Float64Array } {
  const nb = base.length / dim;
  const nq = queries.length / dim;
  const norm = (v: Float32Array, r: number): number => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += v[r * dim + i]! * v[r * dim + i]!;
    return Math.sqrt(s);
  };
  const ids = new Int32Array(nq * k);
  const dists = new Float64Array(nq * k);
  for (let q = 0; q < nq; q++) {
    const all: { d: number; id: number }[] = [];
    const nqn = norm(queries, q);
    for (let b = 0; b < nb; b++) {
      let s = 0;
      if (metric === 'l2') {
        for (let i = 0; i < dim; i++) {
          const d = base[b * dim + i]! - queries[q * dim + i]!;
          s += d * d;
        }
      } else if (metric === 'ip') {
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += base[b * dim + i]! * queries[q * dim + i]!;
        s = -dot;
      } else if (metric === 'cosine') {
        const nbn = norm(base, b);
        let dot = 0;
        for (let i = 0; i < dim; i++) dot += (base[b * dim + i]! / nbn) * (queries[q * dim + i]! / nqn);
        s = 1 - dot;
      }
      all.push({ d: s, id: b });
    }
    all.sort((x, y) => x.d - y.d || x.id - y.id);
    for (let r = 0; r < k; r++) {
      ids[q * k + r] = all[r]!.id;
      dists[q * k + r] = all[r]!.d;
    }
  }
  return { ids, dists };
}

/** Small-integer vectors: lots of exactly equal distances, so tie-breaking is really exercised. */
export function intRows(n: number, dim: number, seedRows: readonly number[], nonZero: boolean): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) out[i] = seedRows[i % seedRows.length]!;
  if (nonZero) {
    for (let r = 0; r < n; r++) {
      let any = false;
      for (let i = 0; i < dim; i++) if (out[r * dim + i] !== 0) any = true;
      if (!any) out[r * dim] = 1;
    }
  }
  return out;
}

const TEXT = new TextEncoder();

export interface TarSpec {
  name: string;
  data: Uint8Array;
  type?: string;
}

/** A minimal ustar writer (test-only), with pax headers for names longer than 100 bytes. */
export function makeTar(entries: readonly TarSpec[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const push = (name: string, data: Uint8Array, type: string): void => {
    const h = new Uint8Array(512);
    h.set(TEXT.encode(name).subarray(0, 100), 0);
    octal(h, 100, 8, 0o644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, data.length);
    octal(h, 136, 12, 499162500);
    h[156] = type.charCodeAt(0);
    h.set(TEXT.encode('ustar\u000000'), 257);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    octal(h, 148, 7, sum);
    blocks.push(h);
    const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
    padded.set(data);
    blocks.push(padded);
  };
  for (const e of entries) {
    if (TEXT.encode(e.name).length > 100) {
      const body = `path=${e.name}\n`;
      let len = body.length + 3;
      while (`${len} ${body}`.length !== len) len = `${len} ${body}`.length;
      push('PaxHeader', TEXT.encode(`${len} ${body}`), 'x');
    }
    push(e.name, e.data, e.type ?? '0');
  }
  blocks.push(new Uint8Array(1024));
  const total = blocks.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

function octal(h: Uint8Array, off: number, len: number, value: number): void {
  const s = value.toString(8).padStart(len - 1, '0');
  h.set(TEXT.encode(s), off);
  h[off + len - 1] = 0;
}
