import { AnnkitError, Rng } from '@annkit/core';

export interface Split {
  /** Row ids of the queries, in shuffled order. */
  readonly queries: Int32Array;
  /** Row ids of the base, in shuffled order (base id i is row `base[i]` of the pool). */
  readonly base: Int32Array;
}

/**
 * Deterministic base/query split of `n` rows: a Fisher–Yates shuffle of 0..n-1 with core's `Rng(seed)`;
 * the first `nQueries` become queries, the next `nBase` (default: all the rest) the base. Same inputs,
 * same split on every platform. Queries never appear in the base.
 */
export function splitSeeded(n: number, nQueries: number, seed: number, nBase = n - nQueries): Split {
  for (const [name, v] of [['n', n], ['nQueries', nQueries], ['nBase', nBase]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new AnnkitError('INVALID_ARGUMENT', `${name} must be a non-negative integer, got ${String(v)}.`);
  }
  if (nQueries + nBase > n) throw new AnnkitError('INVALID_ARGUMENT', `Cannot split ${n} rows into ${nQueries} queries and ${nBase} base rows.`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  return { queries: order.slice(0, nQueries), base: order.slice(nQueries, nQueries + nBase) };
}

/** Copies the listed rows of a row-major matrix into a new one, in list order. */
export function gatherRows(data: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  const n = data.length / dim;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!(r >= 0 && r < n)) throw new AnnkitError('INVALID_ARGUMENT', `Row ${r} is out of range 0..${n - 1}.`);
    out.set(data.subarray(r * dim, (r + 1) * dim), i * dim);
  }
  return out;
}
