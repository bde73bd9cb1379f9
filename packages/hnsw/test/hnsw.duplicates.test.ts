import { describe, expect, it } from 'vitest';
import { HnswIndex } from '@annkit/hnsw';
import type { HnswIndexOptions } from '@annkit/hnsw';
import { randomRows } from '@annkit/testkit';

const dim = 16;
const metrics = ['l2', 'ip', 'cosine'] as const;
const kernels = ['js', 'wasm'] as const;

/** `distinct` random vectors, each stored `copies` times (row i holds vector i mod distinct). */
function repeated(distinct: number, copies: number): { base: Float32Array; rows: Float32Array; n: number } {
  const base = randomRows(distinct, dim, 11, 1);
  const n = distinct * copies;
  const rows = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) rows.set(base.subarray((i % distinct) * dim, (i % distinct + 1) * dim), i * dim);
  return { base, rows, n };
}

function build(rows: Float32Array, n: number, opts: HnswIndexOptions, oneByOne: boolean): HnswIndex {
  const index = new HnswIndex({ seed: 3, ...opts });
  if (oneByOne) for (let i = 0; i < n; i++) index.add(i, rows.subarray(i * dim, (i + 1) * dim));
  else index.addBatch(Array.from({ length: n }, (_, i) => i), rows);
  return index;
}

/** How many of the n ids a search with k = efSearch = n leaves out. */
function missing(index: HnswIndex, query: Float32Array, n: number): number {
  const found = new Set(index.search(query, n, { efSearch: n }).ids);
  return n - found.size;
}

describe('HnswIndex: repeated vectors', () => {
  // Before: at m = 4, 973 of these 1,000 ids were never returned (a cluster of copies filled its lists with
  // itself and closed off the entry point's neighbourhood), under every metric and both kernels.
  for (const metric of metrics) {
    for (const k of kernels) {
      it(`issue 12 item 4: ${metric}/${k}: 50 vectors × 20 copies, k = efSearch = n returns all 1,000 ids (batch and one by one)`, () => {
        const { base, rows, n } = repeated(50, 20);
        for (const oneByOne of [false, true]) {
          const index = build(rows, n, { dim, metric, kernels: k, m: 4 }, oneByOne);
          expect(missing(index, base.subarray(0, dim), n)).toBe(0);
        }
      }, 60_000);
    }
  }

  it('issue 12 item 4: with copies the graph still routes (n ≫ efSearch): each vector\'s 20 copies are its 20 nearest', () => {
    const { base, rows, n } = repeated(250, 20);
    for (const metric of ['l2', 'cosine'] as const) {
      for (const oneByOne of [false, true]) {
        const index = build(rows, n, { dim, metric }, oneByOne);
        for (let v = 0; v < 250; v += 7) {
          const ids = index.search(base.subarray(v * dim, (v + 1) * dim), 20).ids;
          expect(Array.from(ids, (id) => id % 250)).toEqual(new Array(20).fill(v));
        }
      }
    }
  }, 60_000);

  // Before: 24 of 5,000 ids lost under ip at the default m = 16.
  it('issue 12 item 4: ip at the default m, 250 vectors × 20 copies: all 5,000 ids found on both kernels', () => {
    const { base, rows, n } = repeated(250, 20);
    for (const k of kernels) {
      const index = build(rows, n, { dim, metric: 'ip', kernels: k }, false);
      expect(missing(index, base.subarray(0, dim), n)).toBe(0);
    }
  }, 60_000);

  it('issue 12 item 4: copies stay findable through removal and compaction', () => {
    const { base, rows, n } = repeated(50, 20);
    for (const metric of metrics) {
      const index = build(rows, n, { dim, metric, m: 4, autoCompact: false }, false);
      for (let id = 0; id < n; id += 3) index.remove(id);
      index.compact();
      expect(missing(index, base.subarray(0, dim), index.size)).toBe(0);
    }
  }, 60_000);
});
