import { describe, expect, it } from 'vitest';
import { MAX_SQUARED_NORM } from '@annkit/core';
import type { Metric } from '@annkit/core';
import { FlatIndex } from '@annkit/flat';
import { randomRows } from '@annkit/testkit';

const dim = 16;
const n = 200;

/** Rows scaled to random lengths up to (just under) the norm bound, so float32 distances run near their limit. */
function longRows(seed: number): Float32Array {
  const rows = randomRows(n, dim, seed, 1);
  for (let r = 0; r < n; r++) {
    const row = rows.subarray(r * dim, (r + 1) * dim);
    let norm = 0;
    for (const v of row) norm += v * v;
    const scale = Math.sqrt((MAX_SQUARED_NORM * 0.999 * ((r % 10) + 1)) / 10 / norm);
    for (let i = 0; i < dim; i++) row[i] = row[i]! * scale;
  }
  return rows;
}

describe('distances near the float32 limit', () => {
  for (const metric of ['ip', 'l2'] as Metric[]) {
    it(`issue 12 item 3: under ${metric}, JS and WASM kernels give the same finite answers for rows at the norm bound`, () => {
      const rows = longRows(3);
      const queries = longRows(4);
      const ids = Array.from({ length: n }, (_, i) => i);
      const js = new FlatIndex({ dim, metric, kernels: 'js' });
      const wasm = new FlatIndex({ dim, metric, kernels: 'wasm' });
      js.addBatch(ids, rows);
      wasm.addBatch(ids, rows);
      for (let q = 0; q < 20; q++) {
        const query = queries.subarray(q * dim, (q + 1) * dim);
        const a = js.search(query, 10);
        const b = wasm.search(query, 10);
        expect(a.ids.length).toBe(10);
        for (let i = 0; i < 10; i++) {
          expect(Number.isFinite(a.distances[i]!), `js rank ${i}: ${a.distances[i]}`).toBe(true);
          expect(Number.isFinite(b.distances[i]!), `wasm rank ${i}: ${b.distances[i]}`).toBe(true);
          expect(Math.abs(a.distances[i]! - b.distances[i]!)).toBeLessThanOrEqual(1e-5 * Math.abs(a.distances[i]!) + 1e-30 * MAX_SQUARED_NORM);
        }
        expect(new Set(b.ids)).toEqual(new Set(a.ids));
      }
    });
  }
});
